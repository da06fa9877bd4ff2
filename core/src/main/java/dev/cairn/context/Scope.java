package dev.cairn.context;

/**
 * A region of code in which a context is current on this thread. Close it in the same thread, in
 * reverse order of opening, ideally with try-with-resources:
 *
 * <pre>{@code
 * try (Scope scope = context.makeCurrent()) {
 *   // TraceContext.current() == context; MDC holds traceId and spanId
 * }
 * }</pre>
 *
 * <p>Closing restores the context and the MDC entries that were there before. Closing twice is
 * harmless. Closing out of order or on another thread never throws: it is detected, counted as
 * {@code cairn.scope.misuse}, and the thread's context stays consistent (see {@link
 * TraceContext#makeCurrent()}).
 */
public interface Scope extends AutoCloseable {
  /** Ends the scope. Never throws. */
  @Override
  void close();

  /** A scope that does nothing on close. */
  static Scope noop() {
    return NoopScope.INSTANCE;
  }
}

enum NoopScope implements Scope {
  INSTANCE;

  @Override
  public void close() {}
}
