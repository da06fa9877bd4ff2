package dev.cairn.internal;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * How Cairn reports its own trouble: once at first occurrence, then at most once per interval per
 * key, never in a loop. Lines go to SLF4J under the logger {@code dev.cairn.self}, which Cairn's own
 * forwarding appender never forwards (so an exporter failing cannot feed itself); when SLF4J has no
 * provider they go to stderr.
 *
 * <p>Verbosity: system property {@code cairn.internal.verbosity} = {@code off}, {@code warn}
 * (default) or {@code debug}.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class Reporter {
  /** Logger name of Cairn's self-reports; appenders use it to refuse re-entry. */
  public static final String LOGGER_NAME = "dev.cairn.self";

  private static final long DEFAULT_INTERVAL_NANOS = 60_000_000_000L;
  private static final int MAX_KEYS = 1024;
  private static final ConcurrentHashMap<String, AtomicLong> LAST = new ConcurrentHashMap<>();
  private static final AtomicLong OVERFLOW_LAST = new AtomicLong(Long.MIN_VALUE);
  private static final SelfCounter REPORTED =
      SelfCounters.GLOBAL.counter(
          "cairn.self.reports", "Problems Cairn reported about itself", "events");
  private static final SelfCounter SUPPRESSED =
      SelfCounters.GLOBAL.counter(
          "cairn.self.reports.suppressed",
          "Self-reports suppressed by the once-per-interval rate limit",
          "events");

  private Reporter() {}

  private static String verbosity() {
    return System.getProperty("cairn.internal.verbosity", "warn").toLowerCase(Locale.ROOT);
  }

  /** Reports at most once a minute for {@code key}. Never throws. */
  public static void warn(String key, String message, Throwable error) {
    warnAtMostEvery(DEFAULT_INTERVAL_NANOS, key, message, error);
  }

  /** Reports at most once per {@code intervalNanos} for {@code key}. Never throws. */
  public static void warnAtMostEvery(
      long intervalNanos, String key, String message, Throwable error) {
    try {
      if (!allowed(key, intervalNanos)) {
        SUPPRESSED.increment();
        return;
      }
      REPORTED.increment();
      if ("off".equals(verbosity())) {
        return;
      }
      emit(message, error, true);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      // Reporting must never be the thing that breaks the host.
    }
  }

  /** Debug detail, only when {@code cairn.internal.verbosity=debug}. Never throws. */
  public static void debug(String message) {
    try {
      if ("debug".equals(verbosity())) {
        emit(message, null, false);
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
    }
  }

  static boolean allowed(String key, long intervalNanos) {
    long now = System.nanoTime();
    AtomicLong last = LAST.get(key);
    if (last == null) {
      if (LAST.size() >= MAX_KEYS) {
        last = OVERFLOW_LAST;
      } else {
        AtomicLong fresh = new AtomicLong(now);
        AtomicLong raced = LAST.putIfAbsent(key, fresh);
        if (raced == null) {
          return true;
        }
        last = raced;
      }
    }
    long prev = last.get();
    if (prev != Long.MIN_VALUE && now - prev < intervalNanos) {
      return false;
    }
    return last.compareAndSet(prev, now);
  }

  private static void emit(String rawMessage, Throwable error, boolean warn) {
    // A message may quote text that came from outside (an exception thrown by a header getter):
    // it stays on one line whatever it holds.
    String message = LogSafe.escape(rawMessage);
    if (LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory) {
      System.err.println("[cairn] " + (warn ? "WARN " : "DEBUG ") + message);
      if (error != null) {
        System.err.println("[cairn]   caused by " + LogSafe.escape(String.valueOf(error)));
      }
      return;
    }
    Logger log = LoggerFactory.getLogger(LOGGER_NAME);
    if (warn) {
      log.warn(message, error);
    } else {
      log.debug(message);
    }
  }

  /** Forgets rate-limit state; tests only. */
  static void resetForTests() {
    LAST.clear();
    OVERFLOW_LAST.set(Long.MIN_VALUE);
  }
}
