package dev.cairn.internal.pipeline;

import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.pipeline.DropPolicy;
import dev.cairn.pipeline.ExportSettings;
import dev.cairn.pipeline.ExporterHealth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One exporter behind one bounded queue, fed by producers on any thread and drained by one daemon
 * thread that batches by count and by time.
 *
 * <p>Accounting is exact by construction, and so is every snapshot ({@link #health}): an item is
 * queued from its successful offer until its outcome is recorded, so the batch being exported
 * counts as queued. {@code queued} is not read from the queue; it is derived as offers minus
 * outcomes, and every outcome of the worker (and of {@link #close}) is one compare-and-set of one
 * immutable {@link Tally}: the step from queued to exported or dropped is atomic, and a snapshot
 * reads the tally before the producer-side counts, so {@code produced == exported + dropped +
 * queued} holds in every snapshot, also while a batch is in flight. A batch abandoned at the close
 * deadline moves from queued to dropped ({@code shutdown}) in that same one step; if the abandoned
 * call later returns, its outcome is ignored (the items may have arrived, but they are counted
 * once, as dropped).
 *
 * <p>Producers never lock: {@link #offer} is one CAS and, when a batch has just filled, one {@link
 * LockSupport#unpark}. A drop adds a time read; the first drop after a quiet 10 s also writes the
 * "queue is full" line from that producer, because the worker may be stuck in a call for its
 * whole time budget. No {@code synchronized} anywhere (virtual threads).
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class ExportWorker<T> implements Runnable {
  private static final long FLUSH_POLL_NANOS = 1_000_000L;
  private static final long QUEUE_FULL_REPORT_NANOS = 10_000_000_000L;

  private final String signal;
  private final String name;
  private final Exporter<T> exporter;
  private final BoundedQueue<T> queue;
  private final int maxBatch;
  private final long delayNanos;
  private final boolean dropOldest;
  private final ExportThread thread;

  // Per-instance counts (health snapshot) mirrored into process-wide self counters (metrics).
  // Producer side: cheap adders, never a lock. Refused offers and evicted items are both
  // queue_full drops, kept apart because an evicted item was offered (it is in tailPosition()).
  private final LongAdder refusedQueueFull = new LongAdder();
  private final LongAdder evictedQueueFull = new LongAdder();
  private final LongAdder droppedClosed = new LongAdder();
  // Worker side (and close()): every outcome in one state word.
  private final AtomicReference<Tally> tally = new AtomicReference<>(Tally.ZERO);
  private volatile long lastExportNanos;
  private volatile String lastError;
  // Wall-clock end of the latest accepted / failed export call, null when none yet. Written by the
  // worker thread only; kept strictly ordered so that "failing now" (failure after success) is
  // right even when both fall in the same clock tick.
  private volatile java.time.Instant lastSuccess;
  private volatile java.time.Instant lastFailure;
  private final ConcurrentHashMap<String, AtomicLong> failedByReason = new ConcurrentHashMap<>();

  private final SelfCounter cQueueFull;
  private final SelfCounter cClosed;
  private final SelfCounter cExported;
  private final SelfCounter cFailedItems;
  private final SelfCounter cRejected;
  private final SelfCounter cShutdown;
  private final SelfCounter cBatches;
  private final SelfCounter cLatency;

  private volatile boolean closing;
  private volatile boolean abandoned;
  private volatile boolean sleeping;
  private volatile boolean terminated;
  private final AtomicLong flushTarget = new AtomicLong();
  private volatile long doneThrough;
  // Earliest System.nanoTime() at which a producer may report a full queue again.
  private final AtomicLong nextQueueFullReport = new AtomicLong(System.nanoTime());
  private final AtomicBoolean closeReported = new AtomicBoolean();

  /** Creates the worker and starts its daemon thread. */
  public ExportWorker(String signal, Exporter<T> exporter, ExportSettings settings) {
    this.signal = signal;
    this.exporter = exporter;
    this.name = safeName(exporter);
    this.queue = new BoundedQueue<>(settings.queueCapacity());
    this.maxBatch = Math.min(settings.maxBatchSize(), queue.capacity());
    this.delayNanos = settings.scheduleDelay().toNanos();
    this.dropOldest = settings.dropPolicy() == DropPolicy.DROP_OLDEST;
    this.cQueueFull = dropped("queue_full");
    this.cClosed = dropped("closed");
    this.cFailedItems = dropped("export_failed");
    this.cRejected = dropped("rejected");
    this.cShutdown = dropped("shutdown");
    this.cExported =
        SelfCounters.GLOBAL.counter(
            "cairn.export.exported", "Items accepted by an exporter's receiver", "items",
            "signal", signal, "exporter", name);
    this.cBatches =
        SelfCounters.GLOBAL.counter(
            "cairn.export.batches", "Export calls made", "batches",
            "signal", signal, "exporter", name);
    this.cLatency =
        SelfCounters.GLOBAL.counter(
            "cairn.export.latency", "Time spent in export calls, summed", "nanoseconds",
            "signal", signal, "exporter", name);
    this.thread = new ExportThread(this, "cairn-export-" + signal + "-" + name, delayNanos);
    thread.start();
  }

  private static String safeName(Exporter<?> e) {
    try {
      String n = e.name();
      if (n != null && !n.isEmpty()) {
        return n;
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
    }
    return e.getClass().getSimpleName();
  }

  private SelfCounter dropped(String reason) {
    return SelfCounters.GLOBAL.counter(
        "cairn.export.dropped",
        "Items that never reached the receiver, by reason",
        "items",
        "signal", signal, "exporter", name, "reason", reason);
  }

  /** The exporter's name. */
  public String name() {
    return name;
  }

  /** The worker thread (tests check it ends). */
  public Thread thread() {
    return thread;
  }

  /** Queues {@code item} for export; never blocks. A full queue drops by policy and counts. */
  public void offer(T item) {
    if (closing) {
      droppedClosed.increment();
      cClosed.increment();
      return;
    }
    BoundedQueue<T> q = queue;
    if (!q.offer(item)) {
      if (!dropOldest || !evictAndOffer(item)) {
        refusedQueueFull.increment();
        cQueueFull.increment();
        queueFull();
        return;
      }
    }
    if (sleeping && q.size() >= maxBatch) {
      sleeping = false;
      LockSupport.unpark(thread);
    }
  }

  private boolean evictAndOffer(T item) {
    for (int attempt = 0; attempt < 4; attempt++) {
      if (queue.poll() != null) {
        evictedQueueFull.increment();
        cQueueFull.increment();
        queueFull();
      }
      if (queue.offer(item)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void run() {
    List<T> batch = new ArrayList<>(maxBatch);
    List<T> view = Collections.unmodifiableList(batch);
    long deadline = System.nanoTime() + delayNanos;
    try {
      while (!abandoned) {
        boolean closingNow = closing;
        long now = System.nanoTime();
        int size = queue.size();
        boolean flushWanted = flushTarget.get() > doneThrough;
        boolean due =
            closingNow || flushWanted || size >= maxBatch || (size > 0 && now - deadline >= 0);
        if (!due) {
          sleeping = true;
          if (queue.size() < maxBatch && flushTarget.get() <= doneThrough && !closing) {
            long wait = size == 0 ? delayNanos : deadline - now;
            LockSupport.parkNanos(this, Math.max(wait, 100_000L));
          }
          sleeping = false;
          if (size == 0 && System.nanoTime() - deadline >= 0) {
            deadline = System.nanoTime() + delayNanos;
          }
          continue;
        }
        long drainedAt = System.nanoTime();
        int n = queue.drainTo(batch, maxBatch);
        long mark = queue.headPosition();
        if (n > 0) {
          if (!begin(n)) {
            batch.clear();
            break; // abandoned by close(): begin() counted these as dropped
          }
          exportBatch(view, n);
          batch.clear();
        }
        doneThrough = mark;
        if (n < maxBatch) {
          // The next partial batch is due one interval after this one was taken, not after its
          // export returned: items that waited out a slow or retried call go at once.
          deadline = drainedAt + delayNanos;
        }
        if (closingNow && queue.isEmpty()) {
          break;
        }
      }
    } finally {
      try {
        exporter.close();
      } catch (Throwable t) {
        Fatal.rethrowIfFatal(t);
        Reporter.warn(
            "export.close." + signal + "." + name, "exporter " + name + " failed to close", t);
      }
      terminated = true;
    }
  }

  /**
   * Marks a batch of {@code n} as taken by the worker. False when close() has already abandoned
   * the worker: the batch is then counted here as dropped at the close deadline, exactly once.
   */
  private boolean begin(int n) {
    thread.clearCallTrouble();
    while (true) {
      Tally t = tally.get();
      if (t.abandoned) {
        if (tally.compareAndSet(t, t.plusShutdown(n))) {
          cShutdown.add(n);
          return false;
        }
      } else if (tally.compareAndSet(t, t.withInFlight(n))) {
        return true;
      }
    }
  }

  private void exportBatch(List<T> view, int n) {
    long t0 = System.nanoTime();
    ExportResult r;
    try {
      r = exporter.export(view);
      if (r == null) {
        r = ExportResult.failure("null_result", "exporter returned null");
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      r = ExportResult.failure("exception", t);
    }
    long took = System.nanoTime() - t0;
    long ok = 0;
    long rejected = 0;
    long failed = 0;
    if (r.isSuccess()) {
      rejected = Math.min(Math.max(r.rejected(), 0), n);
      ok = n - rejected;
    } else {
      failed = n;
    }
    // One step from queued to its outcome; lost only to close() abandoning this call, which has
    // already counted the batch as dropped (shutdown): a late outcome is not counted twice.
    while (true) {
      Tally t = tally.get();
      if (t.inFlight != n) {
        Reporter.debug(
            "Cairn exporter '" + name + "': an export call abandoned at the close deadline returned "
                + r + " after " + took / 1_000_000L + " ms; its " + n + " " + signal
                + " stay counted as dropped (shutdown)");
        return;
      }
      if (tally.compareAndSet(t, t.recorded(ok, failed, rejected, took))) {
        break;
      }
    }
    lastExportNanos = took;
    cLatency.add(took);
    cBatches.increment();
    if (r.isSuccess()) {
      cExported.add(ok);
      if (rejected > 0) {
        cRejected.add(rejected);
        lastError = "receiver rejected " + rejected + " items: " + r.message();
      }
      lastSuccess = after(lastFailure);
      return;
    }
    cFailedItems.add(n);
    String reason = r.reason();
    failedByReason.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
    SelfCounters.GLOBAL
        .counter(
            "cairn.export.failed", "Export calls that failed, by reason", "batches",
            "signal", signal, "exporter", name, "reason", reason)
        .increment();
    lastError = reason + (r.message().isEmpty() ? "" : ": " + r.message());
    lastFailure = after(lastSuccess);
    if (closing) {
      return; // told once, in the line close() writes
    }
    Reporter.warn(
        "export.failed." + signal + "." + name,
        "Cairn exporter '" + name + "' failed to export " + n + " " + signal + " (" + lastError
            + "); they are dropped and counted in cairn.export.dropped",
        r.error().orElse(null));
  }

  /**
   * Reports a full queue from the producer that found it full, at once and then at most once per
   * 10 s: the worker may be stuck in an export call for as long as its exporter's time budget, so
   * it cannot be the one to tell. The gate is one time read and, once per 10 s, one CAS; the one
   * producer that wins it writes a single line through {@link Reporter}.
   */
  private void queueFull() {
    long next = nextQueueFullReport.get();
    long now = System.nanoTime();
    if (now - next < 0 || !nextQueueFullReport.compareAndSet(next, now + QUEUE_FULL_REPORT_NANOS)) {
      return;
    }
    long drops = refusedQueueFull.sum() + evictedQueueFull.sum();
    Reporter.warnAtMostEvery(
        QUEUE_FULL_REPORT_NANOS,
        "export.queue_full." + signal + "." + name,
        "Cairn exporter '" + name + "' queue is full: " + drops + " " + signal
            + " dropped so far (cairn.export.dropped{reason=queue_full}); the receiver is slower"
            + " than the application, or down",
        null);
  }

  /**
   * Exports everything queued before this call; waits at most {@code timeoutNanos}.
   *
   * @return true when done in time
   */
  public boolean flush(long timeoutNanos) {
    long target = queue.tailPosition();
    flushTarget.accumulateAndGet(target, Math::max);
    LockSupport.unpark(thread);
    long end = System.nanoTime() + timeoutNanos;
    while (doneThrough < target && !terminated) {
      if (System.nanoTime() - end >= 0) {
        return false;
      }
      LockSupport.parkNanos(FLUSH_POLL_NANOS);
    }
    return doneThrough >= target || queue.headPosition() >= target && tally.get().inFlight == 0;
  }

  /**
   * Stops accepting items, exports what is queued, closes the exporter and ends the thread, all
   * within {@code timeoutNanos}. Past the deadline the batch in flight and whatever is still
   * queued are dropped with reason {@code shutdown} (once, even if the abandoned call returns
   * later), and the thread is interrupted and abandoned. The first close writes one line saying
   * what was exported and what was dropped, and why: at WARN when anything was dropped or the
   * deadline passed, at debug otherwise.
   *
   * @return true when everything finished in time
   */
  public boolean close(long timeoutNanos) {
    closing = true;
    LockSupport.unpark(thread);
    long end = System.nanoTime() + timeoutNanos;
    boolean done = awaitTermination(end);
    int abandonedBatch = 0;
    String trouble = null;
    if (!done) {
      trouble = thread.callTrouble();
      abandonedBatch = abandon();
      abandoned = true;
      thread.interrupt();
    }
    // Anything a late producer slipped in, or the worker left behind, is accounted for here.
    long n = 0;
    while (queue.poll() != null) {
      n++;
    }
    if (n > 0) {
      addShutdown(n);
    }
    if (closeReported.compareAndSet(false, true)) {
      reportClose(timeoutNanos, done, abandonedBatch, trouble);
    }
    return done;
  }

  /** Moves the batch in flight, if any, to dropped (shutdown) and stops the worker's outcomes. */
  private int abandon() {
    while (true) {
      Tally t = tally.get();
      if (tally.compareAndSet(t, t.abandoned())) {
        cShutdown.add(t.inFlight);
        return t.inFlight;
      }
    }
  }

  private void addShutdown(long n) {
    while (true) {
      Tally t = tally.get();
      if (tally.compareAndSet(t, t.plusShutdown(n))) {
        cShutdown.add(n);
        return;
      }
    }
  }

  private void reportClose(long timeoutNanos, boolean done, int abandonedBatch, String trouble) {
    ExporterHealth h = health();
    String line = CloseLine.of(h, timeoutNanos, done, abandonedBatch, trouble);
    if (done && h.dropped() == 0) {
      Reporter.debug(line);
    } else {
      Reporter.warnAtMostEvery(0, "export.closed." + signal + "." + name, line, null);
    }
  }

  private boolean awaitTermination(long endNanos) {
    while (!terminated) {
      long left = endNanos - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        thread.join(Math.max(1, left / 1_000_000L));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return terminated;
      }
    }
    return true;
  }

  /** True once the worker thread has finished. */
  public boolean isTerminated() {
    return terminated;
  }

  /**
   * A snapshot of this worker's counts, exact: {@code produced() == exported() + dropped() +
   * queued()} where produced is every item offered so far. The tally is read before the producer
   * counts, so every outcome it holds belongs to an offer the later reads include, and {@code
   * queued} (offers minus outcomes) is never negative.
   */
  public ExporterHealth health() {
    Tally t = tally.get();
    long evicted = evictedQueueFull.sum();
    long offered = queue.tailPosition();
    long refused = refusedQueueFull.sum();
    long closedDrops = droppedClosed.sum();
    long queued = offered - evicted - t.exported - t.failed - t.rejected - t.shutdown;
    Map<String, Long> dropped = new HashMap<>();
    putIfPositive(dropped, "queue_full", refused + evicted);
    putIfPositive(dropped, "closed", closedDrops);
    putIfPositive(dropped, "export_failed", t.failed);
    putIfPositive(dropped, "rejected", t.rejected);
    putIfPositive(dropped, "shutdown", t.shutdown);
    Map<String, Long> failed = new HashMap<>();
    failedByReason.forEach((k, v) -> failed.put(k, v.get()));
    String err = lastError;
    return new ExporterHealth(
        signal,
        name,
        queue.capacity(),
        queued,
        t.exported,
        dropped,
        failed,
        t.batches,
        t.exportNanos,
        lastExportNanos,
        Optional.ofNullable(err),
        Optional.ofNullable(lastSuccess),
        Optional.ofNullable(lastFailure));
  }

  /** Now, or just after {@code other} when the clock has not moved past it. */
  private static java.time.Instant after(java.time.Instant other) {
    java.time.Instant now = java.time.Instant.now();
    return other != null && !now.isAfter(other) ? other.plusNanos(1) : now;
  }

  private static void putIfPositive(Map<String, Long> m, String k, long v) {
    if (v > 0) {
      m.put(k, v);
    }
  }
}
