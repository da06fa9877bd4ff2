package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CairnLogsExportAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(
              CairnLogsExportAutoConfiguration.class, CairnTracingAutoConfiguration.class));
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private HttpServer collector;

  @BeforeEach
  void startCollector() throws IOException {
    collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext("/", exchange -> {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        raw = new GZIPInputStream(new java.io.ByteArrayInputStream(raw)).readAllBytes();
      }
      paths.add(exchange.getRequestURI().getPath());
      bodies.add(new String(raw, StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    collector.start();
  }

  @AfterEach
  void stopCollector() {
    collector.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + collector.getAddress().getPort();
  }

  @Test
  void logLinesGoToTheLogsEndpointAsGiven() {
    runner.withPropertyValues("cairn.export.logs.endpoint=" + base() + "/v1/logs")
        .run(context -> LoggerFactory.getLogger("orders").info("order 42 placed"));

    assertThat(paths).contains("/v1/logs");
    JsonNode body = JsonMapper.builder().build().readTree(bodies.get(paths.indexOf("/v1/logs")));
    assertThat(body.findValuesAsString("stringValue")).contains("order 42 placed");
  }

  @Test
  void theSharedEndpoint_isForSpans_andExportsNoLogLine() {
    runner.withPropertyValues("cairn.export.endpoint=" + base())
        .run(context -> {
          assertThat(context.getBean(CairnLogsExportAutoConfiguration.CairnLogsExport.class).pipeline())
              .isEmpty();
          LoggerFactory.getLogger("orders").info("order 43 placed");
          context.getBean(dev.cairn.Cairn.class).tracer().spanBuilder("checkout").startSpan().end();
        });

    assertThat(paths).contains("/v1/traces").doesNotContain("/v1/logs");
  }

  @Test
  void logsEnabledFalse_exportsNoLogsEvenWithALogsEndpoint() {
    runner.withPropertyValues("cairn.export.logs.endpoint=" + base() + "/v1/logs", "cairn.export.logs.enabled=false")
        .run(context -> assertThat(
            context.getBean(CairnLogsExportAutoConfiguration.CairnLogsExport.class).pipeline())
            .isEmpty());
  }

  @Test
  void nothingIsAttachedWithoutAnEndpoint() {
    runner.run(context -> {
      assertThat(context.getBean(CairnLogsExportAutoConfiguration.CairnLogsExport.class).pipeline())
          .isEmpty();
      ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
          LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      assertThat(root.getAppender("CAIRN_EXPORT")).isNull();
    });
  }

  @Test
  void aSpansOnlyProtocolExportsNoLogs() {
    runner.withPropertyValues("cairn.export.logs.endpoint=" + base(), "cairn.export.protocol=zipkin")
        .run(context -> assertThat(
            context.getBean(CairnLogsExportAutoConfiguration.CairnLogsExport.class).pipeline())
            .isEmpty());
  }

  @Test
  void theAppenderIsDetachedWhenTheContextCloses() {
    runner.withPropertyValues("cairn.export.logs.endpoint=" + base() + "/v1/logs")
        .run(context -> {
          ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
              LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
          assertThat(root.getAppender("CAIRN_EXPORT")).isNotNull();
        });

    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
        LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender("CAIRN_EXPORT")).isNull();
  }
}
