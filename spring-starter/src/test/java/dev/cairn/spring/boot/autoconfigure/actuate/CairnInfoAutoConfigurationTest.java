package dev.cairn.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.diagnostics.Fingerprint;
import dev.cairn.resource.Resource;
import dev.cairn.spring.boot.autoconfigure.CairnTracingAutoConfiguration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class CairnInfoAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(CairnTracingAutoConfiguration.class, CairnInfoAutoConfiguration.class));

  @SuppressWarnings("unchecked")
  static Map<String, Object> cairnInfo(ApplicationContext context) {
    Info.Builder b = new Info.Builder();
    context.getBean("cairnInfoContributor", InfoContributor.class).contribute(b);
    return (Map<String, Object>) b.build().getDetails().get("cairn");
  }

  @Test
  void contributesTheServiceAsCairnNamesIt() {
    runner.withPropertyValues("cairn.service-name=orders").run(context ->
        assertThat(cairnInfo(context)).extractingByKey("service").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
            .containsEntry("name", "orders"));
  }

  @Test
  void contributesEveryResourceAttribute() {
    runner.withPropertyValues("cairn.service-name=orders").run(context ->
        assertThat(cairnInfo(context).get("resource"))
            .isEqualTo(context.getBean(Cairn.class).resource().attributes()));
  }

  @Test
  void fingerprintHashIsTheOneOfThisProcessEnvironment() {
    runner.run(context ->
        assertThat(cairnInfo(context)).extractingByKey("fingerprint").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
            .containsEntry("hash", Fingerprint.capture().hash()));
  }

  @Test
  void fingerprintHashIsTheResourcesWhenItCarriesOne() {
    runner.withUserConfiguration(CairnWithFingerprint.class).run(context ->
        assertThat(cairnInfo(context)).extractingByKey("fingerprint").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
            .containsEntry("hash", "0123abcd"));
  }

  @Configuration(proxyBeanMethods = false)
  static class CairnWithFingerprint {
    @Bean(destroyMethod = "close")
    Cairn cairn() {
      return Cairn.builder().shutdownHook(false)
          .resource(Resource.builder().serviceName("orders").put(Fingerprint.RESOURCE_ATTRIBUTE, "0123abcd").build())
          .build();
    }
  }

  @Test
  void backsOffForTheApplicationsOwnInfoContributorOfThatName() {
    runner.withUserConfiguration(OwnContributor.class).run(context -> {
      assertThat(context).doesNotHaveBean(CairnInfoContributor.class);
      assertThat(context).hasBean("cairnInfoContributor");
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnContributor {
    @Bean
    InfoContributor cairnInfoContributor() {
      return b -> b.withDetail("cairn", "mine");
    }
  }

  @Test
  void switchedOffWithManagementInfoCairnEnabledFalse() {
    runner.withPropertyValues("management.info.cairn.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(CairnInfoContributor.class));
  }

  @Test
  void absentWithoutACairnBean() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CairnInfoAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean("cairnInfoContributor"));
  }

  @Test
  void absentWhenCairnIsDisabled() {
    runner.withPropertyValues("cairn.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(CairnInfoContributor.class));
  }

  @Test
  void absentWithoutActuator() {
    runner.withClassLoader(new FilteredClassLoader(InfoContributor.class))
        .run(context -> assertThat(context).doesNotHaveBean("cairnInfoContributor"));
  }
}
