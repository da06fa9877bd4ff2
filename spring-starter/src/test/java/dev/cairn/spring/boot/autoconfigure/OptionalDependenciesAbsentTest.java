package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.spring.boot.autoconfigure.actuate.CairnHealthAutoConfiguration;
import dev.cairn.spring.boot.autoconfigure.actuate.CairnInfoAutoConfiguration;
import dev.cairn.spring.boot.autoconfigure.actuate.CairnJfrEndpointAutoConfiguration;
import dev.cairn.spring.boot.autoconfigure.actuate.CairnJfrEndpoint;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * RELIABILITY I39 for the starter: every optional dependency of {@code spring-starter/pom.xml}
 * hidden, one at a time, from an application with every Cairn auto-configuration and the
 * documented smallest configuration (one export property). The application starts with a
 * {@code Cairn} bean, and the part that needs the jar is simply not there (Spring's condition
 * report names the missing class; nothing is logged per request).
 */
class OptionalDependenciesAbsentTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ObservationAutoConfiguration.class,
                  CairnContextAutoConfiguration.class,
                  CairnMetricsAutoConfiguration.class,
                  CairnJfrLogsAutoConfiguration.class,
                  CairnJfrAutoConfiguration.class,
                  CairnLogsExportAutoConfiguration.class,
                  CairnTracingAutoConfiguration.class,
                  CairnObservationAutoConfiguration.class,
                  CairnActuatorAutoConfiguration.class,
                  CairnHealthAutoConfiguration.class,
                  CairnInfoAutoConfiguration.class,
                  CairnJfrEndpointAutoConfiguration.class))
          .withPropertyValues(
              "cairn.export.endpoint=http://127.0.0.1:9", // never reached: no span is made
              "cairn.logging.enabled=false");

  /** Each optional jar of the starter: its packages, and the beans that exist only with it. */
  static Stream<Arguments> optionalJars() {
    return Stream.of(
        // Not optional any more (WebFlux needs it), but an application may still exclude it.
        Arguments.of("context-propagation", List.of("io.micrometer.context"),
            List.of(CairnContextAutoConfiguration.ContextPropagationConfiguration.class)),
        Arguments.of("spring-boot-restclient", List.of("org.springframework.boot.restclient"), List.of()),
        Arguments.of("micrometer-tracing", List.of("io.micrometer.tracing"),
            List.of(MicrometerTracingContextHandler.class, BraveScopeMirror.class, OtelScopeMirror.class)),
        Arguments.of("brave", List.of("brave"), List.of(BraveScopeMirror.class)),
        Arguments.of("micrometer-tracing-bridge-otel",
            List.of("io.micrometer.tracing.otel", "io.opentelemetry"), List.of(OtelScopeMirror.class)),
        Arguments.of("spring-boot-micrometer-metrics",
            List.of("org.springframework.boot.micrometer.metrics"), List.of()),
        Arguments.of("spring-boot-starter-web",
            List.of("org.springframework.web.servlet", "org.springframework.boot.webmvc",
                "org.springframework.boot.tomcat", "org.apache.catalina", "org.apache.tomcat",
                "jakarta.servlet"),
            List.of()),
        // Actuator's API packages: hiding its auto-configure package too would make Spring fail to
        // resolve a condition class named by an annotation it can read reflectively here (Cairn's
        // classes come from the unfiltered loader); with the jar really absent, Spring skips
        // annotations it cannot load.
        Arguments.of("spring-boot-starter-actuator",
            List.of("org.springframework.boot.actuate.endpoint", "org.springframework.boot.actuate.health",
                "org.springframework.boot.actuate.info"),
            List.of(CairnEndpoint.class, CairnJfrEndpoint.class)),
        Arguments.of("spring-boot-configuration-processor",
            List.of("org.springframework.boot.configurationprocessor"), List.of()),
        Arguments.of("jackson-databind", List.of("tools.jackson.databind"), List.of(CairnEndpoint.class)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optionalJars")
  void smallestSetup_withoutOptionalJar_startsWithoutThePartThatNeedsIt(
      String jar, List<String> packages, List<Class<?>> needsIt) {
    runner
        .withClassLoader(new FilteredClassLoader(packages.toArray(new String[0])))
        .run(
            ctx -> {
              assertThat(ctx).as(jar).hasNotFailed();
              assertThat(ctx).hasSingleBean(Cairn.class);
              for (Class<?> type : needsIt) {
                assertThat(ctx).as(jar + " absent").doesNotHaveBean(type);
              }
            });
  }
}
