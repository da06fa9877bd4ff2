package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class CairnReactorEnvironmentPostProcessorTest {

  private static String mode(boolean libraries, Map<String, Object> values) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", values));
    new CairnReactorEnvironmentPostProcessor(libraries).postProcessEnvironment(env, new SpringApplication());
    return env.getProperty("spring.reactor.context-propagation");
  }

  @Test
  void reactorWithContextPropagation_turnsAutomaticPropagationOn() {
    assertThat(mode(true, Map.of())).isEqualTo("auto");
  }

  @Test
  void theApplicationsOwnSetting_wins() {
    assertThat(mode(true, Map.of("spring.reactor.context-propagation", "limited"))).isEqualTo("limited");
  }

  @Test
  void cairnDisabled_leavesReactorAlone() {
    assertThat(mode(true, Map.of("cairn.enabled", "false"))).isNull();
  }

  @Test
  void withoutReactorOrContextPropagation_nothingIsSet() {
    assertThat(mode(false, Map.of())).isNull();
  }

  @Test
  void isRegisteredWithSpringBoot() throws Exception {
    String factories =
        new String(
            getClass().getResourceAsStream("/META-INF/spring.factories").readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(factories).contains(CairnReactorEnvironmentPostProcessor.class.getName());
  }
}
