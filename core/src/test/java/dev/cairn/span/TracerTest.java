package dev.cairn.span;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.context.Baggage;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.internal.SelfCounters;
import dev.cairn.pipeline.Pipeline;
import dev.cairn.testing.Allocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TracerTest {
  private final List<SpanData> finished = new CopyOnWriteArrayList<>();
  private final Tracing tracing =
      Tracing.builder()
          .pipeline(Pipeline.<SpanData>builder("spans").addSink(finished::add).build())
          .build();
  private final Tracer tracer = tracing.tracer("test", "1.0");

  @AfterEach
  void noContextLeaks() {
    assertThat(TraceContext.current()).isSameAs(TraceContext.empty());
  }

  private static long truncated(String reason) {
    return SelfCounters.GLOBAL.counter("cairn.span.truncated", "", "", "reason", reason).count();
  }

  private static long epochNanosNow() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @Test
  void startSpan_withoutCurrentContext_startsNewSampledTrace() {
    Span span = tracer.startSpan("root");
    TraceContext c = span.context();
    assertThat(c.isValid()).isTrue();
    assertThat(c.parentSpanId()).isZero();
    assertThat(c.isSampled()).isTrue();
    assertThat(c.isRandomTraceId()).isTrue();
    assertThat(span.isRecording()).isTrue();
    span.end();
  }

  @Test
  void startSpan_insideCurrentContext_isItsChild() {
    Span parent = tracer.startSpan("parent");
    try (Scope ignored = parent.makeCurrent()) {
      Span child = tracer.startSpan("child");
      assertThat(child.context().traceIdHex()).isEqualTo(parent.context().traceIdHex());
      assertThat(child.context().parentSpanId()).isEqualTo(parent.context().spanId());
      assertThat(child.context().spanId()).isNotEqualTo(parent.context().spanId());
      child.end();
    }
    parent.end();
  }

  @Test
  void setParent_overridesTheCurrentContext() {
    TraceContext remote =
        TraceContext.builder()
            .traceId("4bf92f3577b34da6a3ce929d0e0e4736")
            .spanId("00f067aa0ba902b7")
            .sampled(true)
            .remote(true)
            .build();
    Span other = tracer.startSpan("other");
    try (Scope ignored = other.makeCurrent()) {
      Span span = tracer.spanBuilder("server").setParent(remote).setKind(SpanKind.SERVER).startSpan();
      span.end();
      SpanData d = (SpanData) span;
      assertThat(d.context().traceIdHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(d.context().parentSpanIdHex()).isEqualTo("00f067aa0ba902b7");
      assertThat(d.parentIsRemote()).isTrue();
      assertThat(d.context().isRemote()).isFalse();
      assertThat(d.kind()).isEqualTo(SpanKind.SERVER);
    }
    other.end();
  }

  @Test
  void setNoParent_startsNewTraceButKeepsCorrelationIdAndBaggage() {
    TraceContext current =
        TraceContext.newRoot(true)
            .withCorrelationId("req-7")
            .withBaggage(Baggage.empty().with("tenant", "acme"));
    try (Scope ignored = current.makeCurrent()) {
      Span span = tracer.spanBuilder("detached").setNoParent().startSpan();
      assertThat(span.context().traceIdHex()).isNotEqualTo(current.traceIdHex());
      assertThat(span.context().parentSpanId()).isZero();
      assertThat(span.context().correlationIdOrEmpty()).isEqualTo("req-7");
      assertThat(span.context().baggage().get("tenant")).contains("acme");
      span.end();
    }
  }

  @Test
  void makeCurrent_makesTheSpanContextCurrentAndMirrorsItIntoTheMdc() {
    Span span = tracer.startSpan("work");
    try (Scope ignored = span.makeCurrent()) {
      assertThat(TraceContext.current()).isSameAs(span.context());
      assertThat(MDC.get("traceId")).isEqualTo(span.context().traceIdHex());
      assertThat(MDC.get("spanId")).isEqualTo(span.context().spanIdHex());
    }
    assertThat(MDC.get("spanId")).isNull();
    span.end();
  }

  @Test
  void typedAttributesAndArrays_areRecordedWithTheirTypes() {
    Span span =
        tracer
            .spanBuilder("typed")
            .setAttribute("s0", "at-start")
            .startSpan()
            .setAttribute("s", "v")
            .setAttribute("l", 42L)
            .setAttribute("d", 1.5)
            .setAttribute("b", true)
            .setAttribute("sa", new String[] {"x", null})
            .setAttribute("la", new long[] {1, 2})
            .setAttribute("da", new double[] {0.5})
            .setAttribute("ba", new boolean[] {true, false});
    span.end();
    Attributes a = finished.get(0).attributes();
    assertThat(a.asMap())
        .containsEntry("s0", "at-start")
        .containsEntry("s", "v")
        .containsEntry("l", 42L)
        .containsEntry("d", 1.5)
        .containsEntry("b", true)
        .containsEntry("sa", List.of("x", ""))
        .containsEntry("la", List.of(1L, 2L))
        .containsEntry("da", List.of(0.5))
        .containsEntry("ba", List.of(true, false));
    assertThat(a.type(0)).isEqualTo(AttributeType.STRING);
    assertThat(a.get("la")).isPresent();
    List<AttributeType> types = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      types.add(a.type(i));
    }
    assertThat(types)
        .containsExactly(
            AttributeType.STRING, AttributeType.STRING, AttributeType.LONG, AttributeType.DOUBLE,
            AttributeType.BOOLEAN, AttributeType.STRING_ARRAY, AttributeType.LONG_ARRAY,
            AttributeType.DOUBLE_ARRAY, AttributeType.BOOLEAN_ARRAY);
  }

  @Test
  void settingAKeyTwice_keepsTheLastValueInItsFirstPosition() {
    tracer.startSpan("x").setAttribute("k", "1").setAttribute("other", 2L).setAttribute("k", "3").end();
    Attributes a = finished.get(0).attributes();
    assertThat(a.size()).isEqualTo(2);
    assertThat(a.key(0)).isEqualTo("k");
    assertThat(a.value(0)).isEqualTo("3");
  }

  @Test
  void recordException_addsTheOpenTelemetryExceptionEvent() {
    IllegalStateException boom = new IllegalStateException("boom");
    tracer.startSpan("failing").recordException(boom).setStatus(StatusCode.ERROR, "it broke").end();
    SpanData d = finished.get(0);
    assertThat(d.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(d.statusDescription()).isEqualTo("it broke");
    assertThat(d.events()).hasSize(1);
    EventData e = d.events().get(0);
    assertThat(e.name()).isEqualTo("exception");
    assertThat(e.attributes().asMap())
        .containsEntry("exception.type", "java.lang.IllegalStateException")
        .containsEntry("exception.message", "boom");
    assertThat((String) e.attributes().get("exception.stacktrace").orElseThrow())
        .startsWith("java.lang.IllegalStateException: boom")
        .contains("at dev.cairn.span.TracerTest");
  }

  @Test
  void recordException_withHostileGetMessage_stillRecordsTypeAndStack() {
    RuntimeException hostile =
        new RuntimeException() {
          private static final long serialVersionUID = 1L;

          @Override
          public String getMessage() {
            throw new IllegalStateException("no message for you");
          }
        };
    tracer.startSpan("x").recordException(hostile).end();
    assertThat(finished.get(0).events().get(0).attributes().get("exception.type")).isPresent();
  }

  @Test
  void statusOk_isFinal() {
    tracer.startSpan("x").setStatus(StatusCode.OK).setStatus(StatusCode.ERROR, "late").end();
    assertThat(finished.get(0).statusCode()).isEqualTo(StatusCode.OK);
    assertThat(finished.get(0).statusDescription()).isEmpty();
  }

  @Test
  void timestamps_areEpochNanosAroundTheCallAndNeverNegativeDurations() {
    long before = epochNanosNow();
    Span span = tracer.startSpan("timed");
    span.addEvent("mid");
    span.end();
    long after = epochNanosNow();
    SpanData d = finished.get(0);
    // The anchor is read once per Tracing; allow the wall clock's own granularity (1 ms).
    assertThat(d.startEpochNanos()).isBetween(before - 1_000_000, after + 1_000_000);
    assertThat(d.endEpochNanos()).isGreaterThanOrEqualTo(d.startEpochNanos());
    assertThat(d.events().get(0).epochNanos()).isBetween(d.startEpochNanos(), d.endEpochNanos());
    assertThat(d.durationNanos()).isEqualTo(d.endEpochNanos() - d.startEpochNanos());
  }

  @Test
  void explicitTimestamps_areKept() {
    tracer.spanBuilder("x").setStartTimestamp(1_000_000_000L).startSpan().end(3_000_000_000L);
    assertThat(finished.get(0).startEpochNanos()).isEqualTo(1_000_000_000L);
    assertThat(finished.get(0).endEpochNanos()).isEqualTo(3_000_000_000L);
  }

  @Test
  void end_isOnce_andMutationsAfterEndAreIgnored() {
    Span span = tracer.startSpan("once");
    span.end();
    span.setAttribute("late", "x").addEvent("late").updateName("renamed").setStatus(StatusCode.ERROR);
    span.end();
    assertThat(finished).hasSize(1);
    SpanData d = finished.get(0);
    assertThat(d.hasEnded()).isTrue();
    assertThat(d.name()).isEqualTo("once");
    assertThat(d.attributes().isEmpty()).isTrue();
    assertThat(d.events()).isEmpty();
    assertThat(d.statusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span.isRecording()).isFalse();
  }

  @Test
  void nullArguments_areIgnoredAndCounted() {
    long before = truncated("invalid_input");
    Span span = tracer.spanBuilder(null).setKind(null).setParent(null).startSpan();
    span.setAttribute(null, "v").setAttribute("k", (String) null).addEvent(null).recordException(null);
    span.addLink(null).updateName(null).end();
    assertThat(finished.get(0).name()).isEqualTo("unnamed");
    assertThat(finished.get(0).kind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(truncated("invalid_input") - before).isEqualTo(5);
  }

  @Test
  void links_fromBuilderAndSpan_areRecorded() {
    TraceContext a = TraceContext.newRoot(true);
    TraceContext b = TraceContext.newRoot(false);
    tracer
        .spanBuilder("batch")
        .addLink(a, Attributes.of("msg", "1"))
        .startSpan()
        .addLink(b)
        .end();
    List<LinkData> links = finished.get(0).links();
    assertThat(links).extracting(LinkData::context).containsExactly(a, b);
    assertThat(links.get(0).attributes().asMap()).containsEntry("msg", "1");
  }

  @Test
  void unsampledSpan_stillReachesListenersAndSinks() {
    List<String> seen = new CopyOnWriteArrayList<>();
    List<SpanData> sunk = new CopyOnWriteArrayList<>();
    Tracing t =
        Tracing.builder()
            .sampler(Sampler.alwaysOff())
            .addListener(
                new SpanListener() {
                  @Override
                  public void onEnd(SpanData span, Object state) {
                    seen.add(span.name());
                  }
                })
            .pipeline(Pipeline.<SpanData>builder("spans").addSink(sunk::add).build())
            .build();
    Span span = t.tracer("x").startSpan("local-only");
    assertThat(span.isRecording()).isTrue();
    assertThat(span.context().isSampled()).isFalse();
    span.end();
    assertThat(seen).containsExactly("local-only");
    assertThat(sunk).hasSize(1);
  }

  @Test
  void unsampledSpan_withNothingLocalToSeeIt_recordsNothingButPropagatesItsContext() {
    Tracing t = Tracing.builder().sampler(Sampler.alwaysOff()).build();
    Span span = t.tracer("x").startSpan("unsampled");
    assertThat(span.isRecording()).isFalse();
    assertThat(span.context().isValid()).isTrue();
    assertThat(span.context().isSampled()).isFalse();
    try (Scope ignored = span.makeCurrent()) {
      Span child = t.tracer("x").startSpan("child");
      assertThat(child.context().traceIdHex()).isEqualTo(span.context().traceIdHex());
      assertThat(child.context().isSampled()).isFalse();
    }
    span.end();
  }

  @Test
  void listenerState_fromOnStart_isHandedBackToOnEnd() {
    List<Object> states = new CopyOnWriteArrayList<>();
    Tracing t =
        Tracing.builder()
            .addListener(
                new SpanListener() {
                  @Override
                  public Object onStart(SpanData span) {
                    assertThat(span.hasEnded()).isFalse();
                    return "opened:" + span.name();
                  }

                  @Override
                  public void onEnd(SpanData span, Object state) {
                    states.add(state);
                  }
                })
            .build();
    t.tracer("x").startSpan("a").end();
    t.tracer("x").startSpan("b").end();
    assertThat(states).containsExactly("opened:a", "opened:b");
  }

  @Test
  void throwingListenersAndSinks_areContainedAndCounted() {
    long before = SelfCounters.GLOBAL.total("cairn.pipeline.sink.failed");
    List<SpanData> sunk = new CopyOnWriteArrayList<>();
    Tracing t =
        Tracing.builder()
            .addListener(
                new SpanListener() {
                  @Override
                  public Object onStart(SpanData span) {
                    throw new IllegalStateException("start");
                  }

                  @Override
                  public void onEnd(SpanData span, Object state) {
                    throw new StackOverflowError("end");
                  }
                })
            .pipeline(
                Pipeline.<SpanData>builder("spans")
                    .addSink(s -> { throw new IllegalArgumentException("sink"); })
                    .addSink(sunk::add)
                    .build())
            .build();
    Span span = t.tracer("x").startSpan("survives");
    span.end();
    assertThat(sunk).hasSize(1);
    assertThat(SelfCounters.GLOBAL.total("cairn.pipeline.sink.failed") - before).isEqualTo(3);
  }

  @Test
  void throwingSampler_isContainedAndCountedAndFollowsTheParent() {
    long before = SelfCounters.GLOBAL.total("cairn.span.sampler.failed");
    Tracing t =
        Tracing.builder()
            .sampler((p, hi, lo, n, k) -> { throw new IllegalStateException("sampler"); })
            .build();
    Span root = t.tracer("x").startSpan("root");
    assertThat(root.context().isSampled()).isFalse();
    TraceContext sampledParent = TraceContext.newRoot(true);
    Span child = t.tracer("x").spanBuilder("child").setParent(sampledParent).startSpan();
    assertThat(child.context().isSampled()).isTrue();
    assertThat(SelfCounters.GLOBAL.total("cairn.span.sampler.failed") - before).isEqualTo(2);
  }

  @Test
  void closedTracing_handsOutTheNoopSpan() {
    Tracing t = Tracing.builder().build();
    Tracer tr = t.tracer("x");
    t.close(java.time.Duration.ofSeconds(1));
    assertThat(tr.startSpan("after")).isSameAs(Span.noop());
  }

  @Test
  void disabledTracer_allocatesNothing() {
    Tracer noop = Tracing.builder().enabled(false).build().tracer("x");
    Runnable r =
        () -> {
          Span s = noop.spanBuilder("x").setAttribute("k", "v").startSpan();
          s.setAttribute("a", 1L).addEvent("e");
          try (Scope ignored = s.makeCurrent()) {
            s.end();
          }
        };
    r.run();
    long min = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      min = Math.min(min, Allocation.allocatedBy(r));
    }
    assertThat(min).isZero();
  }
}
