package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.Cairn;
import dev.cairn.metrics.CairnHealthMeters;
import dev.cairn.metrics.CardinalityGuard;
import dev.cairn.metrics.ExporterMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Cairn's additions to Boot's Micrometer registry: the cardinality guard as a {@code MeterFilter}
 * bean (Boot applies it to every registry; the guard counts each overflow once even when applied
 * to a composite and its children), Cairn's health meters and its exporters' queue gauges as
 * {@code MeterBinder} beans.
 */
@AutoConfiguration
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "cairn.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CairnProperties.class)
public class CairnMetricsAutoConfiguration {

  /** The cardinality guard; {@code cairn.metrics.cardinality.enabled=false} removes it. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty(name = "cairn.metrics.cardinality.enabled", matchIfMissing = true)
  public CardinalityGuard cairnCardinalityGuard(CairnProperties properties) {
    CairnProperties.Metrics.Cardinality c = properties.getMetrics().getCardinality();
    return CardinalityGuard.of(c.getMaxPerName(), c.getMaxTotal());
  }

  /**
   * Queue gauges of the Cairn instance's exporters ({@code cairn.export.queued}, {@code
   * cairn.export.queue.capacity}, {@code cairn.export.last.duration}). The instance is looked up
   * when Boot binds the meters, after every singleton exists, so this adds no ordering constraint.
   */
  @Bean
  @ConditionalOnMissingBean(name = "cairnExporterMeters")
  public MeterBinder cairnExporterMeters(ObjectProvider<Cairn> cairn) {
    return registry -> cairn.ifAvailable(c -> ExporterMeters.of(c).bindTo(registry));
  }

  /** Cairn's own health counters as meters. */
  @Bean
  @ConditionalOnMissingBean
  public CairnHealthMeters cairnHealthMeters() {
    return CairnHealthMeters.global();
  }
}
