package dev.cairn.benchmarks;

import dev.cairn.context.TraceContext;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Id generation: a new root context (128-bit trace id + span id) and a child span id, against
 * OpenTelemetry's random id generator producing the same ids as hex strings (its API form).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IdGenerationBenchmark {
  private final IdGenerator otel = IdGenerator.random();
  private final TraceContext parent = TraceContext.newRoot(true);

  @Benchmark
  public TraceContext cairn_newRoot() {
    return TraceContext.newRoot(true);
  }

  @Benchmark
  public TraceContext cairn_newChild() {
    return parent.newChild();
  }

  @Benchmark
  public String cairn_newRootHexIds() {
    TraceContext c = TraceContext.newRoot(true);
    return c.traceIdHex() + c.spanIdHex();
  }

  @Benchmark
  public String otel_traceIdAndSpanId() {
    return otel.generateTraceId() + otel.generateSpanId();
  }

  @Benchmark
  public String otel_spanId() {
    return otel.generateSpanId();
  }
}
