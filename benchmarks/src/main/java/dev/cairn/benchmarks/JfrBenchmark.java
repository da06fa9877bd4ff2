package dev.cairn.benchmarks;

import dev.cairn.Cairn;
import dev.cairn.context.TraceContext;
import dev.cairn.jfr.CairnJfr;
import dev.cairn.span.Span;
import dev.cairn.span.SpanData;
import dev.cairn.span.SpanListener;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.StackTrace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JFR sink's cost for one span (start + end through Cairn's span listener: the {@code
 * cairn.Span} duration event with its ids rendered as hex), against a raw {@code jdk.jfr.Event}
 * with the same fields begun and committed by hand; and a {@code cairn.Log} event against a raw
 * one. Each method runs in its own fork, so "no recording", "recording on" and "recording on with
 * Cairn's rate limit" are separate JVM states.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JfrBenchmark {
  private CairnJfr jfr;
  private Cairn cairn;
  private SpanListener listener;
  private SpanData span;
  private TraceContext context;

  @Setup(Level.Trial)
  public void setUp() {
    jfr = CairnJfr.builder().contextEvents(false).minLogLevel("INFO").build();
    listener = jfr.spanListener();
    cairn = Cairn.builder().build();
    Span s = cairn.tracer().startSpan("GET /orders/{id}");
    s.end();
    span = (SpanData) s;
    context = s.context();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    cairn.close();
    jfr.close();
  }

  /** A recording with both Cairn's and the raw events on, no limit, bounded on disk. */
  @State(Scope.Benchmark)
  public static class On {
    Recording recording;

    @Setup(Level.Trial)
    public void start() {
      recording = new Recording();
      recording.enable("cairn.Span").withThreshold(Duration.ZERO).with("rate", "off").with("throttle", "off");
      recording.enable("cairn.Log").with("rate", "off").with("throttle", "off");
      recording.enable("bench.RawSpan").withThreshold(Duration.ZERO);
      recording.enable("bench.RawLog");
      recording.setToDisk(true);
      recording.setMaxSize(64L * 1024 * 1024);
      recording.start();
    }

    @TearDown(Level.Trial)
    public void stop() {
      recording.close();
    }
  }

  /** A recording with Cairn's rate limit at 100 events/s (the raw event has no equivalent on 17). */
  @State(Scope.Benchmark)
  public static class Limited {
    Recording recording;

    @Setup(Level.Trial)
    public void start() {
      recording = new Recording();
      recording.enable("cairn.Span").withThreshold(Duration.ZERO).with("rate", "100/s");
      recording.setToDisk(true);
      recording.setMaxSize(64L * 1024 * 1024);
      recording.start();
    }

    @TearDown(Level.Trial)
    public void stop() {
      recording.close();
    }
  }

  @Name("bench.RawSpan")
  @Label("Raw Span")
  @Category("Benchmark")
  @StackTrace(false)
  static class RawSpanEvent extends Event {
    String traceId;
    String spanId;
    String parentSpanId;
    String name;
    String kind;
    String status;
    boolean sampled;
  }

  @Name("bench.RawLog")
  @Label("Raw Log")
  @Category("Benchmark")
  @StackTrace(false)
  static class RawLogEvent extends Event {
    String level;
    String logger;
    String message;
    String traceId;
    String spanId;
    String exceptionType;
  }

  private void cairnSpan() {
    listener.onEnd(span, listener.onStart(span));
  }

  private void rawSpan() {
    RawSpanEvent e = new RawSpanEvent();
    e.begin();
    e.end();
    if (e.shouldCommit()) {
      e.traceId = context.traceIdHex();
      e.spanId = context.spanIdHex();
      e.parentSpanId = context.parentSpanIdHex();
      e.name = span.name();
      e.kind = span.kind().name();
      e.status = span.statusCode().name();
      e.sampled = context.isSampled();
      e.commit();
    }
  }

  @Benchmark
  public void cairn_spanEventNoRecording() {
    cairnSpan();
  }

  @Benchmark
  public void raw_spanEventNoRecording() {
    rawSpan();
  }

  @Benchmark
  public void cairn_spanEventRecording(On on) {
    cairnSpan();
  }

  @Benchmark
  public void raw_spanEventRecording(On on) {
    rawSpan();
  }

  @Benchmark
  public void cairn_spanEventRateLimited(Limited limited) {
    cairnSpan();
  }

  @Benchmark
  public void cairn_logEventRecording(On on) {
    jfr.log("WARN", "app.Orders", "stock low", null);
  }

  @Benchmark
  public void raw_logEventRecording(On on) {
    RawLogEvent e = new RawLogEvent();
    if (e.shouldCommit()) {
      TraceContext c = TraceContext.current();
      e.level = "WARN";
      e.logger = "app.Orders";
      e.message = "stock low";
      e.traceId = c.isValid() ? c.traceIdHex() : "";
      e.spanId = c.isValid() ? c.spanIdHex() : "";
      e.exceptionType = "";
      e.commit();
    }
  }
}
