package dev.cairn.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.jfr.internal.SensitiveEvents;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeSet;
import jdk.jfr.Configuration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SensitiveEventsTest {
  @ParameterizedTest
  @ValueSource(strings = {"cairn.jfc", "cairn-detailed.jfc"})
  void settingsFile_disablesExactlyTheSensitiveJdkEvents(String file) throws Exception {
    Map<String, String> settings;
    try (InputStream in = CairnJfr.class.getResourceAsStream(file)) {
      settings = Configuration.create(new InputStreamReader(in, StandardCharsets.UTF_8)).getSettings();
    }
    TreeSet<String> disabled = new TreeSet<>();
    settings.forEach(
        (k, v) -> {
          if (k.startsWith("jdk.") && k.endsWith("#enabled") && v.equals("false")) {
            disabled.add(k.substring(0, k.length() - "#enabled".length()));
          }
        });

    assertThat(disabled).containsExactlyInAnyOrderElementsOf(SensitiveEvents.TYPES);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk.InitialEnvironmentVariable", "jdk.InitialSystemProperty", "jdk.JVMInformation", "jdk.SystemProcess"})
  void blackBoxSettings_leaveOutTheEventsThatCopySecrets(String type) {
    assertThat(BlackBox.settings()).containsEntry(type + "#enabled", "false");
  }
}
