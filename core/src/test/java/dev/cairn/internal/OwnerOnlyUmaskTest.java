package dev.cairn.internal;

import static dev.cairn.internal.OwnerOnlyFilesTest.mode;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY I40 for core's writers, end to end: a JVM started under {@code umask 022} (whatever
 * the umask of the build) writes a journal, a snapshot and rotated NDJSON files; every directory
 * and file Cairn created is owner-only.
 */
class OwnerOnlyUmaskTest {
  @TempDir Path tmp;

  @Test
  void journalSnapshotAndNdjson_underUmask022_areCreatedOwnerOnly() throws Exception {
    Path root = tmp.resolve("cairn");
    Path control = tmp.resolve("control");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p =
        new ProcessBuilder(
                "sh",
                "-c",
                "umask 022; exec \"$0\" -cp \"$1\" -Dcairn.internal.verbosity=off " + OwnerOnlyUmaskChild.class.getName() + " \"$2\" \"$3\"",
                java,
                System.getProperty("java.class.path"),
                root.toString(),
                control.toString())
            .redirectErrorStream(true)
            .start();
    String output;
    try {
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(output).contains("done");
    // The control proves the child really ran under 022: plain creation leaves group/other bits.
    assertThat(mode(control.resolve("dir"))).isEqualTo("rwxr-xr-x");
    assertThat(mode(control.resolve("file"))).isEqualTo("rw-r--r--");

    Map<String, String> modes = new LinkedHashMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path path : all.collect(Collectors.toList())) {
        modes.put(root.relativize(path).toString(), mode(path));
      }
    }
    List<String> segments =
        modes.keySet().stream().filter(n -> n.startsWith("journal/orders/") && n.endsWith(".cjnl")).collect(Collectors.toList());
    assertThat(segments).as("journal segments").hasSizeGreaterThan(1);
    assertThat(modes).containsKeys("journal/orders/orders.snapshot", "ndjson/spans/spans.ndjson", "ndjson/spans/spans.ndjson.1");
    modes.forEach(
        (name, mode) -> {
          boolean dir = Files.isDirectory(root.resolve(name));
          assertThat(mode).as(name).isEqualTo(dir ? "rwx------" : "rw-------");
        });
  }
}
