package dev.cairn.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiagnosticsSettingsTest {
  @Test
  void defaults_boundEveryConnectionAndLeaveTheTokenFilePerServer() {
    DiagnosticsSettings s = DiagnosticsSettings.defaults();

    assertThat(s.maxConnections()).isEqualTo(64);
    assertThat(s.maxHeaderBytes()).isEqualTo(8192);
    assertThat(s.headTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.bodyTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(s.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.tokenFile()).isEmpty();
  }

  @Test
  void fromProperties_readsTheServersLimits() {
    DiagnosticsSettings s =
        DiagnosticsSettings.fromProperties(
            Map.of(
                "cairn.diagnostics.max-connections", "8",
                "cairn.diagnostics.max-header-bytes", "4096",
                "cairn.diagnostics.head-timeout", "2s",
                "cairn.diagnostics.body-timeout", "1500",
                "cairn.diagnostics.idle-timeout", "PT1M",
                "cairn.diagnostics.write-timeout", "750ms"));

    assertThat(s.maxConnections()).isEqualTo(8);
    assertThat(s.maxHeaderBytes()).isEqualTo(4096);
    assertThat(s.headTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.bodyTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(s.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.writeTimeout()).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void fromProperties_whenATimeoutIsMalformed_namesTheProperty() {
    assertThatThrownBy(() -> DiagnosticsSettings.fromProperties(Map.of("cairn.diagnostics.head-timeout", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cairn.diagnostics.head-timeout");
    assertThatThrownBy(() -> DiagnosticsSettings.builder().maxConnections(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cairn.diagnostics.max-connections");
  }
}
