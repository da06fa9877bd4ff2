package dev.cairn.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real child JVM running a Cairn app, recorded with the JDK's own {@code jcmd} and read back with
 * the JDK's own {@code jfr} tool (the JDK running the tests: 17 and the newest in CI).
 */
class JcmdForkedJvmTest {
  @TempDir static Path dir;
  static ForkedJvm app;
  static List<Path> settings;
  static final ObjectMapper JSON = JsonMapper.builder().build();

  @BeforeAll
  static void startApp() throws Exception {
    app = ForkedJvm.start(dir);
    settings = CairnJfr.writeSettings(dir.resolve("settings"));
  }

  @AfterAll
  static void stopApp() throws Exception {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void jcmdRecordingWithCairnSettings_hasSpansCarryingTheTraceIdsTheAppLogged() throws Exception {
    Path file = dir.resolve("spans.jfr");
    app.jcmd("JFR.start", "name=spans", "settings=default", "settings=" + settings.get(0));
    List<String> logged = app.requests(5);
    app.jcmd("JFR.dump", "name=spans", "filename=" + file);
    app.jcmd("JFR.stop", "name=spans");

    JsonNode events =
        JSON.readTree(ForkedJvm.jfr("print", "--json", "--events", "cairn.Span", file.toString()))
            .path("recording")
            .path("events");
    List<String> recorded = new ArrayList<>();
    for (JsonNode e : events) {
      assertThat(e.path("type").asString()).isEqualTo("cairn.Span");
      JsonNode v = e.path("values");
      recorded.add(v.path("traceId").asString());
      assertThat(v.path("kind").asString()).isEqualTo("SERVER");
      assertThat(v.path("name").asString()).startsWith("GET /orders/");
      assertThat(v.path("spanId").asString()).hasSize(16);
    }
    assertThat(recorded).containsExactlyInAnyOrderElementsOf(logged);
  }

  @Test
  void analyzerRunFromTheJarAlone_breaksDownTheSpansOfAJcmdDump() throws Exception {
    Path file = dir.resolve("analyze.jfr");
    app.jcmd("JFR.start", "name=analyze", "settings=" + settings.get(1));
    List<String> logged = app.requests(3);
    app.jcmd("JFR.dump", "name=analyze", "filename=" + file);
    app.jcmd("JFR.stop", "name=analyze");

    JsonNode spans =
        JSON.readTree(ForkedJvm.javaJar(dir.resolve("cairn-jfr.jar"), "analyze", file.toString(), "--json"))
            .path("spans");
    List<String> traces = new ArrayList<>();
    for (JsonNode s : spans) {
      traces.add(s.path("traceId").asString());
      // Each request sleeps 20 ms inside its span; the detailed settings record sleeps from 1 ms.
      assertThat(s.path("sleepNanos").asLong()).isGreaterThan(10_000_000L);
    }
    assertThat(traces).containsExactlyInAnyOrderElementsOf(logged);
  }

  @Test
  void plusSettingOnTheJcmdLine_limitsTheRate() throws Exception {
    Path file = dir.resolve("limited.jfr");
    app.jcmd("JFR.start", "name=limited", "+cairn.Span#enabled=true", "+cairn.Span#rate=1/min");
    app.requests(6);
    app.jcmd("JFR.dump", "name=limited", "filename=" + file);
    app.jcmd("JFR.stop", "name=limited");
    JsonNode events =
        JSON.readTree(ForkedJvm.jfr("print", "--json", "--events", "cairn.Span", file.toString()))
            .path("recording")
            .path("events");
    assertThat(events.size()).isEqualTo(1);
  }

  @Test
  void onJdk25_traceIdsAppearAsContextOfJdkEventsOnTheSameThread() throws Exception {
    assumeThat(Runtime.version().feature()).isGreaterThanOrEqualTo(25);
    Path file = dir.resolve("context.jfr");
    app.jcmd(
        "JFR.start",
        "name=context",
        "settings=" + settings.get(1),
        "+jdk.ThreadSleep#enabled=true",
        "+jdk.ThreadSleep#threshold=1ms");
    List<String> logged = app.requests(2);
    app.jcmd("JFR.dump", "name=context", "filename=" + file);
    app.jcmd("JFR.stop", "name=context");
    String text = ForkedJvm.jfr("print", "--events", "jdk.ThreadSleep", file.toString());
    assertThat(text).contains(logged.get(0)).contains(logged.get(1));
  }

  @Test
  void settingsFiles_areWrittenAndReadableByJfrConfigure() throws Exception {
    assertThat(settings).allSatisfy(p -> assertThat(Files.size(p)).isPositive());
    assertThat(Files.readString(settings.get(0))).contains("<event name=\"cairn.Span\">");
  }
}
