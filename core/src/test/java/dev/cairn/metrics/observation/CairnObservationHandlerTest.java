package dev.cairn.metrics.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CairnObservationHandlerTest {
  static final String REMOTE_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String REMOTE_SPAN = "00f067aa0ba902b7";
  static final String TRACEPARENT = "00-" + REMOTE_TRACE + "-" + REMOTE_SPAN + "-01";

  TestObservationRegistry registry;

  @BeforeEach
  void setUp() {
    registry = TestObservationRegistry.create();
    registry.observationConfig().observationHandler(CairnObservationHandler.builder().build());
  }

  @AfterEach
  void noContextLeft() {
    assertThat(TraceContext.current()).isSameAs(TraceContext.empty());
    MDC.clear();
  }

  static ReceiverContext<Map<String, String>> server(Map<String, String> headers) {
    ReceiverContext<Map<String, String>> c = new ReceiverContext<>((carrier, key) -> carrier.get(key));
    c.setCarrier(headers);
    return c;
  }

  static SenderContext<Map<String, String>> client(Map<String, String> headers) {
    SenderContext<Map<String, String>> c = new SenderContext<>((carrier, key, value) -> carrier.put(key, value));
    c.setCarrier(headers);
    return c;
  }

  /** Parses a traceparent with OpenTelemetry's own propagator. */
  static SpanContext otelParse(Map<String, String> headers) {
    TextMapGetter<Map<String, String>> getter =
        new TextMapGetter<>() {
          @Override
          public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
          }

          @Override
          public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
          }
        };
    Context c = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, getter);
    return io.opentelemetry.api.trace.Span.fromContext(c).getSpanContext();
  }

  @Test
  void serverObservation_continuesTheRemoteTraceAsChildOfTheCallerSpan() {
    Observation o = Observation.start("http.server.requests", () -> server(Map.of("traceparent", TRACEPARENT)), registry);
    try (Observation.Scope ignored = o.openScope()) {
      TraceContext c = TraceContext.current();
      assertThat(c.traceIdHex()).isEqualTo(REMOTE_TRACE);
      assertThat(c.parentSpanIdHex()).isEqualTo(REMOTE_SPAN);
      assertThat(c.spanIdHex()).isNotEqualTo(REMOTE_SPAN);
      assertThat(c.isSampled()).isTrue();
    }
    o.stop();
  }

  @Test
  void serverObservation_putsIdsIntoMdcForTheScopeOnly() {
    Observation o = Observation.start("http.server.requests", () -> server(Map.of("traceparent", TRACEPARENT)), registry);
    try (Observation.Scope ignored = o.openScope()) {
      assertThat(MDC.get("traceId")).isEqualTo(REMOTE_TRACE);
      assertThat(MDC.get("spanId")).isEqualTo(TraceContext.current().spanIdHex());
      assertThat(MDC.get("correlationId")).isEqualTo(REMOTE_TRACE);
    }
    o.stop();
    assertThat(MDC.get("traceId")).isNull();
    assertThat(MDC.get("spanId")).isNull();
  }

  @Test
  void serverObservation_withoutHeaders_startsANewTraceWithACorrelationId() {
    Observation o = Observation.start("http.server.requests", () -> server(new HashMap<>()), registry);
    TraceContext c = CairnObservationHandler.contextOf(o.getContextView()).orElseThrow();
    assertThat(c.isValid()).isTrue();
    assertThat(c.isRemote()).isFalse();
    assertThat(c.parentSpanId()).isZero();
    assertThat(c.correlationIdOrEmpty()).isEqualTo(c.traceIdHex());
    o.stop();
  }

  @Test
  void serverObservation_withInvalidTraceparent_startsANewTrace() {
    Observation o =
        Observation.start(
            "http.server.requests",
            () -> server(Map.of("traceparent", "00-00000000000000000000000000000000-" + REMOTE_SPAN + "-01")),
            registry);
    TraceContext c = CairnObservationHandler.contextOf(o.getContextView()).orElseThrow();
    assertThat(c.isValid()).isTrue();
    assertThat(c.traceIdHex()).isNotEqualTo("00000000000000000000000000000000");
    o.stop();
  }

  @Test
  void correlationIdGeneration_canBeTurnedOff() {
    TestObservationRegistry r = TestObservationRegistry.create();
    r.observationConfig()
        .observationHandler(CairnObservationHandler.builder().generateCorrelationId(false).build());
    Observation o = Observation.start("http.server.requests", () -> server(new HashMap<>()), r);
    assertThat(CairnObservationHandler.contextOf(o.getContextView()).orElseThrow().correlationId()).isEmpty();
    o.stop();
  }

  @Test
  void serverObservation_echoesTheCorrelationIdIntoTheResponse() {
    TestObservationRegistry r = TestObservationRegistry.create();
    r.observationConfig()
        .observationHandler(
            CairnObservationHandler.builder()
                .echoCorrelationId("X-Request-ID", (response, name, value) -> castMap(response).put(name, value))
                .build());
    Map<String, String> response = new HashMap<>();
    RequestReplyReceiverContext<Map<String, String>, Map<String, String>> ctx =
        new RequestReplyReceiverContext<>((carrier, key) -> carrier.get(key));
    ctx.setCarrier(Map.of("traceparent", TRACEPARENT));
    ctx.setResponse(response);
    Observation o = Observation.start("http.server.requests", () -> ctx, r);
    assertThat(response).containsEntry("X-Request-ID", REMOTE_TRACE);
    o.stop();
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> castMap(Object o) {
    return (Map<String, String>) o;
  }

  @Test
  void clientObservation_injectsAChildOfTheCurrentContext() {
    TraceContext parent = TraceContext.newRoot(true);
    Map<String, String> headers = new HashMap<>();
    try (Scope ignored = parent.makeCurrent()) {
      Observation.start("http.client.requests", () -> client(headers), registry).stop();
    }
    SpanContext sent = otelParse(headers);
    assertThat(sent.isValid()).isTrue();
    assertThat(sent.getTraceId()).isEqualTo(parent.traceIdHex());
    assertThat(sent.getSpanId()).isNotEqualTo(parent.spanIdHex());
    assertThat(sent.isSampled()).isTrue();
  }

  @Test
  void clientObservation_insideAServerObservation_isItsChild() {
    Observation server = Observation.start("http.server.requests", () -> server(Map.of("traceparent", TRACEPARENT)), registry);
    TraceContext serverCtx = CairnObservationHandler.contextOf(server.getContextView()).orElseThrow();
    Map<String, String> headers = new HashMap<>();
    // No scope opened: the parent is found through the observation tree, not the thread.
    Observation.createNotStarted("http.client.requests", () -> client(headers), registry)
        .parentObservation(server)
        .start()
        .stop();
    server.stop();
    SpanContext sent = otelParse(headers);
    assertThat(sent.getTraceId()).isEqualTo(REMOTE_TRACE);
    assertThat(sent.getSpanId()).isNotEqualTo(serverCtx.spanIdHex());
    TraceContext clientCtx = TraceContext.builder().traceId(sent.getTraceId()).spanId(sent.getSpanId()).build();
    assertThat(clientCtx.traceIdHex()).isEqualTo(serverCtx.traceIdHex());
  }

  @Test
  void plainObservation_isAChildSpanCurrentInItsScope() {
    TraceContext parent = TraceContext.newRoot(true);
    try (Scope ignored = parent.makeCurrent()) {
      Observation o = Observation.start("orders.place", registry);
      try (Observation.Scope s = o.openScope()) {
        assertThat(TraceContext.current().traceIdHex()).isEqualTo(parent.traceIdHex());
        assertThat(TraceContext.current().parentSpanId()).isEqualTo(parent.spanId());
      }
      o.stop();
      assertThat(TraceContext.current()).isSameAs(parent);
    }
  }

  @Test
  void plainObservations_canBeLeftAlone() {
    TestObservationRegistry r = TestObservationRegistry.create();
    r.observationConfig().observationHandler(CairnObservationHandler.builder().allObservations(false).build());
    Observation o = Observation.start("orders.place", r);
    assertThat(CairnObservationHandler.contextOf(o.getContextView())).isEmpty();
    o.stop();
  }

  @Test
  void nestedScopes_restoreTheOuterContext() {
    Observation outer = Observation.start("outer", registry);
    try (Observation.Scope a = outer.openScope()) {
      TraceContext outerCtx = TraceContext.current();
      Observation inner = Observation.start("inner", registry);
      try (Observation.Scope b = inner.openScope()) {
        assertThat(TraceContext.current().parentSpanId()).isEqualTo(outerCtx.spanId());
      }
      inner.stop();
      assertThat(TraceContext.current()).isSameAs(outerCtx);
    }
    outer.stop();
  }

  @Test
  void scopeReset_closesEveryScopeThisThreadOpened() {
    Observation o = Observation.start("work", registry);
    Observation.Scope s1 = o.openScope();
    Observation.Scope s2 = o.openScope();
    s2.reset();
    assertThat(TraceContext.current()).isSameAs(TraceContext.empty());
    // Closing after a reset is harmless.
    s2.close();
    s1.close();
    o.stop();
  }

  @Test
  void throwingGetter_isContained_andTheRequestGetsAFreshTrace() {
    ReceiverContext<Map<String, String>> ctx =
        new ReceiverContext<>(
            (carrier, key) -> {
              throw new IllegalStateException("broken carrier");
            });
    ctx.setCarrier(Map.of());
    Observation[] o = new Observation[1];
    assertThatCode(
            () -> {
              o[0] = Observation.start("http.server.requests", () -> ctx, registry);
              try (Observation.Scope s = o[0].openScope()) {
                // the request goes on
              }
              o[0].stop();
            })
        .doesNotThrowAnyException();
    TraceContext c = CairnObservationHandler.contextOf(o[0].getContextView()).orElseThrow();
    assertThat(c.isValid()).isTrue();
    assertThat(c.parentSpanId()).isZero();
  }

  @Test
  void throwingResponseWriter_isContainedAndCounted() {
    TestObservationRegistry r = TestObservationRegistry.create();
    r.observationConfig()
        .observationHandler(
            CairnObservationHandler.builder()
                .echoCorrelationId(
                    "X-Request-ID",
                    (response, name, value) -> {
                      throw new IllegalStateException("response already committed");
                    })
                .build());
    long before = CairnObservationHandler.errorCount();
    RequestReplyReceiverContext<Map<String, String>, Object> ctx =
        new RequestReplyReceiverContext<>((carrier, key) -> carrier.get(key));
    ctx.setCarrier(Map.of());
    ctx.setResponse(new Object());
    Observation o = Observation.start("http.server.requests", () -> ctx, r);
    assertThat(CairnObservationHandler.contextOf(o.getContextView())).isPresent();
    o.stop();
    assertThat(CairnObservationHandler.errorCount()).isEqualTo(before + 1);
  }

  @Test
  void echoHeader_mustBeAnHttpToken() {
    assertThatCode(() -> CairnObservationHandler.builder().echoCorrelationId("X Request", (r, n, v) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HTTP token");
  }

  @Test
  void observationsAreRecordedByTheTestRegistry() {
    Observation.start("http.server.requests", () -> server(Map.of("traceparent", TRACEPARENT)), registry).stop();
    io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat(registry)
        .hasObservationWithNameEqualTo("http.server.requests")
        .that()
        .hasBeenStarted()
        .hasBeenStopped();
  }
}
