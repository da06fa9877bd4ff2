package dev.cairn.span;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.Hex;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SamplerTest {

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 1e-6, 0.0001, 0.1, 0.25, 0.5, 0.9, 0.999999, 1.0})
  void traceIdRatio_decidesExactlyAsOpenTelemetryForTheSameTraceId(double ratio) {
    Sampler cairn = Sampler.traceIdRatio(ratio);
    io.opentelemetry.sdk.trace.samplers.Sampler otel =
        io.opentelemetry.sdk.trace.samplers.Sampler.traceIdRatioBased(ratio);
    SplittableRandom random = new SplittableRandom(ratio == 0 ? 7 : Double.doubleToLongBits(ratio));
    long[] edges = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
        (long) (ratio * Long.MAX_VALUE), (long) (ratio * Long.MAX_VALUE) - 1,
        -(long) (ratio * Long.MAX_VALUE), (long) (ratio * Long.MAX_VALUE) + 1};
    int agreed = 0;
    for (int i = 0; i < 20_000 + edges.length; i++) {
      long hi = random.nextLong();
      long lo = i < edges.length ? edges[i] : random.nextLong();
      if (hi == 0 && lo == 0) {
        continue;
      }
      String traceId = Hex.of(hi, lo);
      boolean expected =
          otel.shouldSample(
                      Context.root(), traceId, "span", io.opentelemetry.api.trace.SpanKind.INTERNAL,
                      Attributes.empty(), List.of())
                  .getDecision()
              == SamplingDecision.RECORD_AND_SAMPLE;
      assertThat(cairn.shouldSample(TraceContext.empty(), hi, lo, "span", SpanKind.INTERNAL))
          .as("trace id %s at ratio %s", traceId, ratio)
          .isEqualTo(expected);
      agreed++;
    }
    assertThat(agreed).isGreaterThan(20_000);
  }

  @Test
  void traceIdRatio_outsideZeroToOne_isRejected() {
    assertThatThrownBy(() -> Sampler.traceIdRatio(1.5)).hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> Sampler.traceIdRatio(Double.NaN)).hasMessageContaining("[0, 1]");
  }

  @Test
  void parentBased_followsTheParentAndAsksTheRootSamplerForNewTraces() {
    Sampler s = Sampler.parentBased(Sampler.alwaysOff());
    TraceContext sampled = TraceContext.newRoot(true);
    TraceContext unsampled = TraceContext.newRoot(false);
    assertThat(s.shouldSample(sampled, 1, 1, "x", SpanKind.INTERNAL)).isTrue();
    assertThat(s.shouldSample(unsampled, 1, 1, "x", SpanKind.INTERNAL)).isFalse();
    assertThat(s.shouldSample(TraceContext.empty(), 1, 1, "x", SpanKind.INTERNAL)).isFalse();
  }

  @Test
  void parentBased_canRedecideForRemoteParents() {
    Sampler s =
        Sampler.parentBased(
            Sampler.alwaysOn(), Sampler.alwaysOff(), Sampler.alwaysOff(), Sampler.alwaysOn(),
            Sampler.alwaysOff());
    TraceContext remoteSampled = TraceContext.newRoot(true).toBuilder().remote(true).build();
    assertThat(s.shouldSample(remoteSampled, 1, 1, "x", SpanKind.SERVER)).isFalse();
    assertThat(s.shouldSample(TraceContext.newRoot(true), 1, 1, "x", SpanKind.SERVER)).isTrue();
  }

  @Test
  void rateLimited_allowsABurstOfOneSecondThenTheConfiguredRate() {
    AtomicLong now = new AtomicLong(1_000_000_000_000L);
    Sampler s = new Samplers.RateLimited(10, now::get);
    int allowed = 0;
    for (int i = 0; i < 100; i++) {
      if (s.shouldSample(TraceContext.empty(), 1, 1, "x", SpanKind.SERVER)) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(10);
    now.addAndGet(500_000_000L); // half a second later: five more
    allowed = 0;
    for (int i = 0; i < 100; i++) {
      if (s.shouldSample(TraceContext.empty(), 1, 1, "x", SpanKind.SERVER)) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(5);
  }

  @Test
  void rateLimited_idleTimeDoesNotBankMoreThanOneSecond() {
    AtomicLong now = new AtomicLong(0);
    Sampler s = new Samplers.RateLimited(4, now::get);
    now.addAndGet(3_600_000_000_000L);
    int allowed = 0;
    for (int i = 0; i < 100; i++) {
      if (s.shouldSample(TraceContext.empty(), 1, 1, "x", SpanKind.SERVER)) {
        allowed++;
      }
    }
    assertThat(allowed).isEqualTo(4);
  }

  @Test
  void rateLimited_capsTracesPerSecondThroughTheTracer() {
    Tracing t = Tracing.builder().sampler(Sampler.parentBased(Sampler.rateLimited(5))).build();
    long start = System.nanoTime();
    int sampled = 0;
    for (int i = 0; i < 1000; i++) {
      if (t.tracer("x").startSpan("root").context().isSampled()) {
        sampled++;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // A one-second burst, plus what accrues at 5/s while the loop runs.
    assertThat(sampled).isBetween(5, 5 + (int) Math.ceil(seconds * 5) + 1);
  }

  @Test
  void descriptions_nameTheConfiguration() {
    assertThat(Sampler.parentBased(Sampler.traceIdRatio(0.25)).description())
        .startsWith("ParentBased{root=TraceIdRatioBased{0.25}");
  }

  @Test
  void parse_acceptsOpenTelemetrySamplerNamesAndCairnsRateLimited() {
    assertThat(Sampler.parse("always_on", null)).isSameAs(Sampler.alwaysOn());
    assertThat(Sampler.parse("ALWAYS_OFF", "")).isSameAs(Sampler.alwaysOff());
    assertThat(Sampler.parse("traceidratio", "0.5").description()).isEqualTo("TraceIdRatioBased{0.5}");
    assertThat(Sampler.parse("parentbased_always_off", null).description())
        .startsWith("ParentBased{root=AlwaysOffSampler");
    assertThat(Sampler.parse("parentbased_ratelimited", "20").description())
        .startsWith("ParentBased{root=RateLimited{20.0/s}");
    assertThatThrownBy(() -> Sampler.parse("traceidratio", "half"))
        .hasMessageContaining("traceidratio")
        .hasMessageContaining("half");
  }
}
