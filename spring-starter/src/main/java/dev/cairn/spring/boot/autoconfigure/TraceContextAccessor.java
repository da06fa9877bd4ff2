package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;

/**
 * Lets Micrometer's context-propagation library (used by Reactor's automatic context propagation
 * and Spring's {@code ContextPropagatingTaskDecorator}) capture and restore Cairn's context.
 *
 * <p>{@code setValue} opens a Cairn scope and {@code restore} closes it, on the same thread; the
 * open scopes are kept in a per-thread stack that is removed when empty, so idle threads keep no
 * entry.
 *
 * <p>Registered before Micrometer's observation accessor (see {@link #register}).
 */
final class TraceContextAccessor implements ThreadLocalAccessor<TraceContext> {
  static final String KEY = "cairn.context";
  /** Micrometer's {@code ObservationThreadLocalAccessor.KEY}. */
  static final String OBSERVATION_KEY = "micrometer.observation";

  /**
   * Registers the accessor once, ahead of Micrometer's observation accessor.
   *
   * <p>Why the order matters: context-propagation sets thread-locals in registration order and
   * restores them in reverse. A reactive server request carries its observation in Reactor's
   * context but no Cairn context of its own; restoring it opens the observation's scope (Cairn's
   * observation handler then makes the request's context current) and clears every accessor whose
   * key is missing, Cairn's among them. Cleared after the observation, Cairn's context would be
   * empty in every handler and operator; cleared first, the observation's context lands on top, and
   * the scopes still close in reverse order.
   */
  static void register(ContextRegistry registry) {
    ThreadLocalAccessor<?> observation = null;
    boolean present = false;
    for (ThreadLocalAccessor<?> a : registry.getThreadLocalAccessors()) {
      if (KEY.equals(a.key())) {
        present = true;
        break;
      }
      if (OBSERVATION_KEY.equals(a.key())) {
        observation = a;
      }
    }
    if (present && observation == null) {
      return; // already registered, and ahead of the observation accessor (or there is none)
    }
    if (observation != null) {
      registry.removeThreadLocalAccessor(OBSERVATION_KEY);
    }
    if (!present) {
      registry.registerThreadLocalAccessor(new TraceContextAccessor());
    }
    if (observation != null) {
      registry.registerThreadLocalAccessor(observation); // appended: now after Cairn's
    }
  }

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
