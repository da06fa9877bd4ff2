package dev.cairn.metrics.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.context.Baggage;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.metrics.CardinalityGuard;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BaggageTagsTest {
  MeterRegistry meters;
  ObservationRegistry observations;

  @BeforeEach
  void setUp() {
    meters = new SimpleMeterRegistry();
    meters.config().meterFilter(CardinalityGuard.of(3, 100));
    observations = ObservationRegistry.create();
    observations.observationConfig()
        .observationHandler(CairnObservationHandler.builder().build())
        .observationHandler(new DefaultMeterObservationHandler(meters))
        .observationFilter(BaggageTags.of(List.of("tenant")));
  }

  void callWithBaggage(Baggage baggage) {
    TraceContext ctx = TraceContext.newRoot(true).withBaggage(baggage);
    try (Scope ignored = ctx.makeCurrent()) {
      Map<String, String> headers = new HashMap<>();
      SenderContext<Map<String, String>> c = new SenderContext<>((m, k, v) -> m.put(k, v));
      c.setCarrier(headers);
      Observation.start("http.client.requests", () -> c, observations).stop();
    }
  }

  @Test
  void allowListedBaggageBecomesATimerTag() {
    callWithBaggage(Baggage.empty().with("tenant", "acme").with("secret", "x"));
    assertThat(meters.get("http.client.requests").tag("tenant", "acme").timer().count()).isEqualTo(1);
    assertThat(meters.get("http.client.requests").timer().getId().getTag("secret")).isNull();
  }

  @Test
  void missingBaggageIsTaggedNone_soEveryTimerHasTheSameTagKeys() {
    callWithBaggage(Baggage.empty());
    assertThat(meters.get("http.client.requests").tag("tenant", BaggageTags.ABSENT).timer().count()).isEqualTo(1);
  }

  @Test
  void longValuesAreCut() {
    callWithBaggage(Baggage.empty().with("tenant", "t".repeat(200)));
    assertThat(meters.get("http.client.requests").timer().getId().getTag("tenant")).hasSize(BaggageTags.MAX_VALUE_LENGTH);
  }

  @Test
  void distinctValuesStayUnderTheCardinalityGuard() {
    for (int i = 0; i < 50; i++) {
      callWithBaggage(Baggage.empty().with("tenant", "t" + i));
    }
    assertThat(meters.find("http.client.requests").timers()).hasSize(4); // 3 + the overflow series
    assertThat(meters.get("http.client.requests").tag("tenant", CardinalityGuard.OVERFLOW_VALUE).timer().count())
        .isEqualTo(47);
  }

  @Test
  void plainObservationsAreNotTagged() {
    TraceContext ctx = TraceContext.newRoot(true).withBaggage(Baggage.empty().with("tenant", "acme"));
    try (Scope ignored = ctx.makeCurrent()) {
      Observation.start("orders.place", observations).stop();
    }
    assertThat(meters.get("orders.place").timer().getId().getTag("tenant")).isNull();
  }

  @Test
  void invalidOrDuplicateNamesAreRefused() {
    assertThatThrownBy(() -> BaggageTags.of(List.of("bad name"))).hasMessageContaining("HTTP token");
    assertThatThrownBy(() -> BaggageTags.of(List.of("a", "a"))).hasMessageContaining("twice");
  }
}
