package dev.cairn.pipeline;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of one exporter's queue and results, for one pipeline instance. Counts are exact:
 * every item handed to the exporter's queue is, at any moment, exactly one of exported, dropped or
 * queued (queued includes the batch being exported until its outcome is recorded, and an item
 * moves to exported or dropped in one atomic step), so every snapshot, whenever it is taken,
 * satisfies {@code produced() == exported() + dropped() + queued()}.
 *
 * @param signal the signal type, e.g. {@code "spans"}
 * @param exporter the exporter name
 * @param capacity the queue capacity
 * @param queued items waiting or in the batch being exported
 * @param exported items the receiver accepted
 * @param droppedByReason dropped items per reason: {@code queue_full}, {@code export_failed},
 *     {@code rejected} (partial success), {@code closed} (emitted after close), {@code shutdown}
 *     (still queued, or in the export call that was abandoned, when the close deadline passed;
 *     counted once even if that call returns later)
 * @param failedByReason failed export calls per reason code of the exporter ({@code exception} when
 *     it threw)
 * @param batches export calls made
 * @param exportNanosTotal time spent in export calls, summed
 * @param lastExportNanos duration of the latest export call
 * @param lastError text of the latest failure, or empty
 * @param lastSuccess when the latest export call the receiver accepted ended, or empty when none
 *     has yet
 * @param lastFailure when the latest failed export call ended, or empty when none has; an
 *     exporter is failing now when this is later than {@code lastSuccess}
 */
public record ExporterHealth(
    String signal,
    String exporter,
    int capacity,
    long queued,
    long exported,
    Map<String, Long> droppedByReason,
    Map<String, Long> failedByReason,
    long batches,
    long exportNanosTotal,
    long lastExportNanos,
    Optional<String> lastError,
    Optional<Instant> lastSuccess,
    Optional<Instant> lastFailure) {

  /** Copies the maps so the snapshot stays immutable. */
  public ExporterHealth {
    droppedByReason = Map.copyOf(droppedByReason);
    failedByReason = Map.copyOf(failedByReason);
  }

  /** A snapshot without the times of the latest success and failure. */
  public ExporterHealth(
      String signal,
      String exporter,
      int capacity,
      long queued,
      long exported,
      Map<String, Long> droppedByReason,
      Map<String, Long> failedByReason,
      long batches,
      long exportNanosTotal,
      long lastExportNanos,
      Optional<String> lastError) {
    this(
        signal, exporter, capacity, queued, exported, droppedByReason, failedByReason, batches,
        exportNanosTotal, lastExportNanos, lastError, Optional.empty(), Optional.empty());
  }

  /**
   * True when the latest export call failed: a failure is recorded and no success came after it.
   * Dropping on a full queue is not failing; see {@link #droppedByReason()}.
   */
  public boolean failing() {
    if (lastFailure.isEmpty()) {
      return false;
    }
    return lastSuccess.isEmpty() || lastFailure.get().isAfter(lastSuccess.get());
  }

  /** All dropped items. */
  public long dropped() {
    long sum = 0;
    for (long v : droppedByReason.values()) {
      sum += v;
    }
    return sum;
  }

  /** All failed export calls. */
  public long failed() {
    long sum = 0;
    for (long v : failedByReason.values()) {
      sum += v;
    }
    return sum;
  }

  /** Items handed to the queue so far: exported + dropped + queued. */
  public long produced() {
    return exported + dropped() + queued;
  }
}
