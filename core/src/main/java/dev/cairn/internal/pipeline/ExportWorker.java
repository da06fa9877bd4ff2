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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One exporter behind one bounded queue, fed by producers on any thread and drained by one daemon
 * thread that batches by count and by time.
 *
 * <p>Accounting is exact by construction: an item counts as dropped only where it leaves the
 * queue path (refused offer, evicted oldest, failed batch, drained at shutdown), as exported only
 * after its batch succeeded, and is otherwise still in the queue or in the batch being exported.
 *
 * <p>Producers never lock: {@link #offer} is one CAS and, when a batch has just filled, one {@link
 * LockSupport#unpark}. No {@code synchronized} anywhere (virtual threads).
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class ExportWorker<T> implements Runnable {
  private static final long FLUSH_POLL_NANOS = 1_000_000L;

  private final String signal;
  private final String name;
  private final Exporter<T> exporter;
  private final BoundedQueue<T> queue;
  private final int maxBatch;
  private final long delayNanos;
  private final boolean dropOldest;
  private final Thread thread;

  // Per-instance counts (health snapshot) mirrored into process-wide self counters (metrics).
  private final LongAdder droppedQueueFull = new LongAdder();
  private final LongAdder droppedClosed = new LongAdder();
  private final AtomicLong exported = new AtomicLong();
  private final AtomicLong droppedFailed = new AtomicLong();
  private final AtomicLong droppedRejected = new AtomicLong();
  private final AtomicLong droppedShutdown = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong exportNanos = new AtomicLong();
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
  private volatile int inFlight;
  private final AtomicLong flushTarget = new AtomicLong();
  private volatile long doneThrough;
  private long reportedDrops;

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
    this.thread = new Thread(this, "cairn-export-" + signal + "-" + name);
    thread.setDaemon(true);
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
        droppedQueueFull.increment();
        cQueueFull.increment();
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
        droppedQueueFull.increment();
        cQueueFull.increment();
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
          reportDrops();
          continue;
        }
        int n = queue.drainTo(batch, maxBatch);
        long mark = queue.headPosition();
        if (n > 0) {
          inFlight = n;
          exportBatch(view, n);
          batch.clear();
          inFlight = 0;
        }
        doneThrough = mark;
        if (n < maxBatch) {
          deadline = System.nanoTime() + delayNanos;
        }
        reportDrops();
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
    lastExportNanos = took;
    exportNanos.addAndGet(took);
    cLatency.add(took);
    batches.incrementAndGet();
    cBatches.increment();
    if (r.isSuccess()) {
      long rejected = Math.min(Math.max(r.rejected(), 0), n);
      exported.addAndGet(n - rejected);
      cExported.add(n - rejected);
      if (rejected > 0) {
        droppedRejected.addAndGet(rejected);
        cRejected.add(rejected);
        lastError = "receiver rejected " + rejected + " items: " + r.message();
      }
      lastSuccess = after(lastFailure);
      return;
    }
    droppedFailed.addAndGet(n);
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
    Reporter.warn(
        "export.failed." + signal + "." + name,
        "Cairn exporter '" + name + "' failed to export " + n + " " + signal + " (" + lastError
            + "); they are dropped and counted in cairn.export.dropped",
        r.error().orElse(null));
  }

  private void reportDrops() {
    long drops = droppedQueueFull.sum();
    if (drops != reportedDrops) {
      reportedDrops = drops;
      Reporter.warn(
          "export.queue_full." + signal + "." + name,
          "Cairn exporter '" + name + "' queue is full: " + drops + " " + signal
              + " dropped so far (cairn.export.dropped{reason=queue_full}); the receiver is slower"
              + " than the application, or down",
          null);
    }
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
    return doneThrough >= target || queue.headPosition() >= target && inFlight == 0;
  }

  /**
   * Stops accepting items, exports what is queued, closes the exporter and ends the thread, all
   * within {@code timeoutNanos}. Past the deadline the thread is interrupted and abandoned, and
   * whatever is still queued is dropped with reason {@code shutdown}.
   *
   * @return true when everything finished in time
   */
  public boolean close(long timeoutNanos) {
    closing = true;
    LockSupport.unpark(thread);
    long end = System.nanoTime() + timeoutNanos;
    boolean done = awaitTermination(end);
    if (!done) {
      abandoned = true;
      thread.interrupt();
      Reporter.warn(
          "export.close_deadline." + signal + "." + name,
          "Cairn exporter '" + name + "' did not finish within the close deadline; "
              + queue.size() + " queued " + signal + " are dropped (reason=shutdown)",
          null);
    }
    // Anything a late producer slipped in, or the worker left behind, is accounted for here.
    T e;
    long n = 0;
    while ((e = queue.poll()) != null) {
      n++;
    }
    if (n > 0) {
      droppedShutdown.addAndGet(n);
      cShutdown.add(n);
    }
    return done;
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

  /** A snapshot of this worker's counts. */
  public ExporterHealth health() {
    Map<String, Long> dropped = new HashMap<>();
    putIfPositive(dropped, "queue_full", droppedQueueFull.sum());
    putIfPositive(dropped, "closed", droppedClosed.sum());
    putIfPositive(dropped, "export_failed", droppedFailed.get());
    putIfPositive(dropped, "rejected", droppedRejected.get());
    putIfPositive(dropped, "shutdown", droppedShutdown.get());
    Map<String, Long> failed = new HashMap<>();
    failedByReason.forEach((k, v) -> failed.put(k, v.get()));
    String err = lastError;
    return new ExporterHealth(
        signal,
        name,
        queue.capacity(),
        (long) queue.size() + inFlight,
        exported.get(),
        dropped,
        failed,
        batches.get(),
        exportNanos.get(),
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
