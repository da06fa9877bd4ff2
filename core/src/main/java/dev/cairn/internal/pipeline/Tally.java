package dev.cairn.internal.pipeline;

/**
 * An {@link ExportWorker}'s outcomes, replaced as a whole by one compare-and-set: a snapshot
 * never sees a batch both in flight and recorded. Written by the worker's thread and by close().
 */
final class Tally {
  static final Tally ZERO = new Tally(0, 0, 0, 0, 0, 0, 0, false);

  final long exported;
  final long failed;
  final long rejected;
  final long shutdown;
  final long batches;
  final long exportNanos;
  /** Items of the batch the worker holds (still queued), 0 between batches. */
  final int inFlight;
  /** Set by close() at its deadline: later outcomes of the worker are not counted. */
  final boolean abandoned;

  Tally(long exported, long failed, long rejected, long shutdown, long batches,
      long exportNanos, int inFlight, boolean abandoned) {
    this.exported = exported;
    this.failed = failed;
    this.rejected = rejected;
    this.shutdown = shutdown;
    this.batches = batches;
    this.exportNanos = exportNanos;
    this.inFlight = inFlight;
    this.abandoned = abandoned;
  }

  Tally withInFlight(int n) {
    return new Tally(exported, failed, rejected, shutdown, batches, exportNanos, n, abandoned);
  }

  Tally recorded(long ok, long failedItems, long rejectedItems, long nanos) {
    return new Tally(exported + ok, failed + failedItems, rejected + rejectedItems, shutdown,
        batches + 1, exportNanos + nanos, 0, abandoned);
  }

  Tally plusShutdown(long n) {
    return new Tally(exported, failed, rejected, shutdown + n, batches, exportNanos, inFlight,
        abandoned);
  }

  Tally abandoned() {
    return new Tally(exported, failed, rejected, shutdown + inFlight, batches, exportNanos, 0,
        true);
  }
}
