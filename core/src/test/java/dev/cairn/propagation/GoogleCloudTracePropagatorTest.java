package dev.cairn.propagation;

import static dev.cairn.propagation.PropagationTesting.extract;
import static dev.cairn.propagation.PropagationTesting.inject;
import static dev.cairn.propagation.PropagationTesting.reasons;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.context.TraceContext;
import org.junit.jupiter.api.Test;

class GoogleCloudTracePropagatorTest {
  static final String TRACE = "105445aa7843bc8bf206b12000100000";
  final Propagator gcp = Propagators.googleCloudTrace();

  @Test
  void extract_readsTraceDecimalSpanAndSampled() {
    TraceContext c = extract(gcp, "X-Cloud-Trace-Context", TRACE + "/1;o=1");
    assertThat(c.traceIdHex()).isEqualTo(TRACE);
    assertThat(c.spanId()).isEqualTo(1L);
    assertThat(c.isSampled()).isTrue();
    assertThat(c.isRemote()).isTrue();
  }

  @Test
  void extract_withoutOptions_isNotSampled() {
    TraceContext c = extract(gcp, "x-cloud-trace-context", TRACE + "/123");
    assertThat(c.isValid()).isTrue();
    assertThat(c.isSampled()).isFalse();
  }

  @Test
  void extract_largestUnsignedSpanId_isKept() {
    TraceContext c = extract(gcp, "x-cloud-trace-context", TRACE + "/18446744073709551615;o=0");
    assertThat(c.spanIdHex()).isEqualTo("ffffffffffffffff");
  }

  @Test
  void extract_spanIdBeyond64Bits_isRefused() {
    assertThat(reasons(gcp, "x-cloud-trace-context", TRACE + "/18446744073709551616")).containsExactly("span_id_invalid");
  }

  @Test
  void extract_hexSpanId_isRefused() {
    assertThat(reasons(gcp, "x-cloud-trace-context", TRACE + "/00f067aa0ba902b7")).containsExactly("span_id_invalid");
  }

  @Test
  void extract_missingSpan_isRefused() {
    assertThat(reasons(gcp, "x-cloud-trace-context", TRACE)).containsExactly("trace_id_invalid");
    assertThat(reasons(gcp, "x-cloud-trace-context", TRACE + "/")).containsExactly("span_id_invalid");
  }

  @Test
  void extract_unknownOption_isRefused() {
    assertThat(reasons(gcp, "x-cloud-trace-context", TRACE + "/1;o=2")).containsExactly("options_invalid");
  }

  @Test
  void extract_zeroTraceId_isRefused() {
    assertThat(reasons(gcp, "x-cloud-trace-context", "0".repeat(32) + "/1;o=1")).containsExactly("trace_id_invalid");
  }

  @Test
  void inject_writesDecimalSpanId() {
    TraceContext c = TraceContext.builder().traceId(TRACE).spanId("ffffffffffffffff").sampled(true).build();
    assertThat(inject(gcp, c)).containsEntry("x-cloud-trace-context", TRACE + "/18446744073709551615;o=1");
  }

  @Test
  void roundTrip_keepsTraceSpanAndSampled() {
    String h = TRACE + "/987654321;o=0";
    assertThat(inject(gcp, extract(gcp, "x-cloud-trace-context", h))).containsEntry("x-cloud-trace-context", h);
  }
}
