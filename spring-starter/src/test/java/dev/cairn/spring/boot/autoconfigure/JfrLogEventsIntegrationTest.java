package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A real Spring MVC application under a JFR recording: the warning a request logs is a {@code
 * cairn.Log} event carrying that request's trace id, read back with {@link RecordingFile}.
 */
class JfrLogEventsIntegrationTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT = "00f067aa0ba902b7";

  static ConfigurableApplicationContext app;
  static int port;

  @SpringBootApplication
  @RestController
  static class App {
    private static final org.slf4j.Logger log = LoggerFactory.getLogger("shop.stock");

    @GetMapping("/reserve")
    String reserve() {
      log.info("checking stock of {}", "A-1");
      log.warn("stock low for {}", "A-1");
      return "reserved";
    }
  }

  @BeforeAll
  static void start() {
    app = new SpringApplication(App.class).run(
        "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off");
    port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  static List<RecordedEvent> logEventsDuring(Path dir, Runnable action) throws Exception {
    Path file = dir.resolve("app.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("cairn.Log");
      recording.start();
      action.run();
      recording.stop();
      recording.dump(file);
    }
    return RecordingFile.readAllEvents(file).stream()
        .filter(e -> e.getEventType().getName().equals("cairn.Log"))
        .collect(Collectors.toList());
  }

  private static void request() {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/reserve"))
              .header("traceparent", "00-" + TRACE + "-" + PARENT + "-01")
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aWarningLoggedByARequestIsACairnLogEventWithThatRequestsTraceId(@TempDir Path dir) throws Exception {
    List<RecordedEvent> events = logEventsDuring(dir, JfrLogEventsIntegrationTest::request);

    assertThat(events)
        .filteredOn(e -> "stock low for A-1".equals(e.getString("message")))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.getString("traceId")).isEqualTo(TRACE);
          assertThat(e.getString("spanId")).hasSize(16).isNotEqualTo(PARENT);
          assertThat(e.getString("level")).isEqualTo("WARN");
          assertThat(e.getString("logger")).isEqualTo("shop.stock");
        });
  }

  @Test
  void linesBelowTheMinimumLevelAreNotRecorded(@TempDir Path dir) throws Exception {
    List<RecordedEvent> events = logEventsDuring(dir, JfrLogEventsIntegrationTest::request);

    assertThat(events).extracting(e -> e.getString("message")).doesNotContain("checking stock of A-1");
  }

  @Test
  void theAppenderIsOnTheRootLogger() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender(CairnJfrLogsAutoConfiguration.CairnJfrLogs.APPENDER_NAME)).isNotNull();
  }
}
