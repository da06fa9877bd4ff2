package dev.cairn.jfr.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The trace id and name of recent slow spans, by span id, kept in process for stall attribution.
 *
 * <p>Why: a JFR event stream may hand back string fields the JDK pooled (strings longer than 16
 * characters seen repeatedly, such as a route's span name or the trace id shared by a request's
 * spans) as {@code null} once the stream has moved past its first flush; files read whole are not
 * affected. Span ids are exactly 16 characters, which the JDK never pools, so they are a reliable
 * key. Only spans at least as long as the stall threshold are kept, so the application thread
 * pays for a map entry only on a request that is already slow.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class SlowSpanNames {
  /** One span's identity. */
  public record Identity(String traceId, String name) {}

  private final long thresholdNanos;
  private final int capacity;
  // Guarded by itself. Access order is insertion order: the oldest span goes first.
  private final LinkedHashMap<String, Identity> bySpanId;

  /**
   * @param thresholdNanos spans shorter than this are not kept
   * @param capacity spans kept at most; beyond, the oldest is forgotten
   */
  public SlowSpanNames(long thresholdNanos, int capacity) {
    this.thresholdNanos = thresholdNanos;
    this.capacity = capacity;
    this.bySpanId =
        new LinkedHashMap<>(64, 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Identity> eldest) {
            return size() > SlowSpanNames.this.capacity;
          }
        };
  }

  /** Remembers a span that ended, if it lasted at least the threshold. */
  public void ended(String spanId, String traceId, String name, long durationNanos) {
    if (durationNanos < thresholdNanos) {
      return;
    }
    Identity id = new Identity(traceId, name);
    synchronized (bySpanId) {
      bySpanId.put(spanId, id);
    }
  }

  /** The identity of a kept span. */
  public Optional<Identity> find(String spanId) {
    synchronized (bySpanId) {
      return Optional.ofNullable(bySpanId.get(spanId));
    }
  }
}
