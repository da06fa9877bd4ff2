package dev.cairn.logging;

import dev.cairn.context.TraceContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One log event as a pipeline signal: everything resolved on the thread that logged it (formatted
 * message, correlation context, key-values as plain values, MDC copy, exception text), so nothing
 * of the application (no argument's {@code toString()}, no mutable map) is touched after it is
 * queued. Immutable.
 *
 * <p>Attribute values are {@code String}, {@code Long}, {@code Double} or {@code Boolean} only.
 * Absent texts are empty strings, never {@code null}.
 */
public final class LogRecord {
  private final long epochNanos;
  private final LogLevel level;
  private final String loggerName;
  private final String threadName;
  private final String message;
  private final TraceContext context;
  private final Map<String, Object> attributes;
  private final Map<String, String> mdc;
  private final List<String> tags;
  private final String exceptionType;
  private final String exceptionMessage;
  private final String exceptionStackTrace;

  private LogRecord(Builder b) {
    this.epochNanos = b.epochNanos;
    this.level = b.level;
    this.loggerName = b.loggerName;
    this.threadName = b.threadName;
    this.message = b.message;
    this.context = b.context;
    // The builder's own collections, not copies: built on the logging thread for every event, a
    // record should cost one set of maps. The builder copies before it changes one again
    // (copy-on-write), so a reused builder never alters a record it built.
    this.attributes = b.attributes == null ? Map.of() : Collections.unmodifiableMap(b.attributes);
    this.mdc = b.mdc == null ? Map.of() : Collections.unmodifiableMap(b.mdc);
    this.tags = b.tags == null ? List.of() : Collections.unmodifiableList(b.tags);
    b.built = true;
    this.exceptionType = b.exceptionType;
    this.exceptionMessage = b.exceptionMessage;
    this.exceptionStackTrace = b.exceptionStackTrace;
  }

  /** A builder; every field has a neutral default (INFO, empty texts, empty context). */
  public static Builder builder() {
    return new Builder();
  }

  /** Time of the log call, nanoseconds since the epoch. */
  public long epochNanos() {
    return epochNanos;
  }

  public LogLevel level() {
    return level;
  }

  public String loggerName() {
    return loggerName;
  }

  public String threadName() {
    return threadName;
  }

  /** The formatted (and masked) message. */
  public String message() {
    return message;
  }

  /** The correlation context current at the log call; {@link TraceContext#empty()} if none. */
  public TraceContext context() {
    return context;
  }

  /** Key-values of the log call, in call order. */
  public Map<String, Object> attributes() {
    return attributes;
  }

  /** The MDC at the log call. */
  public Map<String, String> mdc() {
    return mdc;
  }

  /** Marker names. */
  public List<String> tags() {
    return tags;
  }

  public boolean hasException() {
    return !exceptionType.isEmpty();
  }

  /** Class name of the logged exception, or empty. */
  public String exceptionType() {
    return exceptionType;
  }

  /** Message of the logged exception, or empty. */
  public String exceptionMessage() {
    return exceptionMessage;
  }

  /** Bounded stack-trace text of the logged exception, or empty. */
  public String exceptionStackTrace() {
    return exceptionStackTrace;
  }

  @Override
  public String toString() {
    return "LogRecord{" + level + " " + loggerName + ": " + message + "}";
  }

  /** Builds a {@link LogRecord}. */
  public static final class Builder {
    private long epochNanos;
    private LogLevel level = LogLevel.INFO;
    private String loggerName = "";
    private String threadName = "";
    private String message = "";
    private TraceContext context = TraceContext.empty();
    // Created at the first entry (most records have no key-values and no markers); after build()
    // they belong to the record too, and the next change works on a copy.
    private LinkedHashMap<String, Object> attributes;
    private LinkedHashMap<String, String> mdc;
    private ArrayList<String> tags;
    private boolean built;
    private String exceptionType = "";
    private String exceptionMessage = "";
    private String exceptionStackTrace = "";

    private Builder() {}

    public Builder epochNanos(long epochNanos) {
      this.epochNanos = epochNanos;
      return this;
    }

    public Builder level(LogLevel level) {
      this.level = Objects.requireNonNull(level, "level");
      return this;
    }

    public Builder loggerName(String loggerName) {
      this.loggerName = orEmpty(loggerName);
      return this;
    }

    public Builder threadName(String threadName) {
      this.threadName = orEmpty(threadName);
      return this;
    }

    public Builder message(String message) {
      this.message = orEmpty(message);
      return this;
    }

    public Builder context(TraceContext context) {
      this.context = context == null ? TraceContext.empty() : context;
      return this;
    }

    /**
     * Adds a key-value. Values other than {@code String}, {@code Long}, {@code Double}, {@code
     * Boolean} are converted: other integral numbers to {@code Long}, other numbers to {@code
     * Double}, anything else to its string form (the caller should already have done that).
     */
    public Builder attribute(String key, Object value) {
      unshare();
      if (attributes == null) {
        attributes = new LinkedHashMap<>();
      }
      attributes.put(orEmpty(key), plain(value));
      return this;
    }

    public Builder mdc(String key, String value) {
      unshare();
      if (mdc == null) {
        mdc = new LinkedHashMap<>();
      }
      mdc.put(orEmpty(key), orEmpty(value));
      return this;
    }

    public Builder tag(String tag) {
      unshare();
      if (tags == null) {
        tags = new ArrayList<>(2);
      }
      tags.add(orEmpty(tag));
      return this;
    }

    /** After build(), the collections are the record's: copy them before changing any. */
    private void unshare() {
      if (!built) {
        return;
      }
      built = false;
      attributes = attributes == null ? null : new LinkedHashMap<>(attributes);
      mdc = mdc == null ? null : new LinkedHashMap<>(mdc);
      tags = tags == null ? null : new ArrayList<>(tags);
    }

    public Builder exception(String type, String message, String stackTrace) {
      this.exceptionType = orEmpty(type);
      this.exceptionMessage = orEmpty(message);
      this.exceptionStackTrace = orEmpty(stackTrace);
      return this;
    }

    public LogRecord build() {
      return new LogRecord(this);
    }

    private static Object plain(Object v) {
      if (v == null) {
        return "null";
      }
      if (v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean) {
        return v;
      }
      if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
        return ((Number) v).longValue();
      }
      if (v instanceof Float) {
        return ((Float) v).doubleValue();
      }
      return String.valueOf(v);
    }

    private static String orEmpty(String s) {
      return s == null ? "" : s;
    }
  }
}
