package dev.cairn.jfr;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.internal.context.ContextStorage;
import dev.cairn.jfr.internal.JfrSinks;
import dev.cairn.jfr.internal.PeriodicEvents;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Turns Cairn's signals into JFR events and owns the black box and stall attribution.
 *
 * <pre>{@code
 * CairnJfr jfr = CairnJfr.builder().build();   // events for scopes, health, logs (WARN+)
 * ...
 * jfr.close();                                  // removes every hook
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
  private volatile boolean closed;

  private CairnJfr(Builder b) {
    this.config = b;
    this.minLogLevel = levelRank(b.minLogLevel);
    this.periodic = new PeriodicEvents(SelfCounters.GLOBAL, b.registry, b.meterFilter);
    if (b.contextEvents) {
      ContextStorage.setAttachListener(JfrSinks.INSTANCE);
    }
    active = this;
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
    try {
      if (closed || levelRank(level) < minLogLevel) {
        return;
      }
      JfrSinks.log(
          level,
          logger,
          message,
          error == null ? null : error.getClass().getName(),
          TraceContext.current());
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
      Files.createDirectories(dir);
      Path[] out = new Path[SETTINGS_FILES.size()];
      for (int i = 0; i < out.length; i++) {
        String name = SETTINGS_FILES.get(i);
        try (InputStream in = CairnJfr.class.getResourceAsStream(name)) {
          if (in == null) {
            throw new IOException("missing resource " + name);
          }
          out[i] = dir.resolve(name);
          Files.copy(in, out[i], StandardCopyOption.REPLACE_EXISTING);
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
