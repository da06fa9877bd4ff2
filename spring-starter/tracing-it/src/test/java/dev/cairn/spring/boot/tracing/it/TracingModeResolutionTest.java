package dev.cairn.spring.boot.tracing.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.metrics.observation.CairnObservationHandler;
import dev.cairn.spring.boot.autoconfigure.CairnObservationAutoConfiguration;
import dev.cairn.spring.boot.autoconfigure.CairnTracingAutoConfiguration;
import dev.cairn.spring.boot.autoconfigure.MicrometerTracingContextHandler;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code cairn.tracing.mode=auto} against Boot's real tracing auto-configurations, whatever order
 * Boot lists them in.
 */
class TracingModeResolutionTest {
  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ObservationAutoConfiguration.class,
                  CairnTracingAutoConfiguration.class,
                  CairnObservationAutoConfiguration.class,
                  MicrometerTracingAutoConfiguration.class,
                  NoopTracerAutoConfiguration.class));

  @Test
  void bootsNoopTracer_withoutABridge_doesNotCount_cairnKeepsTheSpans() {
    runner.run(
        ctx -> {
          assertThat(ctx.getBean(Tracer.class)).isSameAs(Tracer.NOOP);
          assertThat(ctx).hasSingleBean(CairnObservationHandler.class);
          assertThat(ctx).doesNotHaveBean(MicrometerTracingContextHandler.class);
        });
  }

  @Test
  void bootsBraveTracer_switchesAutoToMicrometer() {
    runner
        .withConfiguration(AutoConfigurations.of(BraveAutoConfiguration.class))
        .run(
            ctx -> {
              assertThat(ctx.getBean(Tracer.class)).isNotSameAs(Tracer.NOOP);
              assertThat(ctx).hasSingleBean(MicrometerTracingContextHandler.class);
              assertThat(ctx).doesNotHaveBean(CairnObservationHandler.class);
            });
  }

  @Test
  void bootsOpenTelemetryTracer_switchesAutoToMicrometer() {
    runner
        .withConfiguration(
            AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class))
        .run(
            ctx -> {
              assertThat(ctx.getBean(Tracer.class)).isNotSameAs(Tracer.NOOP);
              assertThat(ctx).hasSingleBean(MicrometerTracingContextHandler.class);
              assertThat(ctx).doesNotHaveBean(CairnObservationHandler.class);
            });
  }
}
