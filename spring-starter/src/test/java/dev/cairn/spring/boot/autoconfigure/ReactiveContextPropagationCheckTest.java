package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class ReactiveContextPropagationCheckTest {

  /** The test class path with some classes hidden, as an application without their jar sees it. */
  static ClassLoader without(String... classNames) {
    Set<String> hidden = Set.of(classNames);
    return new ClassLoader(ReactiveContextPropagationCheckTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (hidden.contains(name)) {
          throw new ClassNotFoundException(name);
        }
        return super.loadClass(name, resolve);
      }
    };
  }

  static MockEnvironment mode(String value) {
    return new MockEnvironment().withProperty("spring.reactor.context-propagation", value);
  }

  @Test
  void check_whenPropagationIsAuto_saysNothing() {
    assertThat(ReactiveContextPropagationCheck.warning(mode("auto"), without())).isEmpty();
    assertThat(ReactiveContextPropagationCheck.warning(mode("AUTO"), without())).isEmpty();
  }

  @Test
  void check_whenTheApplicationSetsLimited_warnsThatHandlersLogNoIds() {
    assertThat(ReactiveContextPropagationCheck.warning(mode("limited"), without()))
        .contains("spring.reactor.context-propagation=limited", "carry no trace or span ids", "set it to auto");
  }

  @Test
  void check_withoutContextPropagation_namesTheMissingLibrary() {
    assertThat(ReactiveContextPropagationCheck.warning(mode("auto"), without("io.micrometer.context.ContextRegistry")))
        .contains("io.micrometer:context-propagation is not on the class path");
  }

  @Test
  void check_withoutBootsReactorModule_namesTheMissingModule() {
    assertThat(
            ReactiveContextPropagationCheck.warning(
                mode("auto"), without("org.springframework.boot.reactor.autoconfigure.ReactorAutoConfiguration")))
        .contains("spring-boot-reactor is not on the class path");
  }

  @Test
  void check_withoutReactor_saysNothing() {
    assertThat(ReactiveContextPropagationCheck.warning(mode("limited"), without("reactor.core.publisher.Hooks"))).isEmpty();
  }
}
