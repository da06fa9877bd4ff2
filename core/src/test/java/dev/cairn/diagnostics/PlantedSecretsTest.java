package dev.cairn.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** One forked JVM with secrets planted in its environment, arguments and thread names. */
class PlantedSecretsTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();
  private static final List<String> SECRETS =
      List.of(
          "planted-env-secret",
          "planted-tool-options-secret",
          "planted-arg-secret",
          "planted-thread-secret",
          "planted-bearer-secret",
          "planted-url-secret");

  @TempDir static Path dir;

  @BeforeAll
  static void runForkedJvm() throws Exception {
    ForkedJvm.Result r =
        ForkedJvm.run(
            dir,
            Map.of(
                "CAIRN_TEST_SECRET", "planted-env-secret",
                "JAVA_TOOL_OPTIONS", "-Dapp.password=planted-tool-options-secret",
                "DATABASE_URL", "postgres://app:planted-url-secret@db:5432/orders"),
            List.of("-Dpassword=planted-arg-secret"),
            ForkedDiagnostics.class.getName(),
            dir.toString());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
  }

  @Test
  void plantedSecretsAppearZeroTimesInAnyView() throws Exception {
    List<Path> views = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().endsWith(".txt") && !p.getFileName().toString().startsWith("std"))
          .forEach(views::add);
    }
    assertThat(views).hasSizeGreaterThanOrEqualTo(8);

    for (Path v : views) {
      String body = Files.readString(v);
      for (String secret : SECRETS) {
        assertThat(body).as(v.getFileName() + " contains " + secret).doesNotContain(secret);
      }
    }
  }

  @Test
  void secretNamesStayVisibleWithTheirValuesRedacted() throws Exception {
    JsonNode env = JACKSON.readTree(Files.readString(dir.resolve("environment.txt")));
    JsonNode props = JACKSON.readTree(Files.readString(dir.resolve("system-properties.txt")));

    assertThat(env.get("CAIRN_TEST_SECRET").asString()).isEqualTo(Redactor.REDACTED);
    assertThat(env.get("JAVA_TOOL_OPTIONS").asString()).isEqualTo("-Dapp.password=" + Redactor.REDACTED);
    assertThat(env.get("DATABASE_URL").asString()).contains("@db:5432/orders");
    assertThat(props.get("password").asString()).isEqualTo(Redactor.REDACTED);
    assertThat(props.get("app.password").asString()).isEqualTo(Redactor.REDACTED);
  }

  @Test
  void aRealMonitorDeadlockIsDetectedWithItsLockOwner() throws Exception {
    JsonNode dl = JACKSON.readTree(Files.readString(dir.resolve("threads-deadlocks.txt")));

    assertThat(dl.get("count").asInt()).isEqualTo(2);
    JsonNode a = dl.get("threads").get(0).get("name").asString().equals("monitor-deadlock-a")
        ? dl.get("threads").get(0) : dl.get("threads").get(1);
    assertThat(a.get("lockOwner").asString()).isEqualTo("monitor-deadlock-b");
    assertThat(a.get("state").asString()).isEqualTo("BLOCKED");
    assertThat(Files.readString(dir.resolve("threads.txt")))
        .contains("Found 2 deadlocked threads")
        .contains("- locked java.lang.Object@");
  }
}
