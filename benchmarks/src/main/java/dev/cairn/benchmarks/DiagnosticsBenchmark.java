package dev.cairn.benchmarks;

import dev.cairn.Cairn;
import dev.cairn.diagnostics.RecentErrors;
import dev.cairn.diagnostics.SlowSpans;
import dev.cairn.diagnostics.SpanRings;
import dev.cairn.diagnostics.internal.TokenCheck;
import dev.cairn.pipeline.Sink;
import dev.cairn.span.SpanData;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The diagnostics surface's costs on the application's side and its token check.
 *
 * <ul>
 *   <li>{@code cairn_spanRingsFastSpan} / {@code cairn_spanRingsSlowSpan}: the synchronous span
 *       sink that feeds the slow-span ring, for a span under the threshold (the common case) and
 *       one over it (an entry is stored). No peer: OpenTelemetry and Brave keep no such ring.
 *   <li>{@code cairn_recentErrorsRecord}: one error into the bounded ring.
 *   <li>{@code cairn_tokenWrongFirstByte} / {@code cairn_tokenWrongLastByte} against {@code
 *       plain_stringEqualsWrongFirstByte} / {@code plain_stringEqualsWrongLastByte}: the constant-time
 *       bearer check against the naive {@code String.equals}; the two Cairn figures should match
 *       (no timing leak), the two plain ones differ.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DiagnosticsBenchmark {
  private static final String TOKEN = "Zm9vYmFyYmF6cXV4MDEyMzQ1Njc4OWFiY2RlZmdoaWpr";

  private Cairn cairn;
  private SpanData fast;
  private SpanData slow;
  private Sink<SpanData> sink;
  private RecentErrors errors;
  private TokenCheck check;
  private String wrongFirst;
  private String wrongLast;
  private final IllegalStateException error = new IllegalStateException("boom");

  @Setup(Level.Trial)
  public void setUp() {
    AtomicReference<SpanData> captured = new AtomicReference<>();
    cairn = Cairn.builder().serviceName("bench").shutdownHook(false).addSpanSink(captured::set).build();
    long t0 = 1_700_000_000_000_000_000L;
    cairn.tracer().spanBuilder("GET /fast").setStartTimestamp(t0).startSpan().end(t0 + 2_000_000);
    fast = captured.get();
    cairn.tracer().spanBuilder("GET /slow").setAttribute("http.route", "/slow")
        .setStartTimestamp(t0).startSpan().end(t0 + 900_000_000);
    slow = captured.get();
    sink = SpanRings.sink(SlowSpans.create(1024, Duration.ofMillis(500)), RecentErrors.create(1024));
    errors = RecentErrors.create(1024);
    check = new TokenCheck(TOKEN);
    wrongFirst = "X" + TOKEN.substring(1);
    wrongLast = TOKEN.substring(0, TOKEN.length() - 1) + "X";
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    cairn.close();
  }

  @Benchmark
  public void cairn_spanRingsFastSpan() {
    sink.accept(fast);
  }

  @Benchmark
  public void cairn_spanRingsSlowSpan() {
    sink.accept(slow);
  }

  @Benchmark
  public void cairn_recentErrorsRecord() {
    errors.record("orders", "payment failed", error);
  }

  @Benchmark
  public boolean cairn_tokenWrongFirstByte() {
    return check.matches(wrongFirst);
  }

  @Benchmark
  public boolean cairn_tokenWrongLastByte() {
    return check.matches(wrongLast);
  }

  @Benchmark
  public boolean plain_stringEqualsWrongFirstByte() {
    return TOKEN.equals(wrongFirst);
  }

  @Benchmark
  public boolean plain_stringEqualsWrongLastByte() {
    return TOKEN.equals(wrongLast);
  }
}
