package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import io.micrometer.context.ThreadLocalAccessor;

/**
 * Lets Micrometer's context-propagation library (used by Reactor's automatic context propagation
 * and Spring's {@code ContextPropagatingTaskDecorator}) capture and restore Cairn's context.
 *
 * <p>{@code setValue} opens a Cairn scope and {@code restore} closes it, on the same thread; the
 * open scopes are kept in a per-thread stack that is removed when empty, so idle threads keep no
 * entry.
 */
final class TraceContextAccessor implements ThreadLocalAccessor<TraceContext> {
  static final String KEY = "cairn.context";

  private static final ThreadLocal<ScopeNode> OPEN = new ThreadLocal<>();

  private static final class ScopeNode {
    final Scope scope;
    final ScopeNode next;

    ScopeNode(Scope scope, ScopeNode next) {
      this.scope = scope;
      this.next = next;
    }
  }

  @Override
  public Object key() {
    return KEY;
  }

  @Override
  public TraceContext getValue() {
    TraceContext c = TraceContext.current();
    // null means "nothing to propagate" in this library's contract
    return c == TraceContext.empty() ? null : c;
  }

  @Override
  public void setValue(TraceContext value) {
    OPEN.set(new ScopeNode(value.makeCurrent(), OPEN.get()));
  }

  @Override
  public void setValue() {
    OPEN.set(new ScopeNode(TraceContext.empty().makeCurrent(), OPEN.get()));
  }

  @Override
  public void restore(TraceContext previousValue) {
    closeTop();
  }

  @Override
  public void restore() {
    closeTop();
  }

  private static void closeTop() {
    ScopeNode top = OPEN.get();
    if (top == null) {
      return;
    }
    top.scope.close();
    if (top.next == null) {
      OPEN.remove();
    } else {
      OPEN.set(top.next);
    }
  }
}
