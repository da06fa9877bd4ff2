package dev.cairn.metrics;

import static dev.cairn.testing.TestClassPath.artifact;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.TestClassPath;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY I39 for core: each optional jar of {@code cairn-core} (see its pom) absent, in a
 * forked JVM on the module's real class path minus that jar. The smallest documented setup starts,
 * and the feature that needs the jar says so once, as a line and not a stack trace.
 */
@Timeout(120)
class OptionalDependenciesTest {
  @TempDir Path dir;

  private TestClassPath.Result run(List<Path> classPath, String mode) throws Exception {
    return TestClassPath.runJava(
        dir, classPath, List.of("-Xshare:auto"), OptionalDependenciesChild.class.getName(), mode);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void smallestSetup_withoutPrometheusRegistry_startsAndSaysOnceThatScrapesAreEmpty()
      throws Exception {
    List<Path> cp =
        TestClassPath.without(artifact("io/micrometer", "micrometer-registry-prometheus"));
    assertThat(cp).hasSizeLessThan(TestClassPath.entries().size());

    TestClassPath.Result r = run(cp, "default");

    assertThat(r.output()).doesNotContain("NoClassDefFoundError", "Exception", "\tat ");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("started", "prometheus false", "openmetrics false", "closed");
    assertThat(count(r.output(), PrometheusSupport.MISSING)).as(r.output()).isOne();
  }

  @Test
  void smallestSetup_withoutAnyPrometheusJar_startsAndSaysOnceThatScrapesAreEmpty()
      throws Exception {
    // What an application that never added the registry has: none of the client's jars either.
    List<Path> cp =
        TestClassPath.without(
            artifact("io/micrometer", "micrometer-registry-prometheus")
                .or(p -> p.contains("/io/prometheus/")));

    TestClassPath.Result r = run(cp, "default");

    assertThat(r.output()).doesNotContain("NoClassDefFoundError", "Exception", "\tat ");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("started", "prometheus false", "closed");
    assertThat(count(r.output(), PrometheusSupport.MISSING)).as(r.output()).isOne();
  }

  @Test
  void otlpEndpoint_withoutOtlpRegistry_startsAndSaysOnceThatMetricsAreNotExported()
      throws Exception {
    List<Path> cp = TestClassPath.without(artifact("io/micrometer", "micrometer-registry-otlp"));
    assertThat(cp).hasSizeLessThan(TestClassPath.entries().size());

    TestClassPath.Result r = run(cp, "otlp");

    assertThat(r.output()).doesNotContain("NoClassDefFoundError", "Exception", "\tat ");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("started", "prometheus true", "closed");
    assertThat(count(r.output(), OtlpSupport.MISSING)).as(r.output()).isOne();
  }

  @Test
  void smallestSetup_withEveryOptionalJar_saysNothingIsMissing() throws Exception {
    TestClassPath.Result r = run(TestClassPath.entries(), "default");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("prometheus true", "openmetrics true");
    assertThat(r.output()).doesNotContain(PrometheusSupport.MISSING, OtlpSupport.MISSING);
  }
}
