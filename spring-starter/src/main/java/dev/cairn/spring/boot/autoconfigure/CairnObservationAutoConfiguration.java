package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.Cairn;
import dev.cairn.metrics.observation.BaggageTags;
import dev.cairn.metrics.observation.CairnObservationHandler;
import dev.cairn.propagation.Propagator;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * HTTP in and out through Micrometer's Observation API. Boot instruments the Spring MVC and WebFlux
 * servers and the {@code RestClient}, {@code RestTemplate} and {@code WebClient} built from its
 * builders with observations; Boot's observation auto-configuration registers every {@code
 * ObservationHandler} and {@code ObservationFilter} bean, so Cairn's handler then extracts the
 * caller's context on every request (current with MDC ids for the whole request, the correlation id
 * echoed in a response header) and injects it into every outgoing call. With the {@link Cairn}
 * bean, each observation is also a server, client or internal span.
 *
 * <p>Every bean backs off when the application defines its own of the same type.
 */
@AutoConfiguration(after = {ObservationAutoConfiguration.class, CairnTracingAutoConfiguration.class})
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "cairn.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CairnProperties.class)
public class CairnObservationAutoConfiguration {

  /** The header formats from {@code cairn.propagation.formats}. */
  @Bean
  @ConditionalOnMissingBean
  public Propagator cairnPropagator(CairnProperties properties) {
    return CairnPropagators.from(properties.getPropagation());
  }

  /**
   * Cairn's observation handler; {@code cairn.tracing.mode} other than {@code cairn} leaves
   * observations to Micrometer Tracing (or to nobody).
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(name = "cairn.tracing.mode", havingValue = "cairn", matchIfMissing = true)
  public CairnObservationHandler cairnObservationHandler(
      Propagator propagator, CairnProperties properties, ObjectProvider<Cairn> cairn) {
    CairnProperties.Propagation p = properties.getPropagation();
    CairnObservationHandler.Builder b =
        CairnObservationHandler.builder()
            .propagator(propagator)
            .generateCorrelationId(p.isGenerateCorrelationId());
    b.tracer(new LazyTracer(cairn));
    String header = p.getResponseHeader();
    if (header != null && !header.isBlank()) {
      b.echoCorrelationId(header.trim(), new ResponseHeaderWriter());
    }
    return b.build();
  }

  /** Allow-listed baggage as tags of HTTP server and client timers. */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(OnBaggageTagsCondition.class)
  public BaggageTags cairnBaggageTags(CairnProperties properties) {
    return BaggageTags.of(properties.getMetrics().getBaggageTags());
  }
}
