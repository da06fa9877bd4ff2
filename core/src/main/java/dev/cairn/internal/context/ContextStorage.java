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

  private ContextStorage() {}

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
      WRONG_THREAD.increment();
      return;
    }
    ScopeImpl top = TOP.get();
    if (top != s) {
      if (!s.task || !isBelow(s, top)) {
        // Out of order: mark it, leave the inner scopes current; they pop it when they close.
        OUT_OF_ORDER.increment();
        s.closed = true;
        return;
      }
      // A task left scopes open above its own: abandon them.
      for (ScopeImpl t = top; t != s; t = t.previous) {
        LEAKED.increment();
        t.closed = true;
      }
    }
    s.closed = true;
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
    if (next == null) {
      TOP.remove();
    } else {
      TOP.set(next);
    }
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
  }
}
