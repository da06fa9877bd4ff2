package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import io.micrometer.tracing.otel.bridge.EventListener;
import io.micrometer.tracing.otel.bridge.EventPublishingContextWrapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * With Micrometer Tracing's OpenTelemetry bridge: every OpenTelemetry context attached on a thread
 * (an observation's, and a span made current by hand) makes the same ids current in Cairn's
 * context; the matching close closes Cairn's. Boot's OpenTelemetry tracing auto-configuration
 * hands the bridge's scope events to every {@link EventListener} bean.
 *
 * <p>The bridge publishes one closed event for each attached one, on the same thread and in
 * reverse order, so the scopes opened here are kept in a per-thread stack (removed when empty).
 *
 * <p>Ordered first among the listeners (by its bean's {@code @Order}; this class stays free of
 * Spring so that it can be measured on its own): the bridge's MDC listener removes {@code traceId} and
 * {@code spanId} when a scope closes, whereas Cairn puts back what its first scope found. Cairn must
 * therefore open before that listener writes and close before it removes, or Cairn would find the
 * bridge's ids, and put them back after the bridge removed them, leaving them on a pooled thread.
 */
final class OtelScopeMirror implements EventListener {
  /** Stands for an attached context without a valid span: nothing was opened for it. */
  private static final Scope NOTHING = () -> {};

  private static final ThreadLocal<Node> OPEN = new ThreadLocal<>();

  private static final class Node {
    final Scope scope;
    final Node next;

    Node(Scope scope, Node next) {
      this.scope = scope;
      this.next = next;
    }
  }

  @Override
  public void onEvent(Object event) {
    try {
      if (event instanceof EventPublishingContextWrapper.ScopeAttachedEvent) {
        attached(((EventPublishingContextWrapper.ScopeAttachedEvent) event).getSpan());
      } else if (event instanceof EventPublishingContextWrapper.ScopeClosedEvent) {
        closed();
      }
      // ScopeRestoredEvent needs nothing: closing Cairn's scope restored the previous context.
    } catch (Throwable t) {
      MirroredContexts.contain(t);
    }
  }

  private static void attached(Span span) {
    Scope s = NOTHING;
    SpanContext c = span == null ? SpanContext.getInvalid() : span.getSpanContext();
    if (c.isValid()) {
      TraceContext mirror = MirroredContexts.of(c.getTraceId(), c.getSpanId(), null, c.isSampled());
      s = MirroredContexts.makeCurrent(mirror, c.getTraceId());
    }
    OPEN.set(new Node(s, OPEN.get()));
  }

  private static void closed() {
    Node top = OPEN.get();
    if (top == null) {
      return;
    }
    if (top.next == null) {
      OPEN.remove();
    } else {
      OPEN.set(top.next);
    }
    top.scope.close();
  }

  @Override
  public String toString() {
    return "OtelScopeMirror";
  }
}
