package dev.cairn.examples.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {
  @Test
  void readsSeveralSettingsHandedOverAsOneArgumentByMaven() {
    DemoOptions o = DemoOptions.parse(new String[] {"--duration=60s --log-format=ecs"}, Map.of());

    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.logFormat()).isEqualTo("ecs");
  }

  @Test
  void fallsBackToTheEnvironmentAndThenToDefaults() {
    DemoOptions o = DemoOptions.parse(new String[0], Map.of("CAIRN_DEMO_ORDERS_PORT", "8081"));

    assertThat(o.ordersPort()).isEqualTo(8081);
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(20));
    assertThat(o.untilInterrupted()).isFalse();
  }

  @Test
  void aBareFlagSwitchesItOn() {
    assertThat(DemoOptions.parse(new String[] {"--until-interrupted"}, Map.of()).untilInterrupted())
        .isTrue();
  }
}
