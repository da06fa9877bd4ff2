package dev.cairn.examples.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.pipeline.ExporterHealth;
import dev.cairn.spring.boot.autoconfigure.CairnJfrAutoConfiguration;
import dev.cairn.spring.boot.autoconfigure.CairnTracingAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The demo's services send spans where the starter's documented settings say. */
class DemoExportSettingsTest {
  @TempDir Path out;

  @Test
  void withoutExportSettings_spansGoToTheServicesNdjsonFile() {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    ServiceMain.defaultExportToFile(env, out.resolve("spans-orders.ndjson"));
    assertThat(env.getProperty("cairn.export.protocol")).isEqualTo("ndjson");
    assertThat(env.getProperty("cairn.export.endpoint"))
        .isEqualTo(out.resolve("spans-orders.ndjson").toAbsolutePath().toString());
  }

  @Test
  void documentedVariables_winOverTheDemosFile() {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            Map.of("CAIRN_EXPORT_PROTOCOL", "zipkin", "CAIRN_EXPORT_ENDPOINT", "http://127.0.0.1:9411")));
    ServiceMain.defaultExportToFile(env, out.resolve("spans-orders.ndjson"));
    assertThat(env.getProperty("cairn.export.protocol")).isEqualTo("zipkin");
    assertThat(env.getProperty("cairn.export.endpoint")).isEqualTo("http://127.0.0.1:9411");
  }

  @Test
  void demoConfiguration_leavesTheExporterToTheStartersSettings() {
    try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
      context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", Map.of(
          "spring.application.name", "payments",
          "demo.out", out.toString(),
          "cairn.export.protocol", "zipkin",
          "cairn.export.endpoint", "http://127.0.0.1:9411")));
      // The application's configuration first, then the starter's, as Boot orders them.
      context.register(StorefrontObservability.class);
      context.registerBean(MeterRegistry.class, SimpleMeterRegistry::new);
      context.register(CairnJfrAutoConfiguration.class, CairnTracingAutoConfiguration.class);
      context.refresh();
      assertThat(context.getBean(Cairn.class).exporterHealth())
          .extracting(ExporterHealth::exporter)
          .contains("zipkin")
          .doesNotContain("ndjson");
    }
  }
}
