package dev.cairn.benchmarks;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.cairn.context.TraceContext;
import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import dev.cairn.logback.CairnAppender;
import dev.cairn.logging.LogRecord;
import dev.cairn.pipeline.Pipeline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * What {@code log.info("Order {} placed by {} for {}", ...)} costs the calling thread when Logback
 * hands it to an asynchronous appender: Cairn's forwarding appender (the event becomes a {@link
 * LogRecord} on the caller, then goes into the {@code logs} pipeline's bounded export queue, whose
 * exporter discards every batch), with masking on (default) and off, side by side with Logback's
 * own {@link AsyncAppender} ({@code neverBlock}, so it drops rather than waits when full, as Cairn
 * does) in front of an appender that discards. A Cairn context is current on the logging thread
 * and its ids are in the MDC (two entries), as under a traced request. Each side has its own {@link
 * LoggerContext} holding only that appender.
 *
 * <p>The worker behind each queue runs concurrently; when it falls behind, both sides drop (and
 * count) instead of blocking, so a saturated run measures the mix of enqueues and drops. Run with
 * {@code -bm sample} for the percentiles the reliability figure (A1: enqueue p99 ≤ 2 µs) refers to.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LogAppenderBenchmark {
  private LoggerContext cairnContext;
  private Logger cairnLogger;
  private Pipeline<LogRecord> pipeline;
  private LoggerContext cairnNoMaskContext;
  private Logger cairnNoMaskLogger;
  private Pipeline<LogRecord> noMaskPipeline;
  private LoggerContext asyncContext;
  private Logger asyncLogger;
  private dev.cairn.context.Scope scope;

  private final String order = "ord-42";
  private final String tenant = "acme";
  private final Double total = 129.95;

  /** Accepts every batch and does nothing with it. */
  static final class DiscardingExporter implements Exporter<LogRecord> {
    @Override
    public String name() {
      return "discard";
    }

    @Override
    public ExportResult export(List<LogRecord> batch) {
      return ExportResult.success();
    }
  }

  /** Logback's counterpart of the discarding exporter behind the AsyncAppender. */
  static final class DiscardingAppender extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      // nothing: the peer's cost is the caller's side of AsyncAppender
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    pipeline = Pipeline.<LogRecord>builder("logs").addExporter(new DiscardingExporter()).build();
    cairnContext = newContext();
    cairnLogger = cairnLogger(cairnContext, pipeline, true);

    noMaskPipeline =
        Pipeline.<LogRecord>builder("logs").addExporter(new DiscardingExporter()).build();
    cairnNoMaskContext = newContext();
    cairnNoMaskLogger = cairnLogger(cairnNoMaskContext, noMaskPipeline, false);

    asyncContext = newContext();
    DiscardingAppender sink = new DiscardingAppender();
    sink.setContext(asyncContext);
    sink.setName("DISCARD");
    sink.start();
    AsyncAppender async = new AsyncAppender();
    async.setContext(asyncContext);
    async.setName("ASYNC");
    async.setNeverBlock(true);
    async.addAppender(sink);
    async.start();
    asyncLogger = asyncContext.getLogger("com.example.Orders");
    asyncLogger.addAppender(async);
    asyncLogger.setAdditive(false);

    TraceContext request = TraceContext.newRoot(true);
    scope = request.makeCurrent(); // Scope.Thread: set up on the thread that runs the benchmark
    for (LoggerContext c : List.of(cairnContext, cairnNoMaskContext, asyncContext)) {
      c.getMDCAdapter().put("traceId", request.traceIdHex());
      c.getMDCAdapter().put("spanId", request.spanIdHex());
    }
  }

  private static LoggerContext newContext() {
    LoggerContext c = new LoggerContext();
    c.setMDCAdapter(new LogbackMDCAdapter());
    return c;
  }

  private static Logger cairnLogger(LoggerContext c, Pipeline<LogRecord> p, boolean mask) {
    CairnAppender a = new CairnAppender();
    a.setContext(c);
    a.setName("CAIRN");
    a.setUseGlobal(false);
    a.setMask(mask);
    a.setRecentErrors(false);
    a.start();
    a.setPipeline(p);
    Logger l = c.getLogger("com.example.Orders");
    l.addAppender(a);
    l.setAdditive(false);
    return l;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    scope.close();
    cairnContext.stop();
    cairnNoMaskContext.stop();
    asyncContext.stop();
    pipeline.close(Duration.ofSeconds(2));
    noMaskPipeline.close(Duration.ofSeconds(2));
  }

  @Benchmark
  public void cairn_logInfo() {
    cairnLogger.info("Order {} placed by {} for {}", order, tenant, total);
  }

  @Benchmark
  public void cairn_logInfoNoMasking() {
    cairnNoMaskLogger.info("Order {} placed by {} for {}", order, tenant, total);
  }

  @Benchmark
  public void logback_logInfo() {
    asyncLogger.info("Order {} placed by {} for {}", order, tenant, total);
  }
}
