package dev.cairn.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.spring.boot.autoconfigure.CairnProperties;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.test.context.FilteredClassLoader;

class CairnJfrEndpointAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(CairnJfrEndpointAutoConfiguration.class))
          // The runner has no Boot conversion service: Access values are given as enum names.
          .withPropertyValues("management.endpoints.web.exposure.include=jfr");

  @Test
  void absentByDefaultEvenWhenExposed() {
    runner.run(context -> assertThat(context).doesNotHaveBean(CairnJfrEndpoint.class));
  }

  @Test
  void presentWhenAccessIsGrantedAndExposed() {
    runner.withPropertyValues("management.endpoint.jfr.access=READ_ONLY")
        .run(context -> assertThat(context).hasSingleBean(CairnJfrEndpoint.class));
  }

  @Test
  void backsOffForTheApplicationsOwnEndpoint() {
    runner.withPropertyValues("management.endpoint.jfr.access=UNRESTRICTED")
        .withUserConfiguration(OwnEndpoint.class)
        .run(context -> assertThat(context.getBean(CairnJfrEndpoint.class)).isSameAs(context.getBean("myJfr")));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnEndpoint {
    @Bean(destroyMethod = "close")
    CairnJfrEndpoint myJfr() {
      return new CairnJfrEndpoint(new dev.cairn.spring.boot.autoconfigure.CairnProperties.Jfr.Endpoint());
    }
  }

  @Test
  void aNonPositiveLimitFailsStartUpNamingTheProperty() {
    runner.withPropertyValues("management.endpoint.jfr.access=UNRESTRICTED", "cairn.jfr.endpoint.max-recordings=0")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("cairn.jfr.endpoint.max-recordings"));
  }

  @Test
  void aMaxSizeWithoutUnitIsInMegabytes() {
    runner.withPropertyValues("management.endpoint.jfr.access=UNRESTRICTED", "cairn.jfr.endpoint.max-size=50")
        .run(context -> assertThat(context.getBean(CairnProperties.class).getJfr().getEndpoint().getMaxSize())
            .isEqualTo(DataSize.ofMegabytes(50)));
  }

  @Test
  void absentWhenCairnIsDisabled() {
    runner.withPropertyValues("management.endpoint.jfr.access=UNRESTRICTED", "cairn.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(CairnJfrEndpoint.class));
  }

  @Test
  void absentWithoutActuator() {
    runner.withPropertyValues("management.endpoint.jfr.access=UNRESTRICTED")
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.endpoint"))
        .run(context -> assertThat(context).doesNotHaveBean(CairnJfrEndpoint.class));
  }
}
