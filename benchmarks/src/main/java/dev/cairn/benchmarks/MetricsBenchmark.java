package dev.cairn.benchmarks;

import dev.cairn.metrics.CardinalityGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * The cost of Cairn's cardinality guard on the paths applications use: a counter and a timer looked
 * up by name and tags on every call (the dynamic-tag pattern) and incremented, with Micrometer's
 * plain registry as the baseline and the same registry with the guard installed. Also the cost of
 * a lookup whose tag set is beyond the cap (mapped to the overflow series on every call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBenchmark {
  private SimpleMeterRegistry plain;
  private SimpleMeterRegistry guarded;
  private Counter plainCounter;
  private Counter guardedCounter;
  private final String[] paths = {"/orders", "/orders/{id}", "/cart", "/checkout"};
  private int i;

  @Setup
  public void setup() {
    plain = new SimpleMeterRegistry();
    guarded = new SimpleMeterRegistry();
    guarded.config().meterFilter(CardinalityGuard.of(8, 10_000));
    plainCounter = plain.counter("held", "k", "v");
    guardedCounter = guarded.counter("held", "k", "v");
    for (int n = 0; n < 8; n++) {
      guarded.counter("capped", "user", "u" + n); // fill the cap
    }
  }

  private String path() {
    i = (i + 1) & 3;
    return paths[i];
  }

  @Benchmark
  public void micrometer_counterLookupIncrement() {
    plain.counter("http.requests", "path", path(), "method", "GET").increment();
  }

  @Benchmark
  public void cairn_counterLookupIncrement() {
    guarded.counter("http.requests", "path", path(), "method", "GET").increment();
  }

  @Benchmark
  public void micrometer_timerLookupRecord() {
    plain.timer("http.latency", "path", path()).record(1_000, TimeUnit.NANOSECONDS);
  }

  @Benchmark
  public void cairn_timerLookupRecord() {
    Timer t = guarded.timer("http.latency", "path", path());
    t.record(1_000, TimeUnit.NANOSECONDS);
  }

  @Benchmark
  public void micrometer_heldCounterIncrement() {
    plainCounter.increment();
  }

  @Benchmark
  public void cairn_heldCounterIncrement() {
    guardedCounter.increment();
  }

  @Benchmark
  public void cairn_overflowedLookupIncrement() {
    guarded.counter("capped", "user", "beyond-the-cap").increment();
  }
}
