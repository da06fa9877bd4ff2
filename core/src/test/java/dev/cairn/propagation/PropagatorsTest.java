package dev.cairn.propagation;

import static dev.cairn.propagation.PropagationTesting.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.context.Baggage;
import dev.cairn.context.TraceContext;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropagatorsTest {
  static final String TP = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  static final String B3 = "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1";

  @Test
  void fromNames_otelPropagatorsList_buildsCompositeInOrder() {
    Propagator p = Propagators.fromNames("tracecontext, baggage ,B3MULTI");
    assertThat(p.name()).isEqualTo("composite(w3c-tracecontext,w3c-baggage,b3-multi)");
    assertThat(p.fields()).contains("traceparent", "tracestate", "baggage", "x-b3-traceid");
  }

  @Test
  void fromNames_singleName_returnsThatPropagator() {
    assertThat(Propagators.fromNames("xray")).isSameAs(Propagators.awsXray());
  }

  @Test
  void fromNames_repeatsAndEmptyEntries_areIgnored() {
    assertThat(Propagators.fromNames("b3,,b3, ").name()).isEqualTo("b3-single");
  }

  @Test
  void fromNames_none_readsAndWritesNothing() {
    Propagator p = Propagators.fromNames("none");
    Map<String, String> out = new HashMap<>();
    p.inject(TraceContext.newRoot(true), out, Carriers.mapSetter());
    assertThat(out).isEmpty();
    assertThat(p.extract(TraceContext.empty(), headers("traceparent", TP), Carriers.mapGetter()).isValid()).isFalse();
  }

  @Test
  void fromNames_unknownName_failsListingTheKnownOnes() {
    assertThatThrownBy(() -> Propagators.fromNames("tracecontext,jaeger"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jaeger")
        .hasMessageContaining("b3multi");
  }

  @Test
  void fromNames_noneWithOthers_fails() {
    assertThatThrownBy(() -> Propagators.fromNames("none,b3")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void named_aliasesNameTheSamePropagators() {
    assertThat(Propagators.named("w3c")).isSameAs(Propagators.w3cTraceContext());
    assertThat(Propagators.named("AWS")).isSameAs(Propagators.awsXray());
    assertThat(Propagators.named("gcp")).isSameAs(Propagators.googleCloudTrace());
    assertThat(Propagators.named("request-id")).isSameAs(Propagators.correlationId());
  }

  @Test
  void named_acceptsEveryListedName() {
    for (String n : Propagators.NAMES) {
      assertThat(Propagators.named(n)).isNotNull();
    }
  }

  @Test
  void composite_extract_takesTheFirstValidTraceFormat() {
    Propagator p = Propagators.fromNames("b3,tracecontext");
    TraceContext c = p.extract(TraceContext.empty(), headers("traceparent", TP, "b3", B3), Carriers.mapGetter());
    assertThat(c.traceIdHex()).isEqualTo("80f198ee56343ba864fe8b2a57d3eff7");
  }

  @Test
  void composite_extract_fallsThroughAnInvalidFormat() {
    Propagator p = Propagators.fromNames("b3,tracecontext");
    Extraction e = p.explain(TraceContext.empty(), headers("traceparent", TP, "b3", "garbage"), Carriers.mapGetter());
    assertThat(e.context().traceIdHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(e.rejections()).extracting(Extraction.Rejection::format).containsExactly("b3-single");
  }

  @Test
  void composite_extract_addsBaggageAndCorrelationIdToTheTraceContext() {
    TraceContext c =
        Propagators.defaults()
            .extract(
                TraceContext.empty(),
                headers("traceparent", TP, "baggage", "tenant=acme", "x-request-id", "r-9"),
                Carriers.mapGetter());
    assertThat(c.traceIdHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(c.baggage().getOrDefault("tenant", "")).isEqualTo("acme");
    assertThat(c.correlationIdOrEmpty()).isEqualTo("r-9");
  }

  @Test
  void composite_inject_writesEveryFormat() {
    TraceContext c =
        TraceContext.newRoot(true).withBaggage(Baggage.empty().with("k", "v")).withCorrelationId("r-1");
    Map<String, String> out = new HashMap<>();
    Propagators.fromNames("tracecontext,baggage,b3,b3multi,xray,xcloudtrace,correlationid")
        .inject(c, out, Carriers.mapSetter());
    assertThat(out)
        .containsKeys("traceparent", "baggage", "b3", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled",
            "x-amzn-trace-id", "x-cloud-trace-context", "x-request-id");
  }

  @Test
  void composite_everyTraceFormatRoundTripsTheSameIds() {
    TraceContext c = TraceContext.newRoot(true);
    for (String name : new String[] {"tracecontext", "b3", "b3multi", "xray", "xcloudtrace"}) {
      Propagator p = Propagators.named(name);
      Map<String, String> out = new HashMap<>();
      p.inject(c, out, Carriers.mapSetter());
      TraceContext back = p.extract(TraceContext.empty(), out, Carriers.mapGetter());
      assertThat(back.traceIdHex()).as(name).isEqualTo(c.traceIdHex());
      assertThat(back.spanIdHex()).as(name).isEqualTo(c.spanIdHex());
      assertThat(back.isSampled()).as(name).isTrue();
    }
  }
}
