package dev.cairn.spring.boot.autoconfigure;

import brave.propagation.CurrentTraceContext;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;

/**
 * With Micrometer Tracing's Brave bridge: every Brave scope (an observation's, and a span made
 * current by hand with {@code tracer.withSpan(span)} or {@code @NewSpan}) makes the same ids
 * current in Cairn's context; closing the Brave scope closes Cairn's. Boot's Brave
 * auto-configuration applies every {@link CurrentTraceContext.ScopeDecorator} bean.
 */
final class BraveScopeMirror implements CurrentTraceContext.ScopeDecorator {
  @Override
  public CurrentTraceContext.Scope decorateScope(brave.propagation.TraceContext context, CurrentTraceContext.Scope scope) {
    Scope cairn;
    try {
      TraceContext mirror =
          context == null
              ? TraceContext.empty()
              : MirroredContexts.of(
                  context.traceIdString(), context.spanIdString(), context.parentIdString(), Boolean.TRUE.equals(context.sampled()));
      cairn = MirroredContexts.makeCurrent(mirror, context == null ? null : context.traceIdString());
    } catch (Throwable t) {
      MirroredContexts.contain(t);
      return scope;
    }
    Scope opened = cairn;
    // Cairn's scope was opened inside Brave's, so it closes first.
    return () -> {
      try {
        opened.close();
      } catch (Throwable t) {
        MirroredContexts.contain(t);
      }
      scope.close();
    };
  }

  @Override
  public String toString() {
    return "BraveScopeMirror";
  }
}
