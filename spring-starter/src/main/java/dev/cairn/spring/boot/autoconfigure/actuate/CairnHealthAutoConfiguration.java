package dev.cairn.spring.boot.autoconfigure.actuate;

import dev.cairn.Cairn;
import dev.cairn.spring.boot.autoconfigure.CairnProperties;
import dev.cairn.spring.boot.autoconfigure.CairnTracingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code cairn} health contributor: one child per exporter of the {@link Cairn} bean. On when
 * Boot's health classes are present and {@code management.health.cairn.enabled} is not false;
 * backs off for a bean named {@code cairnHealthContributor} or {@code cairnHealthIndicator}.
 */
@AutoConfiguration(after = CairnTracingAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBooleanProperty(name = "cairn.enabled", matchIfMissing = true)
@ConditionalOnEnabledHealthIndicator("cairn")
@EnableConfigurationProperties(CairnProperties.class)
public class CairnHealthAutoConfiguration {

  /** Exporter health from the Cairn bean; {@code DOWN} only with {@code cairn.health.exporters.down-on-failure}. */
  @Bean
  @ConditionalOnBean(Cairn.class)
  @ConditionalOnMissingBean(
      value = CairnExportersHealthContributor.class,
      name = {"cairnHealthContributor", "cairnHealthIndicator"})
  public CairnExportersHealthContributor cairnHealthContributor(Cairn cairn, CairnProperties properties) {
    return new CairnExportersHealthContributor(
        cairn::exporterHealth, properties.getHealth().getExporters().isDownOnFailure());
  }
}
