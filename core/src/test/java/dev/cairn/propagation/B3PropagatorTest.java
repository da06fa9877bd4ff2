package dev.cairn.propagation;

import static dev.cairn.propagation.PropagationTesting.extract;
import static dev.cairn.propagation.PropagationTesting.inject;
import static dev.cairn.propagation.PropagationTesting.reasons;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.context.TraceContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class B3PropagatorTest {
  static final String TRACE = "80f198ee56343ba864fe8b2a57d3eff7";
  static final String SPAN = "e457b5a2e4d86bd1";
  static final String PARENT = "05e3ac9a4f6e3b90";
  final Propagator single = Propagators.b3Single();
  final Propagator multi = Propagators.b3Multi();

  @Test
  void single_readsTraceSpanSamplingAndParent() {
    TraceContext c = extract(single, "b3", TRACE + "-" + SPAN + "-1-" + PARENT);
    assertThat(c.traceIdHex()).isEqualTo(TRACE);
    assertThat(c.spanIdHex()).isEqualTo(SPAN);
    assertThat(c.parentSpanIdHex()).isEqualTo(PARENT);
    assertThat(c.isSampled()).isTrue();
    assertThat(c.isRemote()).isTrue();
  }

  @Test
  void single_withoutSampling_isNotSampled() {
    TraceContext c = extract(single, "b3", TRACE + "-" + SPAN);
    assertThat(c.isValid()).isTrue();
    assertThat(c.isSampled()).isFalse();
  }

  @Test
  void single_debugFlag_impliesSampled() {
    assertThat(extract(single, "b3", TRACE + "-" + SPAN + "-d").isSampled()).isTrue();
  }

  @Test
  void single_64BitTraceId_isPaddedTo128() {
    TraceContext c = extract(single, "b3", "64fe8b2a57d3eff7-" + SPAN + "-1");
    assertThat(c.traceIdHex()).isEqualTo("000000000000000064fe8b2a57d3eff7");
    assertThat(inject(single, c).get("b3")).startsWith("000000000000000064fe8b2a57d3eff7-");
  }

  @Test
  void single_denyOnly_yieldsLocalUnsampledRoot() {
    TraceContext c = extract(single, "b3", "0");
    assertThat(c.isValid()).isTrue();
    assertThat(c.isSampled()).isFalse();
    assertThat(c.isRemote()).isFalse();
  }

  @Test
  void single_samplingOnlyAccept_isRefusedAsMissingIds() {
    assertThat(reasons(single, "b3", "1")).containsExactly("missing_id");
  }

  @Test
  void single_upperCaseHex_isRefused() {
    assertThat(reasons(single, "b3", TRACE.toUpperCase() + "-" + SPAN)).containsExactly("trace_id_invalid");
  }

  @Test
  void single_allZeroTraceId_isRefused() {
    assertThat(reasons(single, "b3", "0".repeat(32) + "-" + SPAN + "-1")).containsExactly("trace_id_zero");
  }

  @Test
  void single_allZeroSpanId_isRefused() {
    assertThat(reasons(single, "b3", TRACE + "-" + "0".repeat(16) + "-1")).containsExactly("span_id_zero");
  }

  @Test
  void single_unknownSamplingValue_isCountedAndReadAsNotSampled() {
    assertThat(reasons(single, "b3", TRACE + "-" + SPAN + "-x")).containsExactly("sampling_invalid");
    TraceContext c = extract(single, "b3", TRACE + "-" + SPAN + "-x");
    assertThat(c.isValid()).isTrue();
    assertThat(c.isSampled()).isFalse();
  }

  @Test
  void single_badParent_isCountedAndDropped() {
    assertThat(reasons(single, "b3", TRACE + "-" + SPAN + "-1-abc")).containsExactly("parent_span_id_invalid");
    TraceContext c = extract(single, "b3", TRACE + "-" + SPAN + "-1-abc");
    assertThat(c.spanIdHex()).isEqualTo(SPAN);
    assertThat(c.parentSpanId()).isZero();
  }

  @Test
  void single_moreThanFourFields_isRefused() {
    assertThat(reasons(single, "b3", TRACE + "-" + SPAN + "-1-" + PARENT + "-1")).containsExactly("malformed");
  }

  @Test
  void single_emptySamplingField_isCounted() {
    assertThat(reasons(single, "b3", TRACE + "-" + SPAN + "-")).containsExactly("sampling_invalid");
  }

  @Test
  void single_overLongHeader_isRefusedUnread() {
    assertThat(reasons(single, "b3", "a".repeat(100_000))).containsExactly("length");
  }

  @Test
  void single_roundTrips() {
    String h = TRACE + "-" + SPAN + "-1-" + PARENT;
    assertThat(inject(single, extract(single, "b3", h))).containsExactly(Map.entry("b3", h));
  }

  @Test
  void multi_readsAllHeaders() {
    TraceContext c =
        extract(multi, "X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-ParentSpanId", PARENT, "X-B3-Sampled", "1");
    assertThat(c.traceIdHex()).isEqualTo(TRACE);
    assertThat(c.spanIdHex()).isEqualTo(SPAN);
    assertThat(c.parentSpanIdHex()).isEqualTo(PARENT);
    assertThat(c.isSampled()).isTrue();
  }

  @Test
  void multi_debugFlag_impliesSampled() {
    assertThat(extract(multi, "x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-flags", "1").isSampled()).isTrue();
  }

  @Test
  void multi_legacyTrue_isSampled() {
    assertThat(extract(multi, "x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", "true").isSampled()).isTrue();
  }

  @Test
  void multi_missingSpanId_isRefused() {
    assertThat(reasons(multi, "x-b3-traceid", TRACE)).containsExactly("missing_id");
  }

  @Test
  void multi_invalidSampled_isCountedAndReadAsNotSampled() {
    assertThat(reasons(multi, "x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", "2")).containsExactly("sampling_invalid");
    assertThat(extract(multi, "x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", "2").isSampled()).isFalse();
  }

  @Test
  void multi_denyOnly_yieldsLocalUnsampledRoot() {
    TraceContext c = extract(multi, "x-b3-sampled", "0");
    assertThat(c.isValid()).isTrue();
    assertThat(c.isSampled()).isFalse();
    assertThat(c.isRemote()).isFalse();
  }

  @Test
  void multi_injectWritesEveryHeaderInLowerCase() {
    TraceContext c = extract(multi, "x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", "0");
    assertThat(inject(multi, c))
        .containsExactlyInAnyOrderEntriesOf(Map.of("x-b3-traceid", TRACE, "x-b3-spanid", SPAN, "x-b3-sampled", "0"));
  }

  @Test
  void inject_invalidContext_writesNothing() {
    assertThat(inject(single, TraceContext.empty())).isEmpty();
    assertThat(inject(multi, TraceContext.empty())).isEmpty();
  }
}
