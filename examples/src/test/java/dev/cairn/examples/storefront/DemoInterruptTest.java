package dev.cairn.examples.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --until-interrupted} as a user runs it: the demo in its own JVM on the module's runtime
 * class path, then Ctrl-C, which is SIGINT (sent with {@code kill -INT}: {@code Process.destroy()}
 * would send SIGTERM).
 */
class DemoInterruptTest {
  @TempDir Path out;

  @Test
  void untilInterrupted_printsTheGuideBeforeWaiting_andCtrlCEndsWithStatusZero() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-cp", runtimeClassPath(), StorefrontDemo.class.getName(),
        "--until-interrupted", "--duration=2s", "--out=" + out)
        .redirectErrorStream(true);
    Process demo = pb.start();
    List<String> lines = new ArrayList<>();
    List<Long> services = new ArrayList<>();
    try {
      BufferedReader in = new BufferedReader(
          new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
      Pattern pid = Pattern.compile("^\\[demo\\] \\w+\\s+http://\\S+\\s+pid (\\d+)");
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
        Matcher m = pid.matcher(line);
        if (m.find()) {
          services.add(Long.parseLong(m.group(1)));
        }
        if (line.contains("stay up until Ctrl-C")) {
          break;
        }
      }
      assertThat(line).as("the demo's output:%n%s", String.join("\n", lines)).isNotNull();
      assertThat(String.join("\n", lines)).contains("=== Cairn storefront demo: what happened ===");
      assertThat(services).hasSize(3);
      // A JVM leaves SIGINT alone if it started with the signal ignored (as under nohup).
      assumeThat(sigintIgnored(demo.pid())).as("SIGINT ignored by the environment").isFalse();

      int killed = new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor();
      assertThat(killed).isZero();
      // Generous: the hook stops three Spring Boot services gracefully on a loaded 2-core box.
      assertThat(demo.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String rest = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(demo.exitValue()).as(rest).isZero();
      assertThat(rest).contains("[demo] interrupted: services stopped").doesNotContain("Exception");
      for (long p : services) {
        assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
            .as("service pid %d", p).isFalse();
      }
    } finally {
      demo.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      for (long p : services) {
        ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private static boolean sigintIgnored(long pid) throws IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (!Files.exists(status)) {
      return false;
    }
    for (String l : Files.readAllLines(status)) {
      if (l.startsWith("SigIgn:")) {
        return (Long.parseLong(l.substring(7).trim(), 16) & (1L << 1)) != 0; // SIGINT is 2
      }
    }
    return false;
  }

  private static String runtimeClassPath() throws IOException {
    String classes = System.getProperty("cairn.examples.classes");
    String file = System.getProperty("cairn.examples.runtime-classpath-file");
    if (classes == null || file == null) {
      fail("run through Maven: the demo must get the runtime class path that examples/pom.xml writes");
    }
    return classes + java.io.File.pathSeparator
        + Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
  }
}
