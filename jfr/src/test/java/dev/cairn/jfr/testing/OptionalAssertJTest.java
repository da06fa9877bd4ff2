package dev.cairn.jfr.testing;

import static dev.cairn.testing.TestClassPath.artifact;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.TestClassPath;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY I39 for cairn-jfr, whose one optional jar is {@code assertj-core} (for the test kit):
 * in a forked JVM on the module's class path without it, the smallest setup records spans, and the
 * test kit's assertions say what to add instead of failing with a bare NoClassDefFoundError.
 */
@Timeout(120)
class OptionalAssertJTest {
  @Test
  void smallestSetup_withoutAssertJ_startsAndTheTestKitSaysWhatToAdd(@TempDir Path dir)
      throws Exception {
    List<Path> cp = TestClassPath.without(artifact("org/assertj", "assertj-core"));
    assertThat(cp).hasSizeLessThan(TestClassPath.entries().size());

    TestClassPath.Result r =
        TestClassPath.runJava(dir, cp, List.of("-Xshare:auto"), OptionalAssertJChild.class.getName());

    assertThat(r.output()).doesNotContain("NoClassDefFoundError", "\tat ");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output())
        .contains("started, spans recorded: 1", "test kit: " + JfrAssertions.MISSING, "closed");
  }

  @Test
  void testKit_withAssertJ_runsItsAssertions(@TempDir Path dir) throws Exception {
    TestClassPath.Result r =
        TestClassPath.runJava(
            dir, TestClassPath.entries(), List.of("-Xshare:auto"), OptionalAssertJChild.class.getName());

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("assertions ran").doesNotContain(JfrAssertions.MISSING);
  }
}
