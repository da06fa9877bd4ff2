package dev.cairn.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.cairn.Cairn;
import dev.cairn.context.TraceContext;
import dev.cairn.diagnostics.RecentErrors;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.logging.CorrelationMdc;
import dev.cairn.logging.LogLevel;
import dev.cairn.logging.LogRecord;
import dev.cairn.logging.MdcSettings;
import dev.cairn.pipeline.Pipeline;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * Forwards Logback events into Cairn's {@code logs} pipeline as {@link LogRecord}s, from where its
 * sinks and exporters (OTLP, Loki, Elasticsearch, NDJSON…) take them.
 *
 * <p>On the logging thread, at the log call, the appender resolves everything the record needs:
 * the formatted message (so an argument's {@code toString()} never runs after the record is
 * queued), key-values as plain values, a copy of the MDC, the exception as bounded text, the
 * correlation context, and masks secrets. It then hands the record to {@link Pipeline#emit}, which
 * never blocks: each exporter has a bounded queue that drops and counts when full.
 *
 * <p>Which pipeline: the one set with {@link #setPipeline}, or else (unless {@link
 * #setUseGlobal} turned it off) the pipeline with signal {@code logs} of {@link Cairn#global()}.
 * Until one exists, records wait in a start-up buffer bounded by count ({@link
 * #setStartupBufferSize}, default 1,024) and by the heap they keep reachable ({@link
 * #setStartupBufferBytes}, default 4 MiB, estimated per record); they are sent, in order and once
 * each, when the pipeline appears (at the next event, or at once when it is set with {@link
 * #setPipeline}); a record that does not fit is dropped and counted ({@link #startupDropped()}).
 * The buffer is released (its records discarded and counted) when the appender stops without a
 * pipeline, and, when it waits for the global pipeline, at the first event after {@link
 * #setStartupGraceMillis} (default 60 s) without one; from then on, events that find no pipeline
 * are dropped and counted at once, and forwarding starts whenever a pipeline does appear.
 *
 * <p>Never loops: events of Cairn's own self-report logger ({@code dev.cairn.self}), events
 * logged on Cairn's worker threads ({@code cairn-*}, such as an exporter's HTTP client logging)
 * and events logged while this appender is already appending on the same thread are not forwarded;
 * they are counted in {@code cairn.logback.appender.refused{reason}}.
 *
 * <p>Interrupts: the appender never waits, so a caller's interrupt flag is left as it was.
 */
public class CairnAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  /**
   * TRUE while this thread is in {@link #append}. Reset to FALSE rather than removed: remove() and
   * the next set() cost an entry allocation and a reference clear on every event (measured: about
   * a tenth of the appender's time on the caller). The entry left holds a {@code Boolean} under a
   * plain JDK {@code ThreadLocal} key, so it pins no class loader, and it ends with its thread.
   */
  private static final ThreadLocal<Boolean> APPENDING = new ThreadLocal<>();
  private static final int MAX_ENTRIES = 128;

  private final SelfCounter refusedSelf = refused("self-logger");
  private final SelfCounter refusedWorker = refused("cairn-thread");
  private final SelfCounter refusedReentry = refused("re-entry");
  private final SelfCounter startupFullRecords = startupDropped("buffer-full");
  private final SelfCounter startupFullBytes = startupDropped("buffer-bytes");
  private final SelfCounter startupNoPipeline = startupDropped("no-pipeline");
  private final SelfCounter failed =
      SelfCounters.GLOBAL.counter(
          "cairn.logback.appender.failed",
          "Log events the forwarding appender could not convert (contained)",
          "events");

  private volatile Pipeline<LogRecord> pipeline;
  private volatile Cairn pipelineOwner;
  private volatile boolean useGlobal = true;
  private final AtomicLong startupDroppedHere =
      new AtomicLong();
  private final Object drainLock = new Object();
  private int startupBufferSize = 1024;
  private long startupBufferBytes = 4L * 1024 * 1024;
  private long startupGraceMillis = 60_000;
  private LongSupplier nanoClock = System::nanoTime;
  private long startedNanos;
  private StartupBuffer startup = new StartupBuffer(0, 0);
  private boolean mask = true;
  private boolean recentErrors = true;
  private String maskWords = "";
  private int maxMessageChars = 32 * 1024;
  private int maxStackFrames = 64;
  private int maxCauseDepth = 16;
  private long flushTimeoutMillis = 2000;
  private Masker masker;
  private Throwables throwables;

  private static SelfCounter startupDropped(String reason) {
    return SelfCounters.GLOBAL.counter(
        "cairn.logback.appender.startup.dropped",
        "Log records dropped before a logs pipeline existed: the start-up buffer was full (records"
            + " or bytes), or it was released because no pipeline appeared",
        "records",
        "reason",
        reason);
  }

  private static SelfCounter refused(String reason) {
    return SelfCounters.GLOBAL.counter(
        "cairn.logback.appender.refused",
        "Log events the forwarding appender did not forward to avoid feeding Cairn its own logging",
        "events",
        "reason",
        reason);
  }

  /**
   * Uses this pipeline instead of looking up {@code Cairn.global()}'s {@code logs} pipeline. When
   * the appender is started, records waiting in the start-up buffer are handed to it now, in the
   * order they were logged, before any later record.
   */
  public void setPipeline(Pipeline<LogRecord> pipeline) {
    if (pipeline != null && isStarted()) {
      synchronized (drainLock) {
        drainStartup(pipeline);
        this.pipeline = pipeline;
        // Records offered while the first pass ran (their threads still saw no pipeline).
        drainStartup(pipeline);
      }
    } else {
      this.pipeline = pipeline;
    }
  }

  /**
   * Whether to fall back to {@code Cairn.global()}'s {@code logs} pipeline when none was set
   * (default true). Off, the appender keeps records in its start-up buffer until {@link
   * #setPipeline} gives it one.
   */
  public void setUseGlobal(boolean useGlobal) {
    this.useGlobal = useGlobal;
  }

  /**
   * Records this appender dropped because its start-up buffer was full (by count or by bytes), or
   * discarded because no pipeline appeared (the buffer was released at stop or after the grace
   * period, and events after that); also counted, for all appenders, in {@code
   * cairn.logback.appender.startup.dropped{reason=buffer-full|buffer-bytes|no-pipeline}}.
   */
  public long startupDropped() {
    return startupDroppedHere.get();
  }

  /** Records kept while no logs pipeline exists yet (default 1,024; 0 drops them). */
  public void setStartupBufferSize(int size) {
    startupBufferSize = Math.max(0, size);
  }

  /**
   * Most heap, in bytes, the records kept while no logs pipeline exists may hold (default 4 MiB =
   * 4,194,304; 0 drops them). Each record's size is estimated from what it holds (2 bytes per
   * character of its message, exception text, MDC and key-values, plus fixed overheads), on the
   * high side.
   */
  public void setStartupBufferBytes(long bytes) {
    startupBufferBytes = Math.max(0, bytes);
  }

  /**
   * How long, from {@link #start()}, the appender keeps its start-up buffer while waiting for
   * {@code Cairn.global()}'s {@code logs} pipeline (default 60,000 ms; 0 keeps it until a pipeline
   * appears or the appender stops). At the first event after that with still no pipeline, the
   * buffer is released: its records are discarded and counted ({@code reason=no-pipeline}), and so
   * is every later event that finds no pipeline. Does not apply when {@link #setUseGlobal} is off:
   * then whoever turned it off hands the pipeline over ({@link #setPipeline}) or stops the
   * appender.
   */
  public void setStartupGraceMillis(long millis) {
    startupGraceMillis = Math.max(0, millis);
  }

  /** For tests: the clock the grace period is measured with. */
  void nanoClock(LongSupplier clock) {
    nanoClock = clock;
  }

  /** The estimated heap held by the start-up buffer now (0 once released). */
  long startupBufferedBytes() {
    return startup.bytes();
  }

  /** The records held by the start-up buffer now. */
  int startupBuffered() {
    return startup.size();
  }

  /**
   * Also record ERROR lines in {@link RecentErrors#global()}, the ring the diagnostics surface and
   * the Actuator endpoint show (default true). Independent of any pipeline.
   */
  public void setRecentErrors(boolean recentErrors) {
    this.recentErrors = recentErrors;
  }

  /** Mask secrets in the message, key-values, MDC and exception text (default true). */
  public void setMask(boolean mask) {
    this.mask = mask;
  }

  /** Comma-separated extra sensitive words for masking. */
  public void setMaskWords(String words) {
    maskWords = words == null ? "" : words;
  }

  /** Messages longer than this many chars are cut (default 32,768): records stay bounded. */
  public void setMaxMessageChars(int chars) {
    maxMessageChars = Math.max(64, chars);
  }

  /** Frames per throwable in the exception text (default 64). */
  public void setMaxStackFrames(int frames) {
    maxStackFrames = Math.max(1, frames);
  }

  /** Throwables (causes + suppressed) in the exception text (default 16). */
  public void setMaxCauseDepth(int depth) {
    maxCauseDepth = Math.max(1, depth);
  }

  /** How long {@link #stop()} waits for the pipeline to export what is queued (default 2,000). */
  public void setFlushTimeoutMillis(long millis) {
    flushTimeoutMillis = Math.max(0, millis);
  }

  @Override
  public void start() {
    masker = mask ? new Masker(csv(maskWords), List.of()) : null;
    throwables = new Throwables(maxStackFrames, maxCauseDepth, false, 16 * 1024);
    startup = new StartupBuffer(startupBufferSize, startupBufferBytes);
    startedNanos = nanoClock.getAsLong();
    super.start();
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    try {
      Pipeline<LogRecord> p = resolvePipeline();
      if (p != null) {
        drainStartup(p);
        // Bounded: the worker threads never log through Logback (refused above), so this cannot
        // wait on Logback's own shutdown.
        p.flush(Duration.ofMillis(flushTimeoutMillis));
      } else {
        int n = startup.release();
        if (n > 0) {
          dropStartup(startupNoPipeline, n);
          addWarn(n + " log records were never sent: no Cairn logs pipeline appeared");
        }
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      addWarn("Flushing the Cairn logs pipeline failed", t);
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event == null) {
      return;
    }
    String loggerName = event.getLoggerName();
    if (Reporter.LOGGER_NAME.equals(loggerName)) {
      refusedSelf.increment();
      return;
    }
    Thread current = Thread.currentThread();
    if (current.getName().startsWith("cairn-")) {
      refusedWorker.increment();
      return;
    }
    if (APPENDING.get() == Boolean.TRUE) {
      refusedReentry.increment();
      return;
    }
    APPENDING.set(Boolean.TRUE);
    try {
      Pipeline<LogRecord> p = resolvePipeline();
      boolean error = recentErrors && event.getLevel() == Level.ERROR;
      if (p == null && !error && startupReleased()) {
        dropStartup(startupNoPipeline, 1); // nothing would keep the record: do not build it
        return;
      }
      LogRecord record = toRecord(event, current);
      if (error) {
        RecentErrors.global().record(errorEntry(record));
      }
      if (p == null) {
        hold(record);
        return;
      }
      if (!startup.isEmpty()) {
        drainStartup(p);
      }
      p.emit(record);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      failed.increment();
      Reporter.warn(
          "logback.appender." + getName(), "Cairn appender could not forward a log event", t);
    } finally {
      APPENDING.set(Boolean.FALSE);
    }
  }

  /** The diagnostics entry of an ERROR record: masked and cut as the record already is. */
  private static RecentErrors.Entry errorEntry(LogRecord r) {
    String where = "";
    String stack = r.exceptionStackTrace();
    int at = stack.indexOf("\tat ");
    if (at >= 0) {
      int end = stack.indexOf('\n', at);
      where = stack.substring(at + 4, end < 0 ? stack.length() : end).trim();
    }
    TraceContext c = r.context();
    return new RecentErrors.Entry(
        Instant.ofEpochSecond(0, r.epochNanos()),
        r.loggerName(),
        cut(r.message()),
        r.exceptionType(),
        cut(r.exceptionMessage()),
        where,
        c.isValid() ? c.traceIdHex() : "");
  }

  private static String cut(String s) {
    return s.length() <= RecentErrors.MAX_MESSAGE_CHARS
        ? s
        : s.substring(0, RecentErrors.MAX_MESSAGE_CHARS) + "...";
  }

  /** Keeps {@code record} for the pipeline to come, or drops and counts it with the reason. */
  private void hold(LogRecord record) {
    if (startupReleased()) {
      dropStartup(startupNoPipeline, 1);
      return;
    }
    switch (startup.offer(record)) {
      case KEPT:
        return;
      case FULL_RECORDS:
        dropStartup(startupFullRecords, 1);
        return;
      case FULL_BYTES:
        dropStartup(startupFullBytes, 1);
        return;
      default:
        dropStartup(startupNoPipeline, 1);
    }
  }

  /**
   * Whether the start-up buffer is released, releasing it now when the grace period for the
   * global pipeline has passed.
   */
  private boolean startupReleased() {
    if (startup.isReleased()) {
      return true;
    }
    if (!useGlobal
        || startupGraceMillis == 0
        || nanoClock.getAsLong() - startedNanos < TimeUnit.MILLISECONDS.toNanos(startupGraceMillis)) {
      return false;
    }
    int n = startup.release();
    if (n < 0) {
      return true; // another thread released it just now and reported it
    }
    dropStartup(startupNoPipeline, n);
    addWarn(
        n + " log records held at start-up were discarded: no Cairn logs pipeline appeared within "
            + startupGraceMillis + " ms (startupGraceMillis); later events are dropped and counted"
            + " until one does");
    return true;
  }

  private void dropStartup(SelfCounter reason, int n) {
    reason.add(n);
    startupDroppedHere.addAndGet(n);
  }

  private void drainStartup(Pipeline<LogRecord> p) {
    // One drainer at a time, so buffered records reach the pipeline in the order they were logged.
    synchronized (drainLock) {
      for (LogRecord r; (r = startup.poll()) != null; ) {
        p.emit(r);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private Pipeline<LogRecord> resolvePipeline() {
    Pipeline<LogRecord> p = pipeline;
    if (!useGlobal) {
      return p;
    }
    Cairn global = Cairn.global();
    if (p != null && (pipelineOwner == null || pipelineOwner == global)) {
      return p;
    }
    for (Pipeline<?> candidate : global.pipelines()) {
      if ("logs".equals(candidate.signal())) {
        pipelineOwner = global;
        pipeline = (Pipeline<LogRecord>) candidate;
        return pipeline;
      }
    }
    return null;
  }

  /** Everything resolved here, on the logging thread. */
  LogRecord toRecord(ILoggingEvent e, Thread current) {
    LogRecord.Builder b = LogRecord.builder();
    Instant t = e.getInstant();
    if (t == null) {
      t = Instant.ofEpochMilli(e.getTimeStamp());
    }
    b.epochNanos(t.getEpochSecond() * 1_000_000_000L + t.getNano());
    b.level(level(e.getLevel()));
    b.loggerName(masker == null ? e.getLoggerName() : masker.maskKey(e.getLoggerName()));
    b.threadName(masker == null ? e.getThreadName() : masker.maskKey(e.getThreadName()));
    String message;
    try {
      message = e.getFormattedMessage(); // formats the arguments now, on this thread
    } catch (RuntimeException ex) {
      message = "[message formatting failed: " + ex.getClass().getName() + "]";
    }
    b.message(Values.mask(masker, cutMessage(message)));
    Map<String, String> mdc;
    try {
      mdc = e.getMDCPropertyMap();
    } catch (RuntimeException ex) {
      mdc = Map.of();
    }
    b.context(context(e, current, mdc));
    if (mdc != null) {
      int n = 0;
      for (Map.Entry<String, String> en : mdc.entrySet()) {
        if (n++ == MAX_ENTRIES) {
          break;
        }
        String key = en.getKey();
        boolean secret = masker != null && key != null && masker.isSensitiveKey(key);
        b.mdc(maskKey(key), secret ? Masker.MASK : Values.mask(masker, cutMessage(en.getValue())));
      }
    }
    List<KeyValuePair> kvs = e.getKeyValuePairs();
    if (kvs != null) {
      int n = 0;
      for (KeyValuePair kv : kvs) {
        if (kv == null) {
          continue;
        }
        if (n++ == MAX_ENTRIES) {
          break;
        }
        String key = kv.key == null ? "null" : kv.key;
        boolean secret = masker != null && masker.isSensitiveKey(key);
        b.attribute(maskKey(key), secret ? Masker.MASK : plain(kv.value));
      }
    }
    List<Marker> markers = e.getMarkerList();
    if (markers != null) {
      for (Marker m : markers) {
        if (m != null) {
          b.tag(masker == null ? m.getName() : masker.maskKey(m.getName()));
        }
      }
    }
    IThrowableProxy tp = e.getThrowableProxy();
    if (tp != null) {
      Throwables.Rendered r = throwables.render(tp, masker);
      b.exception(r.type, r.message, r.stackTrace);
    }
    return b.build();
  }

  /** A key-value as a plain value; any other object's toString() runs here, guarded. */
  private Object plain(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof Short
        || v instanceof Byte) {
      return v;
    }
    if (v instanceof Double || v instanceof Float) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof BigInteger || v instanceof BigDecimal) {
      return v.toString();
    }
    return Values.mask(masker, cutMessage(Values.safeToString(v)));
  }

  /**
   * The context current at the log call. When this appender runs on the logging thread that is
   * {@link TraceContext#current()}; behind an {@code AsyncAppender} it is rebuilt from the ids
   * Logback captured in the event's MDC.
   */
  private static TraceContext context(ILoggingEvent e, Thread current, Map<String, String> mdc) {
    TraceContext c = TraceContext.current();
    if (c.isValid() && current.getName().equals(e.getThreadName())) {
      return c;
    }
    if (mdc == null) {
      return TraceContext.empty();
    }
    MdcSettings ms = CorrelationMdc.settings();
    String trace = mdc.get(ms.traceIdKey());
    String span = mdc.get(ms.spanIdKey());
    if (trace == null || span == null) {
      return TraceContext.empty();
    }
    try {
      return TraceContext.builder().traceId(trace).spanId(span).build();
    } catch (RuntimeException ex) {
      return TraceContext.empty(); // not ids Cairn can parse: the MDC copy still carries them
    }
  }

  /** A key masked; keys repeat, so the masker caches the result (bounded). */
  private String maskKey(String key) {
    return masker == null ? key : masker.maskKey(key);
  }

  /** {@code s} cut to {@link #setMaxMessageChars}, so a held or queued record stays bounded. */
  private String cutMessage(String s) {
    return s != null && s.length() > maxMessageChars ? s.substring(0, maxMessageChars) + "…" : s;
  }

  static LogLevel level(Level level) {
    if (level == null) {
      return LogLevel.INFO;
    }
    switch (level.toInt()) {
      case Level.ERROR_INT:
        return LogLevel.ERROR;
      case Level.WARN_INT:
        return LogLevel.WARN;
      case Level.INFO_INT:
        return LogLevel.INFO;
      case Level.DEBUG_INT:
        return LogLevel.DEBUG;
      default:
        return LogLevel.TRACE;
    }
  }

  private static List<String> csv(String s) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    for (String p : s.split(",")) {
      if (!p.isBlank()) {
        out.add(p.trim());
      }
    }
    return out;
  }
}
