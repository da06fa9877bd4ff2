package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracing;
import brave.context.slf4j.MDCScopeDecorator;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import dev.cairn.context.TraceContext;
import dev.cairn.metrics.observation.CairnObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code cairn.tracing.mode} with Micrometer Tracing's Brave bridge, wired as Boot's tracing
 * auto-configuration wires it (tracer, propagating handlers grouped first-match, Brave's MDC
 * decorator on {@code traceId}/{@code spanId}).
 */
@ExtendWith(OutputCaptureExtension.class)
class MicrometerTracingModeTest {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  final List<MutableSpan> braveReported = new CopyOnWriteArrayList<>();
  final Tracing tracing =
      Tracing.newBuilder()
          .traceId128Bit(true)
          .propagationFactory(new W3CPropagation(new BraveBaggageManager(), List.of()))
          .currentTraceContext(ThreadLocalCurrentTraceContext.newBuilder().addScopeDecorator(MDCScopeDecorator.get()).build())
          .addSpanHandler(
              new SpanHandler() {
                @Override
                public boolean end(brave.propagation.TraceContext context, MutableSpan span, Cause cause) {
                  braveReported.add(span);
                  return true;
                }
              })
          .build();
  final BraveTracer tracer =
      new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()), new BraveBaggageManager());

  final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ObservationAutoConfiguration.class, CairnTracingAutoConfiguration.class, CairnObservationAutoConfiguration.class));

  /** What Boot's tracing auto-configuration contributes: the tracer and its first-match handler group. */
  ApplicationContextRunner withMicrometerTracing() {
    BravePropagator propagator = new BravePropagator(tracing);
    return runner
        .withBean(Tracer.class, () -> tracer)
        .withBean(
            "tracingHandlers",
            ObservationHandler.class,
            () ->
                new ObservationHandler.FirstMatchingCompositeObservationHandler(
                    new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                    new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                    new DefaultTracingObservationHandler(tracer)));
  }

  @AfterEach
  void closeTracing() {
    tracing.close();
    MDC.clear();
  }

  /** A request whose headers are read case-insensitively, as HTTP servers read them. */
  static ReceiverContext<Map<String, String>> request(Map<String, String> headers) {
    RequestReplyReceiverContext<Map<String, String>, Map<String, String>> c =
        new RequestReplyReceiverContext<>((m, k) -> m.get(k));
    Map<String, String> carrier = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    carrier.putAll(headers);
    c.setCarrier(carrier);
    c.setResponse(new HashMap<>());
    return c;
  }

  @Test
  void autoMode_withAMicrometerTracer_mirrorsItsSpansInsteadOfRecordingCairnSpans() {
    withMicrometerTracing()
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(MicrometerTracingContextHandler.class);
              assertThat(ctx).doesNotHaveBean(CairnObservationHandler.class);
            });
  }

  @Test
  void autoMode_withAMicrometerTracer_saysSoInOneInfoLine(CapturedOutput output) {
    withMicrometerTracing().run(ctx -> assertThat(ctx).hasNotFailed());
    assertThat(output.getOut().lines().filter(l -> l.contains("cairn.tracing.mode=auto resolved to micrometer")))
        .hasSize(1)
        .allSatisfy(l -> assertThat(l).contains("INFO"));
  }

  @Test
  void micrometerMode_withCairnSpanExportConfigured_warnsThatHttpSpansWillNotReachIt(CapturedOutput output) {
    withMicrometerTracing()
        .withPropertyValues("cairn.export.endpoint=http://127.0.0.1:4318")
        .run(ctx -> assertThat(ctx).hasNotFailed());
    assertThat(output.getOut().lines().filter(l -> l.contains("cairn.export sends spans to http://127.0.0.1:4318")))
        .hasSize(1)
        .allSatisfy(l -> assertThat(l).contains("WARN").contains("none of them reach it"));
  }

  @Test
  void micrometerMode_withoutCairnSpanExport_staysQuietAboutIt(CapturedOutput output) {
    withMicrometerTracing().run(ctx -> assertThat(ctx).hasNotFailed());
    assertThat(output.getOut()).doesNotContain("cairn.export sends spans");
  }

  @Test
  void explicitCairnMode_withAMicrometerTracer_warnsOfTwoSpansPerObservation(CapturedOutput output) {
    withMicrometerTracing().withPropertyValues("cairn.tracing.mode=cairn").run(ctx -> assertThat(ctx).hasNotFailed());
    assertThat(output.getOut().lines().filter(l -> l.contains("cairn.tracing.mode=cairn while Micrometer Tracing's tracer is present")))
        .hasSize(1)
        .allSatisfy(l -> assertThat(l).contains("WARN"));
  }

  @Test
  void autoMode_withoutMicrometerTracing_keepsCairnsHandler() {
    runner
        .withClassLoader(new FilteredClassLoader("io.micrometer.tracing"))
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(CairnObservationHandler.class);
              assertThat(ctx).doesNotHaveBean(MicrometerTracingContextHandler.class);
            });
  }

  @Test
  void autoMode_withMicrometerTracingOnTheClasspathButNoTracer_keepsCairnsHandler() {
    runner.run(
        ctx -> {
          assertThat(ctx).hasSingleBean(CairnObservationHandler.class);
          assertThat(ctx).doesNotHaveBean(MicrometerTracingContextHandler.class);
        });
  }

  @Test
  void explicitCairnMode_withAMicrometerTracer_keepsCairnsHandlerAndNoMirror() {
    withMicrometerTracing()
        .withPropertyValues("cairn.tracing.mode=cairn")
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(CairnObservationHandler.class);
              assertThat(ctx).doesNotHaveBean(MicrometerTracingContextHandler.class);
            });
  }

  @Test
  void offMode_registersNeitherHandler() {
    withMicrometerTracing()
        .withPropertyValues("cairn.tracing.mode=off")
        .run(
            ctx -> {
              assertThat(ctx).doesNotHaveBean(CairnObservationHandler.class);
              assertThat(ctx).doesNotHaveBean(MicrometerTracingContextHandler.class);
            });
  }

  @Test
  void unknownMode_failsStartUpNamingTheValidOnes() {
    runner
        .withPropertyValues("cairn.tracing.mode=brave")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("unknown mode 'brave'")
                    .hasMessageContaining("auto, cairn, micrometer, off"));
  }

  @Test
  void serverObservationInScope_cairnContextIsMicrometerTracingsCurrentSpan() {
    withMicrometerTracing()
        .run(
            ctx -> {
              ObservationRegistry registry = ctx.getBean(ObservationRegistry.class);
              Observation o = Observation.start("http.server.requests", () -> request(Map.of("traceparent", TRACEPARENT)), registry);
              try (Observation.Scope s = o.openScope()) {
                Span span = tracer.currentSpan();
                TraceContext cairn = TraceContext.current();
                assertThat(cairn.traceIdHex()).isEqualTo(TRACE_ID).isEqualTo(span.context().traceId());
                assertThat(cairn.spanIdHex()).isEqualTo(span.context().spanId());
                assertThat(cairn.parentSpanIdHex()).isEqualTo("00f067aa0ba902b7");
                assertThat(cairn.isSampled()).isTrue();
              }
              o.stop();
              assertThat(braveReported).hasSize(1);
            });
  }

  @Test
  void scopeClosed_restoresThePreviousContext_soAPooledThreadKeepsNothing() {
    withMicrometerTracing()
        .run(
            ctx -> {
              ObservationRegistry registry = ctx.getBean(ObservationRegistry.class);
              Observation o = Observation.start("http.server.requests", () -> request(Map.of("traceparent", TRACEPARENT)), registry);
              o.openScope().close();
              o.stop();
              assertThat(TraceContext.current()).isEqualTo(TraceContext.empty());
              assertThat(MDC.get("traceId")).isNull();
              assertThat(MDC.get("spanId")).isNull();
              assertThat(MDC.get("correlationId")).isNull();
            });
  }

  @Test
  void mdc_bothWriteTheSameIds_andNestedScopesRestoreTheOuterOnes() {
    withMicrometerTracing()
        .run(
            ctx -> {
              ObservationRegistry registry = ctx.getBean(ObservationRegistry.class);
              Observation server = Observation.start("http.server.requests", () -> request(Map.of("traceparent", TRACEPARENT)), registry);
              try (Observation.Scope s = server.openScope()) {
                String serverSpan = tracer.currentSpan().context().spanId();
                assertThat(MDC.get("traceId")).isEqualTo(TRACE_ID);
                assertThat(MDC.get("spanId")).isEqualTo(serverSpan);
                Observation inner = Observation.start("work", registry);
                try (Observation.Scope i = inner.openScope()) {
                  String innerSpan = tracer.currentSpan().context().spanId();
                  assertThat(innerSpan).isNotEqualTo(serverSpan);
                  assertThat(MDC.get("spanId")).isEqualTo(innerSpan).isEqualTo(TraceContext.current().spanIdHex());
                }
                inner.stop();
                assertThat(MDC.get("traceId")).isEqualTo(TRACE_ID);
                assertThat(MDC.get("spanId")).isEqualTo(serverSpan).isEqualTo(TraceContext.current().spanIdHex());
              }
              server.stop();
              assertThat(MDC.get("traceId")).isNull();
            });
  }

  @Test
  void mdc_applicationsOwnValuesOfTheKeysComeBackAfterTheRequest() {
    withMicrometerTracing()
        .run(
            ctx -> {
              ObservationRegistry registry = ctx.getBean(ObservationRegistry.class);
              MDC.put("traceId", "batch-7");
              Observation o = Observation.start("http.server.requests", () -> request(Map.of("traceparent", TRACEPARENT)), registry);
              try (Observation.Scope s = o.openScope()) {
                assertThat(MDC.get("traceId")).isEqualTo(TRACE_ID);
              }
              o.stop();
              assertThat(MDC.get("traceId")).isEqualTo("batch-7");
            });
  }

  @Test
  void braveScopeOfA64BitTrace_logsTheTraceIdAsBraveRendersIt_andRestoresTheMdc() {
    brave.propagation.TraceContext b3 =
        brave.propagation.TraceContext.newBuilder().traceId(0x463ac35c9f6413adL).spanId(0x72485a3953bb6124L).sampled(true).build();
    brave.propagation.CurrentTraceContext.Scope decorated =
        new BraveScopeMirror().decorateScope(b3, brave.propagation.CurrentTraceContext.Scope.NOOP);
    assertThat(TraceContext.current().traceIdHex()).isEqualTo("0000000000000000463ac35c9f6413ad");
    assertThat(TraceContext.current().spanIdHex()).isEqualTo("72485a3953bb6124");
    assertThat(MDC.get("traceId")).isEqualTo("463ac35c9f6413ad").isEqualTo(b3.traceIdString());
    decorated.close();
    assertThat(TraceContext.current()).isEqualTo(TraceContext.empty());
    assertThat(MDC.get("traceId")).isNull();
  }

  @Test
  void braveScopeInsideARequest_keepsTheRequestsCorrelationId_onlyInTheSameTrace() {
    TraceContext request =
        TraceContext.builder().traceId(TRACE_ID).spanId("00f067aa0ba902b7").sampled(true).correlationId("order-42").build();
    try (dev.cairn.context.Scope r = request.makeCurrent()) {
      brave.propagation.TraceContext sameTrace =
          brave.propagation.TraceContext.newBuilder()
              .traceIdHigh(Long.parseUnsignedLong(TRACE_ID.substring(0, 16), 16))
              .traceId(Long.parseUnsignedLong(TRACE_ID.substring(16), 16))
              .spanId(7)
              .build();
      try (brave.propagation.CurrentTraceContext.Scope s =
          new BraveScopeMirror().decorateScope(sameTrace, brave.propagation.CurrentTraceContext.Scope.NOOP)) {
        assertThat(TraceContext.current().correlationIdOrEmpty()).isEqualTo("order-42");
      }
      brave.propagation.TraceContext otherTrace = brave.propagation.TraceContext.newBuilder().traceId(9).spanId(8).build();
      try (brave.propagation.CurrentTraceContext.Scope s =
          new BraveScopeMirror().decorateScope(otherTrace, brave.propagation.CurrentTraceContext.Scope.NOOP)) {
        assertThat(TraceContext.current().correlationIdOrEmpty()).isEmpty();
      }
      assertThat(TraceContext.current()).isEqualTo(request);
    }
  }

  @Test
  void receivedRequestId_isTheMirroredContextsCorrelationId() {
    withMicrometerTracing()
        .run(
            ctx -> {
              ObservationRegistry registry = ctx.getBean(ObservationRegistry.class);
              ReceiverContext<Map<String, String>> c = request(Map.of("traceparent", TRACEPARENT, "X-Request-ID", "order-42"));
              Observation o = Observation.start("http.server.requests", () -> c, registry);
              try (Observation.Scope s = o.openScope()) {
                assertThat(TraceContext.current().correlationIdOrEmpty()).isEqualTo("order-42");
                assertThat(MDC.get("correlationId")).isEqualTo("order-42");
              }
              o.stop();
            });
  }

  @Test
  void requestWithoutId_getsTheTraceIdAsCorrelationId() {
    withMicrometerTracing()
        .run(
            ctx -> {
              ObservationRegistry registry = ctx.getBean(ObservationRegistry.class);
              Observation o = Observation.start("http.server.requests", () -> request(Map.of("traceparent", TRACEPARENT)), registry);
              try (Observation.Scope s = o.openScope()) {
                assertThat(TraceContext.current().correlationIdOrEmpty()).isEqualTo(TRACE_ID);
              }
              o.stop();
            });
  }

  @Test
  void outgoingCall_carriesMicrometerTracingsTraceparentOnceAndCairnsRequestId() {
    withMicrometerTracing()
        .run(
            ctx -> {
              ObservationRegistry registry = ctx.getBean(ObservationRegistry.class);
              Map<String, String> sent = new HashMap<>();
              Map<String, Integer> writes = new HashMap<>();
              Observation server =
                  Observation.start(
                      "http.server.requests",
                      () -> request(Map.of("traceparent", TRACEPARENT, "X-Request-ID", "order-42")),
                      registry);
              try (Observation.Scope s = server.openScope()) {
                SenderContext<Map<String, String>> client =
                    new SenderContext<>(
                        (m, k, v) -> {
                          writes.merge(k.toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
                          m.put(k.toLowerCase(java.util.Locale.ROOT), v);
                        });
                client.setCarrier(sent);
                Observation.start("http.client.requests", () -> client, registry).stop();
              }
              server.stop();
              assertThat(writes.get("traceparent")).isEqualTo(1);
              assertThat(braveReported).hasSize(2);
              MutableSpan clientSpan =
                  braveReported.stream().filter(sp -> sp.kind() != brave.Span.Kind.SERVER).findFirst().orElseThrow();
              assertThat(sent.get("traceparent")).isEqualTo("00-" + TRACE_ID + "-" + clientSpan.id() + "-01");
              assertThat(sent.get("x-request-id")).isEqualTo("order-42");
            });
  }
}
