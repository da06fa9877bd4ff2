package dev.cairn.diagnostics;

import dev.cairn.diagnostics.internal.BoundedRing;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The most recent spans that took at least a threshold, in a bounded ring (oldest overwritten,
 * overwrites counted). {@link #offer} is cheap enough for a synchronous span sink: a span under the
 * threshold costs one comparison; a slow one stores one small entry. Never blocks, never throws.
 *
 * <p>{@link #global()} (threshold {@value #DEFAULT_THRESHOLD_MS} ms) is what the diagnostics
 * surface shows by default.
 */
public final class SlowSpans {
  /** Default threshold of {@link #global()}, in milliseconds. */
  public static final long DEFAULT_THRESHOLD_MS = 500;

  /** Default capacity of {@link #global()}. */
  public static final int DEFAULT_CAPACITY = 128;

  /** Attributes kept per span. */
  public static final int MAX_ATTRIBUTES = 16;

  private static final SlowSpans GLOBAL =
      new SlowSpans(DEFAULT_CAPACITY, Duration.ofMillis(DEFAULT_THRESHOLD_MS));

  /**
   * One slow span.
   *
   * @param name span name
   * @param kind span kind (server, client, internal, producer, consumer), or empty
   * @param traceId trace id in hex
   * @param spanId span id in hex
   * @param start when it started
   * @param durationNanos how long it took
   * @param error whether it ended with an error status
   * @param attributes up to {@value #MAX_ATTRIBUTES} attributes
   */
  public record Entry(
      String name,
      String kind,
      String traceId,
      String spanId,
      Instant start,
      long durationNanos,
      boolean error,
      Map<String, String> attributes) {
    /** Copies the attributes (at most {@value SlowSpans#MAX_ATTRIBUTES}). */
    public Entry {
      if (attributes == null || attributes.isEmpty()) {
        attributes = Map.of();
      } else if (attributes.size() <= MAX_ATTRIBUTES) {
        attributes = Map.copyOf(attributes);
      } else {
        java.util.TreeMap<String, String> kept = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(attributes).entrySet()) {
          if (kept.size() >= MAX_ATTRIBUTES) {
            break;
          }
          kept.put(e.getKey(), e.getValue());
        }
        attributes = Map.copyOf(kept);
      }
    }
  }

  private final BoundedRing<Entry> ring;
  private final long thresholdNanos;

  private SlowSpans(int capacity, Duration threshold) {
    this.ring = new BoundedRing<>(capacity);
    this.thresholdNanos = threshold.toNanos();
  }

  /** A ring of {@code capacity} (rounded up to a power of two) for spans of at least {@code threshold}. */
  public static SlowSpans create(int capacity, Duration threshold) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    if (threshold.isNegative()) {
      throw new IllegalArgumentException("threshold must not be negative, was " + threshold);
    }
    return new SlowSpans(capacity, threshold);
  }

  /** The process-wide ring. */
  public static SlowSpans global() {
    return GLOBAL;
  }

  /** The threshold in nanoseconds. */
  public long thresholdNanos() {
    return thresholdNanos;
  }

  /** Whether a span of this duration would be kept (lets a sink skip building the entry). */
  public boolean isSlow(long durationNanos) {
    return durationNanos >= thresholdNanos;
  }

  /** Keeps the span when it took at least the threshold; returns whether it was kept. */
  public boolean offer(Entry span) {
    if (span.durationNanos() < thresholdNanos) {
      return false;
    }
    ring.add(span);
    return true;
  }

  /** The slow spans, newest first. */
  public List<Entry> snapshot() {
    return ring.snapshot();
  }

  /** Slow spans kept since start. */
  public long recorded() {
    return ring.added();
  }

  /** Slow spans pushed out of the ring by newer ones. */
  public long overwritten() {
    return ring.overwritten();
  }

  public int capacity() {
    return ring.capacity();
  }
}
