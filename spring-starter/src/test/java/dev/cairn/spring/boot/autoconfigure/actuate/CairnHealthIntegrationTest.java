package dev.cairn.spring.boot.autoconfigure.actuate;

import static dev.cairn.spring.boot.autoconfigure.actuate.Apps.get;
import static dev.cairn.spring.boot.autoconfigure.actuate.Apps.json;
import static dev.cairn.spring.boot.autoconfigure.actuate.Apps.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The {@code cairn} health contributor in a real application whose OTLP backend answers every
 * export with 500 (a failure OTLP does not retry, so the test needs no backoff wait).
 */
class CairnHealthIntegrationTest {
  HttpServer backend;

  @BeforeEach
  void startBrokenBackend() throws Exception {
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
    });
    backend.start();
  }

  @AfterEach
  void stopBackend() {
    backend.stop(0);
  }

  ConfigurableApplicationContext appWithBrokenBackend(String... extra) {
    String[] args = {
      "--cairn.export.endpoint=http://127.0.0.1:" + backend.getAddress().getPort(),
      "--cairn.export.timeout=2s",
      "--management.endpoint.health.show-details=always"
    };
    String[] all = new String[args.length + extra.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    ConfigurableApplicationContext app = start(all);
    Cairn cairn = app.getBean(Cairn.class);
    cairn.tracer().spanBuilder("checkout").startSpan().end();
    cairn.flush(Duration.ofSeconds(10));
    return app;
  }

  @Test
  void brokenBackendLeavesTheApplicationUpAndShowsTheExporterFailing() throws Exception {
    try (ConfigurableApplicationContext app = appWithBrokenBackend()) {
      HttpResponse<String> health = get(app, "/actuator/health");
      assertThat(health.statusCode()).isEqualTo(200);
      JsonNode root = json(health);
      assertThat(root.get("status").asString()).isEqualTo("UP");
      JsonNode otlp = root.at("/components/cairn/components/spans-otlp");
      assertThat(otlp.get("status").asString()).isEqualTo("UP");
      assertThat(otlp.at("/details/failing").asBoolean()).isTrue();
      assertThat(otlp.at("/details/dropped").asLong()).isEqualTo(1);
      assertThat(otlp.at("/details/lastError").asString()).isNotBlank();
      assertThat(otlp.at("/details/lastFailure").asString()).isNotBlank();
    }
  }

  @Test
  void brokenBackendAnswers503WhenDownOnFailureIsSet() throws Exception {
    try (ConfigurableApplicationContext app = appWithBrokenBackend("--cairn.health.exporters.down-on-failure=true")) {
      HttpResponse<String> health = get(app, "/actuator/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(json(health).at("/components/cairn/components/spans-otlp/status").asString()).isEqualTo("DOWN");
    }
  }

  @Test
  void readinessProbeIgnoresTheExportersEvenWhenDownOnFailureIsSet() throws Exception {
    try (ConfigurableApplicationContext app =
        appWithBrokenBackend("--cairn.health.exporters.down-on-failure=true", "--management.endpoint.health.probes.enabled=true")) {
      assertThat(get(app, "/actuator/health/readiness").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void applicationWithoutExportersIsUp() throws Exception {
    try (ConfigurableApplicationContext app = start("--management.endpoint.health.show-details=always")) {
      HttpResponse<String> health = get(app, "/actuator/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(json(health).get("status").asString()).isEqualTo("UP");
      assertThat(json(health).at("/components/cairn").isMissingNode()).as("no exporters, no children").isTrue();
    }
  }
}
