package dev.cairn.benchmarks;

import dev.cairn.context.Baggage;
import dev.cairn.context.TraceContext;
import dev.cairn.propagation.Carriers;
import dev.cairn.propagation.Propagator;
import dev.cairn.propagation.Propagators;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import java.util.HashMap;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Header propagation on a {@code Map<String, String>} carrier, Cairn against OpenTelemetry's own
 * propagators: W3C {@code traceparent} extract, inject, and extract + inject (a service in the
 * middle of a call chain); W3C {@code baggage} extract and inject (three entries, one
 * percent-encoded); B3 single-header extract. The outgoing map is reused, so what is measured is
 * the propagator, not the map.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PropagationBenchmark {
  static final TextMapGetter<Map<String, String>> OTEL_GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier.get(key);
        }
      };
  static final TextMapSetter<Map<String, String>> OTEL_SETTER = Map::put;

  private final Propagator cairnW3c = Propagators.w3cTraceContext();
  private final Propagator cairnBaggage = Propagators.w3cBaggage();
  private final Propagator cairnB3 = Propagators.b3Single();
  private final TextMapPropagator otelW3c = W3CTraceContextPropagator.getInstance();
  private final TextMapPropagator otelBaggage = W3CBaggagePropagator.getInstance();
  private final TextMapPropagator otelB3 = B3Propagator.injectingSingleHeader();

  private final Map<String, String> incoming = new HashMap<>();
  private final Map<String, String> incomingBaggage = new HashMap<>();
  private final Map<String, String> incomingB3 = new HashMap<>();
  private final Map<String, String> outgoing = new HashMap<>();
  private TraceContext cairnContext;
  private Context otelContext;
  private TraceContext cairnBaggageContext;
  private Context otelBaggageContext;

  @Setup
  public void setup() {
    incoming.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    incomingBaggage.put("baggage", "userId=alice,serverNode=DF%2028,isProduction=false");
    incomingB3.put("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90");
    cairnContext = cairnW3c.extract(TraceContext.empty(), incoming, Carriers.mapGetter());
    otelContext = otelW3c.extract(Context.root(), incoming, OTEL_GETTER);
    cairnBaggageContext =
        TraceContext.empty()
            .withBaggage(Baggage.empty().with("userId", "alice").with("serverNode", "DF 28").with("isProduction", "false"));
    otelBaggageContext = otelBaggage.extract(Context.root(), incomingBaggage, OTEL_GETTER);
  }

  @Benchmark
  public TraceContext cairn_extractTraceparent() {
    return cairnW3c.extract(TraceContext.empty(), incoming, Carriers.mapGetter());
  }

  @Benchmark
  public Context otel_extractTraceparent() {
    return otelW3c.extract(Context.root(), incoming, OTEL_GETTER);
  }

  @Benchmark
  public Map<String, String> cairn_injectTraceparent() {
    cairnW3c.inject(cairnContext, outgoing, Carriers.mapSetter());
    return outgoing;
  }

  @Benchmark
  public Map<String, String> otel_injectTraceparent() {
    otelW3c.inject(otelContext, outgoing, OTEL_SETTER);
    return outgoing;
  }

  @Benchmark
  public Map<String, String> cairn_extractInjectTraceparent() {
    TraceContext c = cairnW3c.extract(TraceContext.empty(), incoming, Carriers.mapGetter());
    cairnW3c.inject(c, outgoing, Carriers.mapSetter());
    return outgoing;
  }

  @Benchmark
  public Map<String, String> otel_extractInjectTraceparent() {
    Context c = otelW3c.extract(Context.root(), incoming, OTEL_GETTER);
    otelW3c.inject(c, outgoing, OTEL_SETTER);
    return outgoing;
  }

  @Benchmark
  public TraceContext cairn_extractBaggage() {
    return cairnBaggage.extract(TraceContext.empty(), incomingBaggage, Carriers.mapGetter());
  }

  @Benchmark
  public Context otel_extractBaggage() {
    return otelBaggage.extract(Context.root(), incomingBaggage, OTEL_GETTER);
  }

  @Benchmark
  public Map<String, String> cairn_injectBaggage() {
    cairnBaggage.inject(cairnBaggageContext, outgoing, Carriers.mapSetter());
    return outgoing;
  }

  @Benchmark
  public Map<String, String> otel_injectBaggage() {
    otelBaggage.inject(otelBaggageContext, outgoing, OTEL_SETTER);
    return outgoing;
  }

  @Benchmark
  public TraceContext cairn_extractB3Single() {
    return cairnB3.extract(TraceContext.empty(), incomingB3, Carriers.mapGetter());
  }

  @Benchmark
  public Context otel_extractB3Single() {
    return otelB3.extract(Context.root(), incomingB3, OTEL_GETTER);
  }
}
