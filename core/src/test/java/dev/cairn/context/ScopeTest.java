package dev.cairn.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.internal.SelfCounters;
import dev.cairn.logging.CorrelationMdc;
import dev.cairn.logging.MdcSettings;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ScopeTest {

  @AfterEach
  void clean() {
    CorrelationMdc.install(MdcSettings.defaults());
    MDC.clear();
    assertThat(TraceContext.current()).isSameAs(TraceContext.empty());
  }

  private static long misuse(String reason) {
    return SelfCounters.GLOBAL.counter("cairn.scope.misuse", "", "", "reason", reason).count();
  }

  @Test
  void makeCurrent_makesContextCurrentUntilClosed() {
    TraceContext c = TraceContext.newRoot(true);
    try (Scope ignored = c.makeCurrent()) {
      assertThat(TraceContext.current()).isSameAs(c);
    }
    assertThat(TraceContext.current()).isSameAs(TraceContext.empty());
  }

  @Test
  void nestedScopes_restoreOuterContextOnClose() {
    TraceContext outer = TraceContext.newRoot(true);
    TraceContext inner = outer.newChild();
    try (Scope a = outer.makeCurrent()) {
      try (Scope b = inner.makeCurrent()) {
        assertThat(TraceContext.current()).isSameAs(inner);
        assertThat(MDC.get("spanId")).isEqualTo(inner.spanIdHex());
      }
      assertThat(TraceContext.current()).isSameAs(outer);
      assertThat(MDC.get("spanId")).isEqualTo(outer.spanIdHex());
    }
  }

  @Test
  void mdc_holdsTraceIdSpanIdAndCorrelationIdWhileCurrent() {
    TraceContext c = TraceContext.newRoot(true).withCorrelationId("req-1");
    try (Scope ignored = c.makeCurrent()) {
      assertThat(MDC.get("traceId")).isEqualTo(c.traceIdHex()).hasSize(32);
      assertThat(MDC.get("spanId")).isEqualTo(c.spanIdHex()).hasSize(16);
      assertThat(MDC.get("correlationId")).isEqualTo("req-1");
    }
    assertThat(MDC.get("traceId")).isNull();
    assertThat(MDC.get("spanId")).isNull();
    assertThat(MDC.get("correlationId")).isNull();
  }

  @Test
  void mdc_closeRestoresApplicationsOwnValuesOfCairnKeys() {
    MDC.put("traceId", "app-owned");
    MDC.put("user", "alice");
    try (Scope ignored = TraceContext.newRoot(true).makeCurrent()) {
      assertThat(MDC.get("traceId")).isNotEqualTo("app-owned");
      MDC.put("user", "bob"); // the application's own key, changed inside the scope
    }
    assertThat(MDC.get("traceId")).isEqualTo("app-owned");
    assertThat(MDC.get("user")).isEqualTo("bob");
  }

  @Test
  void mdc_usesConfiguredKeysAndListedBaggage() {
    CorrelationMdc.install(
        MdcSettings.builder().traceIdKey("trace_id").spanIdKey("span_id").addBaggageKey("tenant").build());
    TraceContext c = TraceContext.newRoot(true).withBaggage(Baggage.empty().with("tenant", "acme").with("other", "x"));
    try (Scope ignored = c.makeCurrent()) {
      assertThat(MDC.get("trace_id")).isEqualTo(c.traceIdHex());
      assertThat(MDC.get("span_id")).isEqualTo(c.spanIdHex());
      assertThat(MDC.get("tenant")).isEqualTo("acme");
      assertThat(MDC.get("other")).isNull();
      assertThat(MDC.get("traceId")).isNull();
    }
    assertThat(MDC.get("tenant")).isNull();
  }

  @Test
  void mdc_disabledLeavesMdcUntouched() {
    CorrelationMdc.install(MdcSettings.builder().enabled(false).build());
    try (Scope ignored = TraceContext.newRoot(true).makeCurrent()) {
      assertThat(MDC.get("traceId")).isNull();
    }
  }

  @Test
  void emptyContext_clearsCairnKeysForItsScope() {
    TraceContext c = TraceContext.newRoot(true);
    try (Scope a = c.makeCurrent()) {
      try (Scope b = TraceContext.empty().makeCurrent()) {
        assertThat(MDC.get("traceId")).isNull();
        assertThat(TraceContext.current().isValid()).isFalse();
      }
      assertThat(MDC.get("traceId")).isEqualTo(c.traceIdHex());
    }
  }

  @Test
  void closeTwice_isHarmless() {
    TraceContext outer = TraceContext.newRoot(true);
    try (Scope a = outer.makeCurrent()) {
      Scope b = outer.newChild().makeCurrent();
      b.close();
      b.close();
      assertThat(TraceContext.current()).isSameAs(outer);
    }
  }

  @Test
  void closeOutOfOrder_keepsInnerCurrentThenUnwindsBoth_andCounts() {
    long before = misuse("out_of_order");
    TraceContext a = TraceContext.newRoot(true);
    TraceContext b = a.newChild();
    Scope sa = a.makeCurrent();
    Scope sb = b.makeCurrent();
    sa.close(); // wrong order
    assertThat(misuse("out_of_order")).isEqualTo(before + 1);
    assertThat(TraceContext.current()).isSameAs(b);
    sb.close();
    assertThat(TraceContext.current()).isSameAs(TraceContext.empty());
    assertThat(MDC.get("traceId")).isNull();
  }

  @Test
  void closeOnAnotherThread_isIgnoredThereAndCounted() throws Exception {
    long before = misuse("wrong_thread");
    TraceContext a = TraceContext.newRoot(true);
    Scope sa = a.makeCurrent();
    CompletableFuture.runAsync(sa::close).get();
    assertThat(misuse("wrong_thread")).isEqualTo(before + 1);
    assertThat(TraceContext.current()).isSameAs(a);
    sa.close();
    assertThat(TraceContext.current()).isSameAs(TraceContext.empty());
  }
}
