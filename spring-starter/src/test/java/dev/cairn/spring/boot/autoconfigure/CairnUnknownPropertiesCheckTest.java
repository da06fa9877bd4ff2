package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** A real context with the starter's check: what a misspelt {@code cairn.*} property prints. */
@ExtendWith(OutputCaptureExtension.class)
class CairnUnknownPropertiesCheckTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(CairnPropertiesCheckAutoConfiguration.class));

  /** Adds variables the way the process environment reaches Boot (Boot maps a source by this name). */
  private ApplicationContextRunner withEnv(Map<String, Object> vars) {
    return runner.withInitializer(c -> c.getEnvironment().getPropertySources()
        .addFirst(new SystemEnvironmentPropertySource("test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, vars)));
  }

  @Test
  void dottedBlackBoxName_warnsNamingTheBoundProperty(CapturedOutput out) {
    runner.withPropertyValues("cairn.jfr.black-box.directory=/var/tmp/box").run(c -> {});
    assertThat(out.getOut())
        .contains("unknown property 'cairn.jfr.black-box.directory'")
        .contains("did you mean 'cairn.jfr.black-box-directory'?");
  }

  @Test
  void dottedStallName_warnsNamingTheBoundProperty(CapturedOutput out) {
    runner.withPropertyValues("cairn.jfr.stall.threshold=500ms").run(c -> {});
    assertThat(out.getOut())
        .contains("unknown property 'cairn.jfr.stall.threshold'")
        .contains("did you mean 'cairn.jfr.stall-threshold'?");
  }

  @Test
  void typoInAnEnvironmentVariable_warns(CapturedOutput out) {
    withEnv(Map.of("CAIRN_JFR_BLACKBOX_DIR", "/var/tmp/box")).run(c -> {});
    assertThat(out.getOut())
        .contains("unknown property 'cairn.jfr.blackbox.dir'")
        .contains("did you mean 'cairn.jfr.black-box-directory'?");
  }

  @Test
  void legacyUnderscoreVariable_bindsAndWarnsNothing(CapturedOutput out) {
    // Boot also binds the dashes-as-underscores form of a variable.
    withEnv(Map.of("CAIRN_JFR_BLACK_BOX_DIRECTORY", "/var/tmp/box")).run(c ->
        assertThat(Binder.get(c.getEnvironment()).bind("cairn.jfr.black-box-directory", String.class).get())
            .isEqualTo("/var/tmp/box"));
    assertThat(out.getOut()).doesNotContain("unknown property");
  }

  @Test
  void everyRelaxedFormOfKnownNames_warnsNothing(CapturedOutput out) {
    withEnv(Map.of("CAIRN_JFR_BLACKBOXDIRECTORY", "/var/tmp/box", "CAIRN_PROPAGATION_FORMATS_0", "w3c"))
        .withPropertyValues(
            "cairn.jfr.blackBoxDirectory=/var/tmp/box",
            "cairn.jfr.black-box-directory=/var/tmp/box",
            "cairn.jfr.stall_threshold=1s",
            "cairn.propagation.formats[1]=baggage",
            "cairn.export.headers.Authorization=Bearer x",
            "cairn.export.headers[x-tenant]=acme",
            "cairn.diagnostics.port=0",
            "cairn.diagnostics.dumps.directory=/var/tmp/dumps")
        .run(c -> {});
    assertThat(out.getOut()).doesNotContain("unknown property");
  }

  @Test
  void unknownDiagnosticsKey_warnsNamingTheClosestKey(CapturedOutput out) {
    runner.withPropertyValues("cairn.diagnostics.prot=0").run(c -> {});
    assertThat(out.getOut())
        .contains("unknown property 'cairn.diagnostics.prot'")
        .contains("did you mean 'cairn.diagnostics.port'?");
  }

  @Test
  void eachUnknownProperty_isReportedOnce(CapturedOutput out) {
    withEnv(Map.of("CAIRN_SERVICENAM", "shop"))
        .withPropertyValues("cairn.servicenam=shop").run(c -> {});
    assertThat(out.getOut().split("unknown property 'cairn.servicenam'", -1)).hasSize(2);
    assertThat(out.getOut()).contains("did you mean 'cairn.service-name'?");
  }
}
