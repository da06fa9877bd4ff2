package dev.cairn.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random trace and span ids.
 *
 * <p>{@link ThreadLocalRandom} keeps its state in the {@link Thread} object itself: no shared lock,
 * no contention, no per-thread map that grows with the number of (virtual) threads. Ids are
 * identifiers, not secrets, so a non-cryptographic generator is the right trade (it is what
 * OpenTelemetry and Brave use too).
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class Ids {
  private Ids() {}

  /** A random long that is never zero (zero means "no id" on every wire format). */
  public static long nonZero() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long v;
    do {
      v = r.nextLong();
    } while (v == 0);
    return v;
  }

  /** Any random long, zero included (the high half of a trace id may be zero). */
  public static long any() {
    return ThreadLocalRandom.current().nextLong();
  }
}
