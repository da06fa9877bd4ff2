package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.internal.SelfCounters;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The Cairn bean's resource (which every exporter adopts) from properties. */
class CairnResourceTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(CairnTracingAutoConfiguration.class));

  @Test
  void serviceNameAndResourceAttributes_areTheCairnResource() {
    runner
        .withPropertyValues("cairn.service-name=orders", "cairn.resource-attributes=deployment.environment=prod,team=a%20b")
        .run(
            ctx -> {
              Cairn cairn = ctx.getBean(Cairn.class);
              assertThat(cairn.resource().serviceName()).isEqualTo("orders");
              assertThat(cairn.resource().getString("deployment.environment")).contains("prod");
              assertThat(cairn.resource().getString("team")).contains("a b");
            });
  }

  @Test
  void malformedResourceAttributes_areIgnoredAndCounted() {
    long before = SelfCounters.GLOBAL.total("cairn.resource.rejected");
    runner
        .withPropertyValues("cairn.service-name=orders", "cairn.resource-attributes=no-equals-sign")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx.getBean(Cairn.class).resource().serviceName()).isEqualTo("orders");
              assertThat(SelfCounters.GLOBAL.total("cairn.resource.rejected")).isEqualTo(before + 1);
            });
  }
}
