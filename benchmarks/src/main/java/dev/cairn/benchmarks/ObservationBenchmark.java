package dev.cairn.benchmarks;

import dev.cairn.metrics.observation.CairnObservationHandler;
import dev.cairn.propagation.Propagators;
import dev.cairn.span.Sampler;
import dev.cairn.span.Tracing;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.EventPublishingContextWrapper;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.otel.bridge.Slf4JEventListener;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One HTTP-shaped observation (start, open scope, close scope, stop), as Spring's server filter and
 * HTTP clients drive it: with Cairn's observation handler and tracer (spans always sampled, no
 * exporter), and with Micrometer Tracing's handlers
 * over the OpenTelemetry bridge (the set Spring Boot registers: propagating receiver/sender plus the
 * default tracing handler, MDC through the bridge's SLF4J listener, spans always sampled, no
 * exporter). Both extract W3C {@code traceparent} on the server side and inject it on the client
 * side and put trace and span ids into the MDC. {@code observation_*} is the registry without any
 * handler, the floor under both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ObservationBenchmark {
  private static final Map<String, String> INBOUND =
      Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

  private ObservationRegistry cairn;
  private ObservationRegistry micrometer;
  private ObservationRegistry bare;
  private SdkTracerProvider sdk;
  private Tracing cairnTracing;

  @Setup
  public void setup() {
    cairnTracing = Tracing.builder().sampler(Sampler.alwaysOn()).build();
    cairn = ObservationRegistry.create();
    cairn.observationConfig()
        .observationHandler(
            CairnObservationHandler.builder()
                .propagator(Propagators.w3cTraceContext())
                .tracer(cairnTracing.tracer("benchmark"))
                .build());

    sdk = SdkTracerProvider.builder().setSampler(io.opentelemetry.sdk.trace.samplers.Sampler.alwaysOn()).build();
    io.opentelemetry.api.trace.Tracer otel = sdk.get("benchmark");
    Slf4JEventListener mdc = new Slf4JEventListener();
    ContextStorage.addWrapper(new EventPublishingContextWrapper(mdc::onEvent));
    OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    OtelTracer tracer =
        new OtelTracer(otel, current, mdc::onEvent, new OtelBaggageManager(current, List.of(), List.of()));
    OtelPropagator propagator =
        new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
    micrometer = ObservationRegistry.create();
    micrometer
        .observationConfig()
        .observationHandler(
            new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));

    bare = ObservationRegistry.create();
    // A registry without handlers is a no-op registry; one handler that supports nothing is not.
    bare.observationConfig().observationHandler(c -> false);
  }

  @TearDown
  public void tearDown() {
    sdk.close();
    cairnTracing.close(java.time.Duration.ofSeconds(1));
  }

  private static void server(ObservationRegistry registry, Blackhole bh) {
    ReceiverContext<Map<String, String>> ctx = new ReceiverContext<>(Map::get);
    ctx.setCarrier(INBOUND);
    Observation o = Observation.start("http.server.requests", () -> ctx, registry);
    try (Observation.Scope s = o.openScope()) {
      bh.consume(s);
    }
    o.stop();
  }

  private static void client(ObservationRegistry registry, Blackhole bh) {
    Map<String, String> headers = new HashMap<>(4);
    SenderContext<Map<String, String>> ctx = new SenderContext<>(Map::put);
    ctx.setCarrier(headers);
    Observation o = Observation.start("http.client.requests", () -> ctx, registry);
    o.stop();
    bh.consume(headers);
  }

  @Benchmark
  public void cairn_serverObservation(Blackhole bh) {
    server(cairn, bh);
  }

  @Benchmark
  public void micrometer_serverObservation(Blackhole bh) {
    server(micrometer, bh);
  }

  @Benchmark
  public void observation_serverObservation(Blackhole bh) {
    server(bare, bh);
  }

  @Benchmark
  public void cairn_clientObservation(Blackhole bh) {
    client(cairn, bh);
  }

  @Benchmark
  public void micrometer_clientObservation(Blackhole bh) {
    client(micrometer, bh);
  }

  @Benchmark
  public void observation_clientObservation(Blackhole bh) {
    client(bare, bh);
  }
}
