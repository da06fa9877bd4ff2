package dev.cairn.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md tells a reader which Micrometer BOM version to import for the Prometheus registry;
 * that version must be the one Cairn resolves, so the snippet resolves the same jars.
 */
class MetricsDocVersionTest {
  @Test
  void prometheusSnippet_importsTheMicrometerBomOfTheMicrometerCairnUses() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "metrics.md"));
    Matcher m = Pattern.compile(
        "<artifactId>micrometer-bom</artifactId>\\s*<version>([^<]+)</version>").matcher(doc);
    assertThat(m.find()).as("micrometer-bom import in docs/metrics.md").isTrue();
    Properties pom = new Properties();
    try (InputStream in = io.micrometer.core.instrument.MeterRegistry.class.getResourceAsStream(
        "/META-INF/maven/io.micrometer/micrometer-core/pom.properties")) {
      if (in != null) {
        pom.load(in);
      }
    }
    String resolved = pom.getProperty("version",
        io.micrometer.core.instrument.MeterRegistry.class.getPackage().getImplementationVersion());
    assertThat(m.group(1)).isEqualTo(resolved);
    assertThat(doc).contains("(" + resolved + " for this release;");
  }
}
