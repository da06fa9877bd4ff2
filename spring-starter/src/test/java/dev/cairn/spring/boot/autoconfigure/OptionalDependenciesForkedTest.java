package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.testing.TestClassPath;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * RELIABILITY I39 for the starter, as close to reality as it gets: a Spring Boot application with
 * the starter and the documented smallest configuration (one export property) started in a forked
 * JVM whose class path is this module's real one minus one optional jar (and what exists only for
 * it). It starts and stops without a linkage error. {@link OptionalDependenciesAbsentTest} checks,
 * faster, which part backs off.
 */
@Timeout(600)
class OptionalDependenciesForkedTest {

  /** The forked application. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  public static class Main {
    public static void main(String[] args) {
      try (ConfigurableApplicationContext ctx =
          new SpringApplicationBuilder(Main.class)
              .web(WebApplicationType.NONE)
              .properties("cairn.export.endpoint=http://127.0.0.1:9") // never reached: no span
              .run(args)) {
        System.out.println("started with " + ctx.getBeansOfType(Cairn.class).size() + " Cairn");
      }
      System.out.println("stopped");
    }
  }

  private static Predicate<String> any(String... parts) {
    return p -> Stream.of(parts).anyMatch(p::contains);
  }

  static Stream<Arguments> optionalJars() {
    return Stream.of(
        // Not optional any more (WebFlux needs it), but an application may still exclude it.
        Arguments.of("context-propagation", any("/io/micrometer/context-propagation/")),
        Arguments.of("spring-boot-restclient", any("/spring-boot-restclient/")),
        // Without Micrometer Tracing there are no bridges to it either.
        Arguments.of("micrometer-tracing", any("/io/micrometer/micrometer-tracing")),
        Arguments.of("brave", any("/io/zipkin/brave/", "/micrometer-tracing-bridge-brave/")),
        Arguments.of("micrometer-tracing-bridge-otel", any("/micrometer-tracing-bridge-otel/")),
        Arguments.of("spring-boot-micrometer-metrics", any("/spring-boot-micrometer-metrics/")),
        Arguments.of(
            "spring-boot-starter-web",
            any("/spring-boot-starter-web/", "/spring-boot-webmvc/", "/spring-webmvc/",
                "/spring-boot-tomcat/", "/org/apache/tomcat/")),
        Arguments.of("spring-boot-starter-actuator", any("/spring-boot-starter-actuator/", "/spring-boot-actuator")),
        Arguments.of("spring-boot-configuration-processor", any("/spring-boot-configuration-processor/")),
        Arguments.of("jackson-databind", any("/tools/jackson/core/jackson-databind/")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optionalJars")
  void application_withoutOptionalJar_startsAndStops(String jar, Predicate<String> drop, @TempDir Path dir)
      throws Exception {
    List<Path> cp = TestClassPath.without(drop);
    assertThat(cp).as(jar + " is on the test class path").hasSizeLessThan(TestClassPath.entries().size());

    TestClassPath.Result r =
        TestClassPath.runJava(
            dir, cp, List.of("-Xshare:auto", "-Dcairn.internal.verbosity=warn"), Main.class.getName());

    assertThat(r.output()).as(jar).doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "LinkageError");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).as(jar).contains("started with 1 Cairn", "stopped");
  }
}
