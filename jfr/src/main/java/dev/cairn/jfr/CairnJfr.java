package dev.cairn.jfr;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.OwnerOnlyFiles;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.internal.context.ContextStorage;
import dev.cairn.jfr.internal.JfrSinks;
import dev.cairn.jfr.internal.JfrSpanListener;
import dev.cairn.jfr.internal.PeriodicEvents;
import dev.cairn.jfr.internal.SlowSpanNames;
import dev.cairn.logging.LogRecord;
import dev.cairn.pipeline.ExporterHealth;
import dev.cairn.pipeline.Sink;
import dev.cairn.span.SpanData;
import dev.cairn.span.SpanListener;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Turns Cairn's signals into JFR events and owns the black box and stall attribution.
 *
 * <pre>{@code
 * CairnJfr jfr = CairnJfr.builder()
 *     .blackBox(Path.of("/var/tmp/cairn"))             // optional: the black box
 *     .stallAttribution(Duration.ofMillis(500))       // optional: why was this request slow
 *     .build();
 * Cairn cairn = Cairn.builder().addSpanListener(jfr.spanListener()).build();
 * ...
 * jfr.close();                                      // removes every hook
 * }</pre>
 *
 * <p>Events cost a check and no allocation while no recording has them on. At most one instance
 * is active: building a second one closes the first one's context hook.
 */
public final class CairnJfr implements AutoCloseable {
  /** Names of the settings files shipped in the jar, usable with {@code JFR.start settings=}. */
  public static final List<String> SETTINGS_FILES = List.of("cairn.jfc", "cairn-detailed.jfc");

  private static volatile CairnJfr active;

  private final Builder config;
  private final PeriodicEvents periodic;
  private final int minLogLevel;
  private final BlackBox blackBox;
  private final StallAttribution stalls;
  private final SpanListener spanListener;
  private final JdkEventMeters jdkMeters;
  private final Thread.UncaughtExceptionHandler uncaughtHandler;
  private final Thread.UncaughtExceptionHandler previousUncaughtHandler;
  private volatile boolean closed;

  private CairnJfr(Builder b) {
    this.config = b;
    this.minLogLevel = levelRank(b.minLogLevel);
    this.periodic =
        new PeriodicEvents(SelfCounters.GLOBAL, b.exporterHealth, b.registry, b.meterFilter);
    if (b.contextEvents) {
      ContextStorage.setAttachListener(JfrSinks.INSTANCE);
    }
    this.blackBox =
        b.blackBoxDir == null
            ? null
            : new BlackBox(
                b.blackBoxDir, b.blackBoxMaxAge, b.blackBoxMaxSize, b.blackBoxMinInterval,
                b.blackBoxMaxFiles);
    SlowSpanNames slowNames =
        b.stallThreshold == null
            ? null
            : new SlowSpanNames(b.stallThreshold.toNanos(), StallAttribution.MAX_PENDING_SPANS);
    this.stalls =
        slowNames == null
            ? null
            : new StallAttribution(b.stallThreshold, b.stallWaitThreshold, b.stallLog, slowNames);
    this.jdkMeters =
        b.jdkMetersRegistry == null ? null : new JdkEventMeters(b.jdkMetersRegistry, b.jdkMetersThreshold);
    long slow =
        blackBox == null || b.dumpOnSlowSpan == null ? Long.MAX_VALUE : b.dumpOnSlowSpan.toNanos();
    this.spanListener = new JfrSpanListener(slow, this::slowSpan, slowNames);
    if (blackBox != null && b.dumpOnUncaughtException) {
      previousUncaughtHandler = Thread.getDefaultUncaughtExceptionHandler();
      uncaughtHandler = this::uncaught;
      Thread.setDefaultUncaughtExceptionHandler(uncaughtHandler);
    } else {
      previousUncaughtHandler = null;
      uncaughtHandler = null;
    }
    active = this;
  }

  /**
   * The listener to add to Cairn's tracer ({@code Cairn.builder().addSpanListener(...)}): records
   * every span, sampled or not, as a {@code cairn.Span} event, and triggers the black box for slow
   * spans when {@link Builder#dumpOnSlowSpan} is set.
   */
  public SpanListener spanListener() {
    return spanListener;
  }

  /** The black box, when {@link Builder#blackBox} enabled it. */
  public Optional<BlackBox> blackBox() {
    return Optional.ofNullable(blackBox);
  }

  /** Stall attribution, when {@link Builder#stallAttribution} enabled it. */
  public Optional<StallAttribution> stallAttribution() {
    return Optional.ofNullable(stalls);
  }

  private void slowSpan(SpanData span) {
    if (!closed && blackBox != null) {
      blackBox.dump("slow_span:" + span.name());
    }
  }

  private void uncaught(Thread t, Throwable e) {
    try {
      if (!closed) {
        blackBox.dump("uncaught_exception:" + e.getClass().getSimpleName());
      }
    } catch (Throwable ignored) {
      Fatal.rethrowIfFatal(ignored);
    }
    if (previousUncaughtHandler != null) {
      previousUncaughtHandler.uncaughtException(t, e);
    } else {
      // What the JVM does when no handler is set.
      System.err.print("Exception in thread \"" + t.getName() + "\" ");
      e.printStackTrace(System.err);
    }
  }

  /** A builder with the defaults described on each method. */
  public static Builder builder() {
    return new Builder();
  }

  /** The most recently built instance that is not closed, or {@code null}. Internal wiring only. */
  static CairnJfr active() {
    CairnJfr a = active;
    return a == null || a.closed ? null : a;
  }

  /**
   * Records a log line as a {@code cairn.Log} event when its level is at or above the minimum
   * ({@link Builder#minLogLevel}); the trace and span ids are those current on this thread. Never
   * throws.
   *
   * @param level TRACE, DEBUG, INFO, WARN or ERROR
   * @param error the attached throwable, or {@code null}
   */
  public void log(String level, String logger, String message, Throwable error) {
    record(
        level,
        levelRank(level),
        logger,
        message,
        error == null ? null : error.getClass().getName(),
        TraceContext.current());
  }

  /**
   * A synchronous sink for Cairn's log pipeline ({@code Pipeline.<LogRecord>builder("logs")
   * .addSink(jfr.logSink())}): each record at or above the minimum level becomes a {@code
   * cairn.Log} event with the record's own trace context, and an ERROR triggers the black box like
   * {@link #log}. Never throws.
   */
  public Sink<LogRecord> logSink() {
    return r ->
        record(
            r.level().name(),
            levelRank(r.level().name()),
            r.loggerName(),
            r.message(),
            r.hasException() ? r.exceptionType() : null,
            r.context());
  }

  private void record(
      String level,
      int rank,
      String logger,
      String message,
      String exceptionType,
      TraceContext context) {
    try {
      if (closed) {
        return;
      }
      if (rank >= 4 && blackBox != null && config.dumpOnErrorLog) {
        blackBox.dump("error_log:" + logger);
      }
      if (rank < minLogLevel) {
        return;
      }
      JfrSinks.log(level, logger, message, exceptionType, context);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      Reporter.warn("jfr.log", "cairn: JFR log event failed", t);
    }
  }

  /**
   * Writes the settings files shipped in the jar ({@link #SETTINGS_FILES}) into {@code dir}, so
   * they can be passed to {@code jcmd <pid> JFR.start settings=<dir>/cairn.jfc}.
   *
   * @return the paths written, in the order of {@link #SETTINGS_FILES}
   * @throws UncheckedIOException when a file cannot be written
   */
  public static List<Path> writeSettings(Path dir) {
    try {
      OwnerOnlyFiles.createDirectories(dir);
      Path[] out = new Path[SETTINGS_FILES.size()];
      for (int i = 0; i < out.length; i++) {
        String name = SETTINGS_FILES.get(i);
        try (InputStream in = CairnJfr.class.getResourceAsStream(name)) {
          if (in == null) {
            throw new IOException("missing resource " + name);
          }
          out[i] = dir.resolve(name);
          try (OutputStream o = OwnerOnlyFiles.newOutputStream(out[i])) {
            in.transferTo(o);
          }
        }
      }
      return List.of(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Cairn JFR settings to " + dir, e);
    }
  }

  /** Removes every hook this instance installed. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    periodic.close();
    if (uncaughtHandler != null && Thread.getDefaultUncaughtExceptionHandler() == uncaughtHandler) {
      Thread.setDefaultUncaughtExceptionHandler(previousUncaughtHandler);
    }
    if (stalls != null) {
      stalls.close();
    }
    if (jdkMeters != null) {
      jdkMeters.close();
    }
    if (blackBox != null) {
      blackBox.close();
    }
    if (config.contextEvents && ContextStorage.attachListener() == JfrSinks.INSTANCE) {
      ContextStorage.setAttachListener(null);
    }
  }

  static int levelRank(String level) {
    switch (level == null ? "" : level.toUpperCase(Locale.ROOT)) {
      case "TRACE":
        return 0;
      case "DEBUG":
        return 1;
      case "INFO":
        return 2;
      case "WARN":
      case "WARNING":
        return 3;
      case "ERROR":
        return 4;
      case "OFF":
        return 5;
      default:
        return -1;
    }
  }

  /** Configuration of {@link CairnJfr}. Not thread-safe; build once. */
  public static final class Builder {
    private boolean contextEvents = true;
    private String minLogLevel = "WARN";
    private MeterRegistry registry;
    private Predicate<Meter> meterFilter = m -> m.getId().getName().startsWith("cairn.");
    private Supplier<List<ExporterHealth>> exporterHealth = List::of;
    private Path blackBoxDir;
    private Duration blackBoxMaxAge = Duration.ofMinutes(5);
    private long blackBoxMaxSize = 64L * 1024 * 1024;
    private Duration blackBoxMinInterval = Duration.ofMinutes(1);
    private int blackBoxMaxFiles = 5;
    private boolean dumpOnErrorLog = true;
    private boolean dumpOnUncaughtException = true;
    private Duration dumpOnSlowSpan;
    private Duration stallThreshold;
    private Duration stallWaitThreshold = Duration.ofMillis(10);
    private boolean stallLog = true;
    private MeterRegistry jdkMetersRegistry;
    private Duration jdkMetersThreshold = Duration.ofMillis(10);

    private Builder() {}

    /**
     * Whether to record {@code cairn.Scope} and {@code cairn.ScopeMisuse} from the context storage
     * (default {@code true}).
     */
    public Builder contextEvents(boolean enabled) {
      this.contextEvents = enabled;
      return this;
    }

    /**
     * The lowest level recorded as {@code cairn.Log}: TRACE, DEBUG, INFO, WARN (default), ERROR or
     * OFF.
     *
     * @throws IllegalArgumentException for any other value
     */
    public Builder minLogLevel(String level) {
      if (levelRank(level) < 0) {
        throw new IllegalArgumentException(
            "cairn.jfr.log.min-level must be TRACE, DEBUG, INFO, WARN, ERROR or OFF, got '"
                + level
                + "'");
      }
      this.minLogLevel = level.toUpperCase(Locale.ROOT);
      return this;
    }

    /**
     * Mirrors meters of {@code registry} accepted by {@code filter} as periodic {@code
     * cairn.Metric} events (default: none; with a registry and no filter, meters named {@code
     * cairn.*}).
     */
    public Builder metrics(MeterRegistry registry, Predicate<Meter> filter) {
      this.registry = Objects.requireNonNull(registry, "registry");
      this.meterFilter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /**
     * Where {@code cairn.ExporterHealth} and exporter drops for {@code cairn.ExportDropped} come
     * from, typically {@code cairn::exporterHealth} (default: none).
     */
    public Builder exporterHealth(Supplier<List<ExporterHealth>> source) {
      this.exporterHealth = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Turns the black box on: a continuous recording (JDK {@code default} settings plus {@code
     * cairn.jfc}) dumped into {@code directory} on triggers. Off by default.
     */
    public Builder blackBox(Path directory) {
      this.blackBoxDir = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** How far back the black box keeps events (default 5 minutes). */
    public Builder blackBoxMaxAge(Duration maxAge) {
      this.blackBoxMaxAge = positive(maxAge, "cairn.jfr.black-box.max-age");
      return this;
    }

    /** The black box's size cap in bytes, which is also the largest dump (default 64 MiB). */
    public Builder blackBoxMaxSize(long bytes) {
      if (bytes < 1024 * 1024) {
        throw new IllegalArgumentException(
            "cairn.jfr.black-box.max-size must be at least 1 MiB, got " + bytes);
      }
      this.blackBoxMaxSize = bytes;
      return this;
    }

    /** At most one dump per this interval; triggers in between are ignored (default 1 minute). */
    public Builder blackBoxMinInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException(
            "cairn.jfr.black-box.min-interval must not be negative, got " + interval);
      }
      this.blackBoxMinInterval = interval;
      return this;
    }

    /** Dump files kept; older ones are deleted after each dump (default 5). */
    public Builder blackBoxMaxFiles(int files) {
      if (files < 1) {
        throw new IllegalArgumentException(
            "cairn.jfr.black-box.max-files must be at least 1, got " + files);
      }
      this.blackBoxMaxFiles = files;
      return this;
    }

    /** Dump when {@link CairnJfr#log} sees an ERROR (default {@code true}). */
    public Builder dumpOnErrorLog(boolean dump) {
      this.dumpOnErrorLog = dump;
      return this;
    }

    /**
     * Dump on an uncaught exception, through the default uncaught-exception handler, which then
     * delegates to the previous one (default {@code true}).
     */
    public Builder dumpOnUncaughtException(boolean dump) {
      this.dumpOnUncaughtException = dump;
      return this;
    }

    /** Dump when a span lasts at least {@code threshold} (default: never). */
    public Builder dumpOnSlowSpan(Duration threshold) {
      this.dumpOnSlowSpan = positive(threshold, "cairn.jfr.black-box.slow-span");
      return this;
    }

    /**
     * Turns stall attribution on for spans (and context scopes) lasting at least {@code
     * threshold}. Off by default.
     */
    public Builder stallAttribution(Duration threshold) {
      this.stallThreshold = positive(threshold, "cairn.jfr.stall.threshold");
      return this;
    }

    /**
     * The shortest JDK wait (lock, park, sleep, I/O) stall attribution records (default 10 ms);
     * lower sees more and costs more.
     */
    public Builder stallWaitThreshold(Duration threshold) {
      Objects.requireNonNull(threshold, "threshold");
      if (threshold.isNegative()) {
        throw new IllegalArgumentException(
            "cairn.jfr.stall.wait-threshold must not be negative, got " + threshold);
      }
      this.stallWaitThreshold = threshold;
      return this;
    }

    /** Whether each breakdown is logged as one INFO line (default {@code true}). */
    public Builder stallLog(boolean log) {
      this.stallLog = log;
      return this;
    }

    /**
     * Turns selected JDK events into timers in {@code registry}: {@code cairn.jfr.lock.wait},
     * {@code cairn.jfr.virtual_thread.pinned} (JDK 21+) and {@code cairn.jfr.gc.pause}; lock waits
     * and pins shorter than {@code threshold} are not seen. Off by default.
     */
    public Builder jdkEventMeters(MeterRegistry registry, Duration threshold) {
      this.jdkMetersRegistry = Objects.requireNonNull(registry, "registry");
      Objects.requireNonNull(threshold, "threshold");
      if (threshold.isNegative()) {
        throw new IllegalArgumentException(
            "cairn.jfr.jdk-meters.threshold must not be negative, got " + threshold);
      }
      this.jdkMetersThreshold = threshold;
      return this;
    }

    private static Duration positive(Duration d, String property) {
      Objects.requireNonNull(d, property);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(property + " must be positive, got " + d);
      }
      return d;
    }

    /** Installs the hooks and returns the running instance. */
    public CairnJfr build() {
      CairnJfr previous = active;
      if (previous != null) {
        previous.close();
      }
      return new CairnJfr(this);
    }
  }
}
