package dev.cairn.benchmarks;

import dev.cairn.propagation.Propagator;
import dev.cairn.propagation.Propagators;
import dev.cairn.propagation.Setter;
import dev.cairn.spring.boot.autoconfigure.MicrometerTracingContextHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.EventListener;
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
import java.util.ArrayList;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What Cairn adds when Micrometer Tracing owns the spans ({@code cairn.tracing.mode=micrometer}):
 * one HTTP server observation (extract W3C {@code traceparent}, start, open and close its scope,
 * stop) with Micrometer Tracing over the OpenTelemetry bridge, wired as Boot wires it (propagating
 * receiver/sender plus default handler, MDC through the bridge's SLF4J listener, always sampling, no
 * exporter). {@code micrometer_} is that alone; {@code cairn_} adds the starter's mirror: its
 * observation handler (correlation id from the request headers, the span mirrored into Cairn's
 * context with MDC) and its scope listener on the bridge, ahead of the bridge's MDC listener as
 * the auto-configuration orders it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MicrometerTracingMirrorBenchmark {
  private static final Map<String, String> INBOUND =
      Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

  private ObservationRegistry registry;
  private SdkTracerProvider sdk;

  @Setup
  public void setup(BenchmarkParams params) {
    boolean mirrored = params.getBenchmark().endsWith(".cairn_serverObservationMirrored");
    sdk = SdkTracerProvider.builder().setSampler(io.opentelemetry.sdk.trace.samplers.Sampler.alwaysOn()).build();
    io.opentelemetry.api.trace.Tracer otel = sdk.get("benchmark");
    // One fork per benchmark method, so the process-wide context wrapper serves only this one.
    List<EventListener> listeners = new ArrayList<>();
    EventListener[] dispatch = new EventListener[1];
    ContextStorage.addWrapper(new EventPublishingContextWrapper(e -> dispatch[0].onEvent(e)));
    OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    OtelTracer tracer =
        new OtelTracer(otel, current, e -> dispatch[0].onEvent(e), new OtelBaggageManager(current, List.of(), List.of()));
    OtelPropagator propagator = new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
    registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
    if (mirrored) {
      // The starter creates both as beans; their constructors are package-private, and Spring is
      // kept out of this jar, so they are made here the way the auto-configuration makes them.
      registry.observationConfig().observationHandler(newMirrorHandler());
      listeners.add(newInstance("dev.cairn.spring.boot.autoconfigure.OtelScopeMirror", new Class<?>[0]));
    }
    listeners.add(new Slf4JEventListener());
    EventListener[] all = listeners.toArray(new EventListener[0]);
    dispatch[0] =
        e -> {
          for (EventListener l : all) {
            l.onEvent(e);
          }
        };
  }

  private static ObservationHandler<Observation.Context> newMirrorHandler() {
    Setter<Object> noResponse = (response, name, value) -> {};
    return newInstance(
        MicrometerTracingContextHandler.class.getName(),
        new Class<?>[] {Propagator.class, boolean.class, String.class, Setter.class},
        Propagators.correlationId(),
        true,
        "X-Request-ID",
        noResponse);
  }

  @SuppressWarnings("unchecked")
  private static <T> T newInstance(String className, Class<?>[] types, Object... args) {
    try {
      java.lang.reflect.Constructor<?> c = Class.forName(className).getDeclaredConstructor(types);
      c.setAccessible(true);
      return (T) c.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + className, e);
    }
  }

  @TearDown
  public void tearDown() {
    sdk.close();
  }

  private void server(Blackhole bh) {
    ReceiverContext<Map<String, String>> ctx = new ReceiverContext<>(Map::get);
    ctx.setCarrier(INBOUND);
    Observation o = Observation.start("http.server.requests", () -> ctx, registry);
    try (Observation.Scope s = o.openScope()) {
      bh.consume(s);
    }
    o.stop();
  }

  @Benchmark
  public void micrometer_serverObservation(Blackhole bh) {
    server(bh);
  }

  @Benchmark
  public void cairn_serverObservationMirrored(Blackhole bh) {
    server(bh);
  }
}
