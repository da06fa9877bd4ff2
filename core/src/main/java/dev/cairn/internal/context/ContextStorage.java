package dev.cairn.internal.context;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.logging.CorrelationMdc;
import dev.cairn.logging.MdcSettings;

/**
 * The current context of each thread, as a stack of open scopes linked through {@code previous}.
 *
 * <p>One {@link ThreadLocal} holds the innermost open scope; it is removed (not set to null) when
 * the last scope closes, so a pooled or virtual thread keeps no entry once work is done. No other
 * per-thread state exists.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class ContextStorage {
  private static final ThreadLocal<ScopeImpl> TOP = new ThreadLocal<>();

  static final SelfCounter OUT_OF_ORDER = misuse("out_of_order");
  static final SelfCounter WRONG_THREAD = misuse("wrong_thread");
  static final SelfCounter LEAKED = misuse("leaked");

  // Null when nothing listens: attach and close then pay one static read and no allocation.
  private static volatile AttachListener listener;

  private ContextStorage() {}

  /**
   * Told when a context becomes current on a thread, when that scope ends, and when a scope is
   * misused. The JFR module uses it to record which request is running on which thread.
   * Implementations run on the application's thread: they must be cheap and must not throw (a
   * throw is caught, counted as nothing, and ignored).
   */
  public interface AttachListener {
    /**
     * A scope making {@code context} current was opened on the calling thread.
     *
     * @return a handle passed to {@link #detached} when the scope ends, or {@code null} when
     *     nothing needs to be told
     */
    Object attached(TraceContext context);

    /**
     * The scope whose {@link #attached} returned {@code handle} for {@code context} ended (on its
     * owner thread).
     */
    void detached(Object handle, TraceContext context);

    /** A scope was misused; {@code reason} is the {@code cairn.scope.misuse} reason tag. */
    void misused(String reason);
  }

  /**
   * Installs the one listener (replacing any previous one), or removes it with {@code null}.
   * Scopes opened before the change report their end to the listener that saw them open.
   */
  public static void setAttachListener(AttachListener l) {
    listener = l;
  }

  /** The installed listener, or {@code null}. */
  public static AttachListener attachListener() {
    return listener;
  }

  private static void misused(SelfCounter counter, String reason) {
    counter.increment();
    AttachListener l = listener;
    if (l != null) {
      try {
        l.misused(reason);
      } catch (RuntimeException e) {
        // A diagnostics listener must never break the application's scope handling.
      }
    }
  }

  private static SelfCounter misuse(String reason) {
    return SelfCounters.GLOBAL.counter(
        "cairn.scope.misuse",
        "Scopes closed out of order, on another thread, or left open by a task",
        "scopes",
        "reason",
        reason);
  }

  /** The current context or {@link TraceContext#empty()}. */
  public static TraceContext current() {
    ScopeImpl s = TOP.get();
    return s == null ? TraceContext.empty() : s.context;
  }

  /** Opens a scope making {@code context} current. */
  public static Scope attach(TraceContext context) {
    return attach(context, false);
  }

  /**
   * Opens a scope for a task: closing it restores this thread's exact state from before the task,
   * even if the task left its own scopes open (those are counted as leaked).
   */
  public static Scope attachForTask(TraceContext context) {
    return attach(context, true);
  }

  private static Scope attach(TraceContext context, boolean task) {
    ScopeImpl prev = TOP.get();
    MdcSettings mdc = CorrelationMdc.settings();
    ScopeImpl s = new ScopeImpl(Thread.currentThread(), context, prev, mdc, task);
    if (mdc.enabled()) {
      if (prev == null) {
        s.savedMdc = MdcBridge.capture(mdc);
      }
      MdcBridge.apply(mdc, context);
    }
    AttachListener l = listener;
    if (l != null) {
      try {
        Object handle = l.attached(context);
        if (handle != null) {
          s.listener = l;
          s.handle = handle;
        }
      } catch (RuntimeException e) {
        // Ignored: see AttachListener.
      }
    }
    TOP.set(s);
    return s;
  }

  static void close(ScopeImpl s) {
    if (s.closed) {
      return;
    }
    if (Thread.currentThread() != s.owner) {
      // Another thread's stack cannot be touched; the owner's own close (or its task wrapper) will
      // unwind it.
      misused(WRONG_THREAD, "wrong_thread");
      return;
    }
    ScopeImpl top = TOP.get();
    if (top != s) {
      if (!s.task || !isBelow(s, top)) {
        // Out of order: mark it, leave the inner scopes current; they pop it when they close.
        misused(OUT_OF_ORDER, "out_of_order");
        s.closed = true;
        s.notifyDetached();
        return;
      }
      // A task left scopes open above its own: abandon them.
      for (ScopeImpl t = top; t != s; t = t.previous) {
        misused(LEAKED, "leaked");
        t.closed = true;
        t.notifyDetached();
      }
    }
    s.closed = true;
    s.notifyDetached();
    ScopeImpl bottom = s;
    while (bottom.previous != null && bottom.previous.closed) {
      bottom = bottom.previous;
    }
    ScopeImpl next = bottom.previous;
    if (s.mdc.enabled()) {
      if (next != null) {
        MdcBridge.apply(s.mdc, next.context);
      } else {
        MdcBridge.restore(s.mdc, bottom.savedMdc);
      }
    }
    // set(null), not remove(): remove() drops the thread's map entry, so the next attach on this
    // thread would allocate a new one and both calls would scan the map for stale entries. A null
    // value keeps nothing alive.
    TOP.set(next);
  }

  private static boolean isBelow(ScopeImpl s, ScopeImpl top) {
    for (ScopeImpl t = top; t != null; t = t.previous) {
      if (t == s) {
        return true;
      }
    }
    return false;
  }

  static final class ScopeImpl implements Scope {
    final Thread owner;
    final TraceContext context;
    final ScopeImpl previous;
    final MdcSettings mdc;
    final boolean task;
    // Only the bottom scope of a thread's stack saves the application's own values of Cairn's keys.
    String[] savedMdc;
    // Written and read by the owner thread only (other threads never write it).
    boolean closed;
    // Set only when an AttachListener wanted to hear about this scope's end.
    AttachListener listener;
    Object handle;

    ScopeImpl(Thread owner, TraceContext context, ScopeImpl previous, MdcSettings mdc, boolean task) {
      this.owner = owner;
      this.context = context;
      this.previous = previous;
      this.mdc = mdc;
      this.task = task;
    }

    @Override
    public void close() {
      ContextStorage.close(this);
    }

    void notifyDetached() {
      AttachListener l = listener;
      if (l != null) {
        listener = null;
        try {
          l.detached(handle, context);
        } catch (RuntimeException e) {
          // Ignored: see AttachListener.
        }
        handle = null;
      }
    }
  }
}
