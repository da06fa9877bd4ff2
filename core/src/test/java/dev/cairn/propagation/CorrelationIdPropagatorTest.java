package dev.cairn.propagation;

import static dev.cairn.propagation.PropagationTesting.extract;
import static dev.cairn.propagation.PropagationTesting.inject;
import static dev.cairn.propagation.PropagationTesting.reasons;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.context.TraceContext;
import org.junit.jupiter.api.Test;

class CorrelationIdPropagatorTest {
  final Propagator ids = Propagators.correlationId();

  @Test
  void extract_readsXRequestId() {
    assertThat(extract(ids, "X-Request-ID", "req-42").correlationIdOrEmpty()).isEqualTo("req-42");
  }

  @Test
  void extract_fallsBackToXCorrelationId() {
    assertThat(extract(ids, "x-correlation-id", "c-1").correlationIdOrEmpty()).isEqualTo("c-1");
  }

  @Test
  void extract_prefersTheFirstConfiguredName() {
    assertThat(extract(ids, "x-correlation-id", "second", "x-request-id", "first").correlationIdOrEmpty())
        .isEqualTo("first");
  }

  @Test
  void extract_lineBreakInValue_isRefusedSoLogsCannotBeForged() {
    assertThat(reasons(ids, "x-request-id", "abc\r\n2026-01-01 INFO forged")).containsExactly("invalid_character");
    assertThat(extract(ids, "x-request-id", "abc\ndef").correlationId()).isEmpty();
  }

  @Test
  void extract_overLongValue_isRefused() {
    assertThat(reasons(ids, "x-request-id", "a".repeat(129))).containsExactly("too_long");
    assertThat(extract(ids, "x-request-id", "a".repeat(128)).correlationIdOrEmpty()).hasSize(128);
  }

  @Test
  void extract_refusedFirstNameFallsBackToTheNext() {
    assertThat(extract(ids, "x-request-id", "<script>", "x-correlation-id", "ok-1").correlationIdOrEmpty())
        .isEqualTo("ok-1");
  }

  @Test
  void extract_whenAbsentAndConfigured_generatesUuid() {
    Propagator gen = Propagators.correlationIdBuilder().generateWhenAbsent(true).build();
    String id = extract(gen).correlationIdOrEmpty();
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(java.util.UUID.fromString(id).version()).isEqualTo(4);
  }

  @Test
  void extract_whenAbsentButBaseHasOne_keepsIt() {
    Propagator gen = Propagators.correlationIdBuilder().generateWhenAbsent(true).build();
    TraceContext base = TraceContext.empty().withCorrelationId("mine");
    assertThat(gen.extract(base, PropagationTesting.headers(), Carriers.mapGetter())).isSameAs(base);
  }

  @Test
  void extract_whenAbsentByDefault_generatesNothing() {
    assertThat(extract(ids).correlationId()).isEmpty();
  }

  @Test
  void customNamesAndLimit_areUsed() {
    Propagator p = Propagators.correlationIdBuilder().headerNames("X-Trace-Ref").maxLength(8).build();
    assertThat(p.fields()).containsExactly("x-trace-ref");
    assertThat(extract(p, "x-trace-ref", "12345678").correlationIdOrEmpty()).isEqualTo("12345678");
    assertThat(extract(p, "x-trace-ref", "123456789").correlationId()).isEmpty();
    assertThat(extract(p, "x-request-id", "abc").correlationId()).isEmpty();
  }

  @Test
  void inject_writesUnderTheFirstName() {
    assertThat(inject(ids, TraceContext.empty().withCorrelationId("r-1"))).containsExactly(java.util.Map.entry("x-request-id", "r-1"));
  }

  @Test
  void inject_unsafeIdSetInCode_isNotWritten() {
    assertThat(inject(ids, TraceContext.empty().withCorrelationId("a\r\nb"))).isEmpty();
  }

  @Test
  void builder_rejectsNonTokenHeaderName() {
    assertThatThrownBy(() -> Propagators.correlationIdBuilder().headerNames("x request"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
