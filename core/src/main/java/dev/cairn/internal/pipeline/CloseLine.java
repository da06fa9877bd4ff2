package dev.cairn.internal.pipeline;

import dev.cairn.pipeline.ExporterHealth;
import java.util.Map;

/**
 * The one line an exporter writes when its pipeline closes: what it exported and dropped over its
 * life, and why, so that a reader never has to reconcile two lines that seem to disagree.
 *
 * <pre>
 * Cairn exporter 'otlp' closed: 120 spans exported, 9 dropped (4 export failed, 5 close deadline
 * 5s); the export call in progress was retrying after connection refused; last error: ...
 * </pre>
 */
final class CloseLine {
  /** Drop reasons in the order the line lists them, with the words it uses. */
  private static final String[][] DROP_REASONS = {
    {"queue_full", "queue full"},
    {"export_failed", "export failed"},
    {"rejected", "rejected by the receiver"},
    {"shutdown", "close deadline"},
    {"closed", "emitted after close"}
  };

  private CloseLine() {}

  /**
   * @param h the snapshot after close
   * @param timeoutNanos the close deadline the worker was given
   * @param done whether the worker finished in time
   * @param abandonedBatch items of the export call abandoned at the deadline, or 0
   * @param trouble what the abandoned call's latest attempt ran into, or null when unknown
   */
  static String of(
      ExporterHealth h, long timeoutNanos, boolean done, int abandonedBatch, String trouble) {
    long dropped = h.dropped();
    StringBuilder line =
        new StringBuilder(160)
            .append("Cairn exporter '").append(h.exporter()).append("' closed: ")
            .append(h.exported()).append(' ').append(h.signal()).append(" exported, ")
            .append(dropped).append(" dropped");
    Map<String, Long> byReason = h.droppedByReason();
    if (dropped > 0) {
      line.append(" (");
      String sep = "";
      for (String[] reason : DROP_REASONS) {
        Long v = byReason.get(reason[0]);
        if (v != null && v > 0) {
          line.append(sep).append(v).append(' ').append(reason[1]);
          if (reason[0].equals("shutdown")) {
            line.append(' ').append(duration(timeoutNanos));
          }
          sep = ", ";
        }
      }
      line.append(')');
    }
    if (h.queued() > 0) {
      line.append(", ").append(h.queued()).append(" still queued");
    }
    if (!done) {
      if (abandonedBatch > 0) {
        line.append(
            trouble != null
                ? "; the export call in progress was retrying after " + trouble
                : "; the export call in progress did not return");
      } else {
        line.append("; the exporter did not finish closing within ").append(duration(timeoutNanos));
      }
    }
    if (h.lastError().isPresent()
        && (byReason.containsKey("export_failed") || byReason.containsKey("rejected"))) {
      line.append("; last error: ").append(h.lastError().get());
    }
    return line.toString();
  }

  /**
   * The close deadline as a reader stated it: what reaches a worker is the time left of the
   * caller's deadline (a few microseconds less when Cairn shares it among pipelines), so it is
   * rounded to 10 ms.
   */
  static String duration(long nanos) {
    long ms = Math.round(nanos / 10_000_000.0) * 10;
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
