package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY H36 in forked JVMs: with the backend dead, {@code close()} returns at its deadline
 * and the JVM still exits (Cairn's threads are daemons); the shutdown hook closes an instance the
 * application forgot; with the backend up, everything queued is delivered on graceful exit.
 */
@Timeout(120)
class CairnShutdownTest {

  private static List<String> run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("-Xshare:auto");
    cmd.add("-Dcairn.internal.verbosity=off");
    cmd.add(CairnShutdownChild.class.getName());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM exited").isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
    return lines;
  }

  @Test
  void deadBackend_closeReturnsAtItsDeadlineAndTheJvmExits() throws Exception {
    List<String> out = run("explicit");
    assertThat(out).contains("closed false " + out.get(0).split(" ")[2]);
    assertThat(out).contains("accounting 1000", "nondaemon 0");
    System.out.println("[H36] close with a dead exporter took " + out.get(0).split(" ")[2] + " ms (deadline 500 ms)");
  }

  @Test
  void forgottenInstance_isClosedByTheShutdownHookAndTheJvmExits() throws Exception {
    assertThat(run("hook")).containsExactly("emitted");
  }

  @Test
  void liveBackend_everythingQueuedIsDeliveredOnGracefulExit(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spans.ndjson");
    assertThat(run("deliver", file.toString())).containsExactly("emitted");
    assertThat(Files.readAllLines(file)).hasSize(10_000);
  }
}
