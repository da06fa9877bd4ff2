package dev.cairn.jfr.internal;

import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.SettingControl;

/**
 * The {@code rate} setting of Cairn's high-rate events: at most N events per time unit, in any
 * recording, on every JDK (the JDK's own {@code @Throttle} exists only from JDK 25). Values:
 * {@code off} (no limit), {@code 0/s} (none) or {@code N/ns|us|ms|s|min|h}, for example {@code
 * 100/s}. When several recordings ask for different rates, the highest wins, as JFR does for its
 * own settings. A value that does not parse is ignored (the previous one stays) and counted.
 *
 * <p>The limit is a fixed window: cheap (two atomic reads on the common path), approximate at
 * window edges. Events refused are counted as {@code cairn.jfr.rate_limited}.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public class RateControl extends SettingControl {
  static final SelfCounter LIMITED =
      SelfCounters.GLOBAL.counter(
          "cairn.jfr.rate_limited",
          "Cairn JFR events not written because the rate setting's limit was reached",
          "events");
  static final SelfCounter INVALID =
      SelfCounters.GLOBAL.counter(
          "cairn.jfr.setting.invalid",
          "JFR setting values for Cairn events that did not parse and were ignored",
          "settings");

  private volatile String value;
  // Events allowed per window; Long.MAX_VALUE means no limit.
  private volatile long perWindow;
  private volatile long windowNanos;
  private final AtomicLong windowStart = new AtomicLong();
  private final AtomicLong used = new AtomicLong();

  /** A control whose default is {@code 100/s}. */
  public RateControl() {
    this("100/s");
  }

  RateControl(String defaultValue) {
    apply(defaultValue);
  }

  /** Whether one more event may be written now. */
  public final boolean allow() {
    long limit = perWindow;
    if (limit == Long.MAX_VALUE) {
      return true;
    }
    long now = System.nanoTime();
    long start = windowStart.get();
    if (now - start >= windowNanos && windowStart.compareAndSet(start, now)) {
      used.set(0);
    }
    if (used.incrementAndGet() <= limit) {
      return true;
    }
    LIMITED.increment();
    return false;
  }

  @Override
  public String combine(Set<String> values) {
    String best = null;
    double bestRate = -1;
    for (String v : values) {
      double r = perSecond(v);
      if (r > bestRate) {
        bestRate = r;
        best = v;
      }
    }
    return best == null ? value : best;
  }

  @Override
  public void setValue(String v) {
    if (!apply(v)) {
      INVALID.increment();
    }
  }

  @Override
  public String getValue() {
    return value;
  }

  private boolean apply(String v) {
    long[] parsed = parse(v);
    if (parsed == null) {
      return false;
    }
    windowNanos = parsed[1];
    perWindow = parsed[0];
    used.set(0);
    windowStart.set(System.nanoTime());
    value = v.trim();
    return true;
  }

  /** Events per second this value allows; -1 when it does not parse. */
  static double perSecond(String v) {
    long[] p = parse(v);
    if (p == null) {
      return -1;
    }
    return p[0] == Long.MAX_VALUE ? Double.MAX_VALUE : p[0] * 1e9 / p[1];
  }

  /** {count, window in ns}, or null when {@code v} is not a rate. */
  static long[] parse(String v) {
    if (v == null) {
      return null;
    }
    String s = v.trim().toLowerCase(Locale.ROOT);
    if (s.equals("off")) {
      return new long[] {Long.MAX_VALUE, 1_000_000_000L};
    }
    int slash = s.indexOf('/');
    if (slash <= 0) {
      return null;
    }
    long count;
    try {
      count = Long.parseLong(s.substring(0, slash).trim());
    } catch (NumberFormatException e) {
      return null;
    }
    if (count < 0) {
      return null;
    }
    long unit;
    switch (s.substring(slash + 1).trim()) {
      case "ns":
        unit = 1L;
        break;
      case "us":
        unit = 1_000L;
        break;
      case "ms":
        unit = 1_000_000L;
        break;
      case "s":
        unit = 1_000_000_000L;
        break;
      case "min":
        unit = 60_000_000_000L;
        break;
      case "h":
        unit = 3_600_000_000_000L;
        break;
      default:
        return null;
    }
    return new long[] {count, unit};
  }

  /** The same control with no limit by default (used where the JDK's own throttle is on). */
  public static final class Unlimited extends RateControl {
    /** A control whose default is {@code off}. */
    public Unlimited() {
      super("off");
    }
  }
}
