package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.internal.SelfCounters;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real Spring Boot applications exporting their logs over OTLP to a loopback receiver: lines
 * logged during start-up (an initializer, a bean's constructor, Boot's own "Starting" line) are
 * received, once each and in order, and a failing start-up's lines are received too.
 */
class StartupLogReplayIntegrationTest {
  private static final org.slf4j.Logger log = LoggerFactory.getLogger("shop.startup");

  private final List<String> received = Collections.synchronizedList(new ArrayList<>());
  private final List<String> rootAppendersSeenByInitializer = new CopyOnWriteArrayList<>();
  private HttpServer receiver;
  private ConfigurableApplicationContext app;

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class ShopApp {
    @Bean
    Inventory inventory() {
      return new Inventory();
    }
  }

  static class Inventory {
    Inventory() {
      log.info("inventory bean constructed");
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class BrokenApp {
    @Bean
    Object payments() {
      log.error("payments gateway credentials missing");
      throw new IllegalStateException("no payments gateway");
    }
  }

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/v1/logs",
        exchange -> {
          byte[] raw = exchange.getRequestBody().readAllBytes();
          if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            raw = new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes();
          }
          JsonNode body = JsonMapper.builder().build().readTree(new String(raw, StandardCharsets.UTF_8));
          for (JsonNode rl : body.path("resourceLogs")) {
            for (JsonNode sl : rl.path("scopeLogs")) {
              for (JsonNode record : sl.path("logRecords")) {
                received.add(record.path("body").path("stringValue").asString());
              }
            }
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    receiver.stop(0);
  }

  private SpringApplication application(Class<?> main) {
    SpringApplication application = new SpringApplication(main);
    application.addInitializers(
        context -> {
          Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
          root.iteratorForAppenders().forEachRemaining(a -> rootAppendersSeenByInitializer.add(a.getName()));
          log.info("initializer ran");
        });
    return application;
  }

  private String[] args(String... more) {
    List<String> all = new ArrayList<>(List.of(
        "--spring.main.web-application-type=none",
        "--spring.main.banner-mode=off",
        "--cairn.export.logs.endpoint=http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/logs",
        "--cairn.export.traces.enabled=false",
        "--cairn.export.flush-interval=50ms"));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }

  private void awaitReceived(String message) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!received.contains(message) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private List<String> receivedSnapshot() {
    synchronized (received) {
      return new ArrayList<>(received);
    }
  }

  @Test
  void linesLoggedDuringStartupAreExportedOnceEachAndInOrder() throws Exception {
    app = application(ShopApp.class).run(args());
    log.info("open for business");
    awaitReceived("open for business");

    List<String> lines = receivedSnapshot();
    assertThat(lines).containsSubsequence("initializer ran", "inventory bean constructed", "open for business");
    assertThat(lines).filteredOn("initializer ran"::equals).hasSize(1);
    assertThat(lines).filteredOn("inventory bean constructed"::equals).hasSize(1);
    assertThat(lines).filteredOn("open for business"::equals).hasSize(1);
    // Boot's own start-up lines, logged before the application context was refreshed.
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("Starting ").contains(" using Java "));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("No active profile set"));
  }

  @Test
  void theCaptureIsAttachedBeforeTheApplicationContextIsRefreshed() throws Exception {
    app = application(ShopApp.class).run(args());

    assertThat(rootAppendersSeenByInitializer).contains(CairnStartupLogCapture.APPENDER_NAME);
  }

  @Test
  void linesBeyondTheBufferAreDroppedAndCountedAndLiveLinesStillFlow() throws Exception {
    long before = SelfCounters.GLOBAL.total("cairn.logback.appender.startup.dropped");
    SpringApplication application = application(ShopApp.class);
    application.addInitializers(context -> log.info("second initializer ran"));

    app = application.run(args("--cairn.export.logs.startup-buffer-size=1"));
    log.info("open for business");
    awaitReceived("open for business");

    List<String> lines = receivedSnapshot();
    assertThat(lines).contains("initializer ran", "open for business");
    assertThat(lines).doesNotContain("second initializer ran", "inventory bean constructed");
    assertThat(SelfCounters.GLOBAL.total("cairn.logback.appender.startup.dropped")).isGreaterThanOrEqualTo(before + 2);
  }

  @Test
  void aFailedStartupsLinesAndBootsFailureReportAreExported() throws Exception {
    assertThatThrownBy(() -> application(BrokenApp.class).run(args()))
        .hasRootCauseMessage("no payments gateway");

    awaitReceived("Application run failed");
    assertThat(receivedSnapshot())
        .containsSubsequence("initializer ran", "payments gateway credentials missing", "Application run failed");
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (root.getAppender(CairnStartupLogCapture.APPENDER_NAME) != null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(root.getAppender(CairnStartupLogCapture.APPENDER_NAME)).as("detached after the grace period").isNull();
  }

  @Test
  void bootsReportOfAWebServerThatCannotBindItsPortIsExported() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String[] args = {
        "--spring.main.banner-mode=off",
        "--server.address=127.0.0.1",
        "--server.port=" + taken.getLocalPort(),
        "--cairn.export.logs.endpoint=http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/logs",
        "--cairn.export.traces.enabled=false",
        "--cairn.export.flush-interval=50ms"
      };
      assertThatThrownBy(() -> application(ShopApp.class).run(args)).isNotNull();
    }

    long deadline = System.nanoTime() + 10_000_000_000L;
    while (receivedSnapshot().stream().noneMatch(l -> l.contains("APPLICATION FAILED TO START"))
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(receivedSnapshot()).contains("initializer ran", "inventory bean constructed");
    assertThat(receivedSnapshot())
        .anySatisfy(l -> assertThat(l).contains("APPLICATION FAILED TO START").contains("already in use"));
  }

  @Test
  void nothingIsCapturedWithoutALogsEndpoint() throws Exception {
    app = application(ShopApp.class).run(
        "--spring.main.web-application-type=none", "--spring.main.banner-mode=off");

    assertThat(rootAppendersSeenByInitializer).doesNotContain(CairnStartupLogCapture.APPENDER_NAME);
    assertThat(((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .getAppender(CairnStartupLogCapture.APPENDER_NAME)).isNull();
  }

  @Test
  void heldLinesAreDiscardedAndCountedWhenNoLogsPipelineIsCreated() throws Exception {
    long before = SelfCounters.GLOBAL.total("cairn.logback.appender.startup.dropped");

    app = application(ShopApp.class).run(args(
        "--spring.autoconfigure.exclude=" + CairnLogsExportAutoConfiguration.class.getName()));

    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender(CairnStartupLogCapture.APPENDER_NAME)).isNull();
    assertThat(SelfCounters.GLOBAL.total("cairn.logback.appender.startup.dropped")).isGreaterThanOrEqualTo(before + 2);
    assertThat(receivedSnapshot()).isEmpty();
  }
}
