package dev.cairn.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TraceContextTest {

  @Test
  void newRoot_hasValidRandomIdsAndRandomFlag() {
    TraceContext c = TraceContext.newRoot(true);
    assertThat(c.isValid()).isTrue();
    assertThat(c.isSampled()).isTrue();
    assertThat(c.isRandomTraceId()).isTrue();
    assertThat(c.parentSpanId()).isZero();
    assertThat(c.traceIdHex()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    assertThat(c.spanIdHex()).matches("[0-9a-f]{16}").isNotEqualTo("0".repeat(16));
  }

  @Test
  void newRoot_idsDoNotRepeatOverManyCalls() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      assertThat(seen.add(TraceContext.newRoot(false).traceIdHex())).isTrue();
    }
  }

  @Test
  void hexIds_areRenderedOncePerContext() {
    TraceContext c = TraceContext.newRoot(true);
    assertThat(c.traceIdHex()).isSameAs(c.traceIdHex());
    assertThat(c.spanIdHex()).isSameAs(c.spanIdHex());
  }

  @Test
  void newChild_keepsTraceAndLinksParent() {
    TraceContext p = TraceContext.newRoot(true).withCorrelationId("r").withBaggage(Baggage.empty().with("k", "v"));
    TraceContext c = p.newChild();
    assertThat(c.traceIdHex()).isEqualTo(p.traceIdHex());
    assertThat(c.parentSpanId()).isEqualTo(p.spanId());
    assertThat(c.spanId()).isNotEqualTo(p.spanId());
    assertThat(c.correlationId()).contains("r");
    assertThat(c.baggage().get("k")).contains("v");
  }

  @Test
  void childOfEmpty_isANewRootKeepingNothing() {
    TraceContext c = TraceContext.empty().newChild();
    assertThat(c.isValid()).isTrue();
    assertThat(c.parentSpanId()).isZero();
  }

  @Test
  void builder_parsesHexOfEitherCaseAndRendersLowerCase() {
    TraceContext c =
        TraceContext.builder()
            .traceId("4BF92F3577B34DA6A3CE929D0E0E4736")
            .spanId("00F067AA0BA902B7")
            .sampled(true)
            .build();
    assertThat(c.traceIdHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(c.spanIdHex()).isEqualTo("00f067aa0ba902b7");
  }

  @Test
  void builder_refusesTraceIdWithoutSpanId() {
    assertThatThrownBy(() -> TraceContext.builder().traceId(1, 2).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("both set");
  }

  @Test
  void builder_refusesMalformedHexWithTheValueInTheMessage() {
    assertThatThrownBy(() -> TraceContext.builder().traceId("xyz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'xyz'");
  }

  @Test
  void empty_isInvalidAndNeverNull() {
    assertThat(TraceContext.empty().isValid()).isFalse();
    assertThat(TraceContext.current()).isNotNull();
    assertThat(TraceContext.empty().correlationId()).isEmpty();
  }

  @Test
  void withSampled_togglesOnlyTheSampledBit() {
    TraceContext c = TraceContext.newRoot(false);
    TraceContext s = c.withSampled(true);
    assertThat(s.traceFlags()).isEqualTo(c.traceFlags() | TraceContext.FLAG_SAMPLED);
    assertThat(s.spanId()).isEqualTo(c.spanId());
  }
}
