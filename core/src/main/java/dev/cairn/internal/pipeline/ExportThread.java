package dev.cairn.internal.pipeline;

/**
 * The daemon thread of one {@link ExportWorker}. It carries the worker's flush interval so that
 * the exporter's transport, which runs on this thread, can size its waits to it: a retry backoff
 * longer than the interval is cut into slices with a small probe between them, so a backend that
 * comes back is noticed within one interval (RELIABILITY A3). Why a thread type and not a
 * parameter: the {@code Exporter} SPI has no place for it, and a thread-local would be a second
 * piece of state to clean up. The transport also notes here what its latest attempt ran into, so
 * that a close that has to abandon the call can say why ({@link #noteTrouble}).
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class ExportThread extends Thread {
  private final long flushIntervalNanos;
  // What the transport last saw go wrong in the export call in progress ("HTTP 503", "connection
  // refused"), so that a close that abandons the call can say why; cleared by the worker per batch.
  private volatile String callTrouble;

  ExportThread(Runnable task, String name, long flushIntervalNanos) {
    super(task, name);
    this.flushIntervalNanos = flushIntervalNanos;
    setDaemon(true);
  }

  /**
   * The flush interval of the export worker running the calling thread, in nanoseconds, or 0 when
   * the caller is not an export worker.
   */
  public static long flushIntervalNanosOfCurrentThread() {
    Thread t = Thread.currentThread();
    return t instanceof ExportThread ? ((ExportThread) t).flushIntervalNanos : 0L;
  }

  /**
   * Notes, from within an export call on an export worker's thread, what its latest attempt ran
   * into; ignored on any other thread.
   */
  public static void noteTrouble(String trouble) {
    Thread t = Thread.currentThread();
    if (t instanceof ExportThread) {
      ((ExportThread) t).callTrouble = trouble;
    }
  }

  String callTrouble() {
    return callTrouble;
  }

  void clearCallTrouble() {
    callTrouble = null;
  }
}
