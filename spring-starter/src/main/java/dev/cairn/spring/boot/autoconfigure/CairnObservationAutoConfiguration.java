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
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

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
@AutoConfiguration(
    after = {ObservationAutoConfiguration.class, CairnTracingAutoConfiguration.class},
    // Boot's tracing auto-configurations define the Micrometer Tracing tracer that decides
    // cairn.tracing.mode=auto; they must be registered before the mode is resolved.
    afterName = {
      "org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
      "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration"
    })
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "cairn.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CairnProperties.class)
public class CairnObservationAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(CairnObservationAutoConfiguration.class);

  /** The header formats from {@code cairn.propagation.formats}. */
  @Bean
  @ConditionalOnMissingBean
  public Propagator cairnPropagator(CairnProperties properties) {
    return CairnPropagators.from(properties.getPropagation());
  }

  /**
   * Cairn's observation handler, when {@code cairn.tracing.mode} resolves to {@code cairn}
   * ({@code auto} without a Micrometer Tracing tracer, or {@code cairn} set explicitly).
   */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(TracingModeCondition.CairnMode.class)
  public CairnObservationHandler cairnObservationHandler(
      Propagator propagator, CairnProperties properties, ObjectProvider<Cairn> cairn, ConfigurableListableBeanFactory beans) {
    if (TracingModeCondition.micrometerTracerPresent(beans)) {
      LOG.warn(
          "cairn.tracing.mode=cairn while Micrometer Tracing's tracer is present: each observation gets a Cairn span and a "
              + "Micrometer Tracing span, and both write trace headers (the last writer wins). Remove "
              + "cairn.tracing.mode to let Micrometer Tracing own the spans, with Cairn's context mirroring them.");
    }
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

  /**
   * With Micrometer Tracing owning the spans ({@code cairn.tracing.mode} {@code micrometer}, or
   * {@code auto} with its tracer present): Cairn's context mirrors its current span.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.tracing.handler.TracingObservationHandler")
  static class MicrometerTracingMirrorConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @Conditional(TracingModeCondition.MicrometerMode.class)
    MicrometerTracingContextHandler cairnMicrometerTracingContextHandler(CairnProperties properties, Environment env) {
      if ("auto".equals(TracingModeCondition.configuredMode(env))) {
        LOG.info(
            "Micrometer Tracing's tracer found: it records spans and writes trace headers; Cairn's context mirrors its "
                + "current span (cairn.tracing.mode=auto resolved to micrometer)");
      }
      CairnProperties.Export export = properties.getExport();
      String spans = export.getTraces().getEndpoint() != null ? export.getTraces().getEndpoint() : export.getEndpoint();
      if (export.getTraces().isEnabled() && spans != null && !spans.isBlank()) {
        // The user asked for spans at this endpoint; in this mode HTTP spans go to Micrometer
        // Tracing's reporter instead, which would otherwise be a silent change.
        LOG.warn(
            "cairn.export sends spans to {}, but Micrometer Tracing owns the HTTP spans (cairn.tracing.mode resolved to "
                + "micrometer), so none of them reach it: configure Micrometer Tracing's exporter, or set "
                + "cairn.tracing.mode=cairn",
            spans.trim());
      }
      CairnProperties.Propagation p = properties.getPropagation();
      String header = p.getResponseHeader() == null ? "" : p.getResponseHeader().trim();
      return new MicrometerTracingContextHandler(
          CairnPropagators.correlationIdOnly(p), p.isGenerateCorrelationId(), header, new ResponseHeaderWriter());
    }
  }

  /** Brave scopes opened outside observations too (a span made current by hand). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"brave.propagation.CurrentTraceContext", "io.micrometer.tracing.Tracer"})
  static class BraveScopeMirrorConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @Conditional(TracingModeCondition.MicrometerMode.class)
    BraveScopeMirror cairnBraveScopeMirror() {
      return new BraveScopeMirror();
    }
  }

  /** OpenTelemetry contexts attached outside observations too (a span made current by hand). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.tracing.otel.bridge.EventPublishingContextWrapper")
  static class OtelScopeMirrorConfiguration {
    // First among the bridge's listeners: see OtelScopeMirror for why the MDC needs it.
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    @ConditionalOnMissingBean
    @Conditional(TracingModeCondition.MicrometerMode.class)
    OtelScopeMirror cairnOtelScopeMirror() {
      return new OtelScopeMirror();
    }
  }

  /** Allow-listed baggage as tags of HTTP server and client timers. */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(OnBaggageTagsCondition.class)
  public BaggageTags cairnBaggageTags(CairnProperties properties) {
    return BaggageTags.of(properties.getMetrics().getBaggageTags());
  }
}
