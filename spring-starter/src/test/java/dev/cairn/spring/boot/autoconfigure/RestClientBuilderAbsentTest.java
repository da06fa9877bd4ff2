package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.metrics.observation.CairnObservationHandler;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.client.RestClient;

/**
 * In Boot 4 the {@code RestClient.Builder} bean comes from {@code spring-boot-restclient} (the
 * {@code spring-boot-starter-restclient} starter), which {@code spring-boot-starter-web} does not
 * bring. A first servlet application with the starter and without it must start: no Cairn
 * auto-configuration may need that bean or that module.
 */
class RestClientBuilderAbsentTest {
  @Test
  void servletApplication_withoutBootsRestClientModule_startsWithCairnsServerSide() {
    new WebApplicationContextRunner()
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.restclient"))
        .withConfiguration(AutoConfigurations.of(
            ObservationAutoConfiguration.class,
            CairnContextAutoConfiguration.class,
            CairnMetricsAutoConfiguration.class,
            CairnJfrLogsAutoConfiguration.class,
            CairnJfrAutoConfiguration.class,
            CairnLogsExportAutoConfiguration.class,
            CairnTracingAutoConfiguration.class,
            CairnObservationAutoConfiguration.class,
            CairnActuatorAutoConfiguration.class))
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx).doesNotHaveBean(RestClient.Builder.class);
          assertThat(ctx).hasSingleBean(Cairn.class);
          assertThat(ctx).hasSingleBean(CairnObservationHandler.class);
        });
  }
}
