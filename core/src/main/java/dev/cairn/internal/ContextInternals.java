package dev.cairn.internal;

import dev.cairn.context.TraceState;

/**
 * Lets Cairn's own propagators build context values through trusted, non-validating factories
 * that are not public API. The context package registers its factories here on class init.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class ContextInternals {
  /** Trusted factory for {@link TraceState}. */
  public interface TraceStateFactory {
    TraceState ofValidated(String[] keysAndValuesLeftMostFirst, String header);
  }

  private static volatile TraceStateFactory traceStates;

  private ContextInternals() {}

  /** Called once by {@link TraceState}'s class initializer. */
  public static void register(TraceStateFactory f) {
    traceStates = f;
  }

  /**
   * A trace state from pairs the caller has already validated (grammar, no duplicates, at most
   * 32 entries).
   *
   * @param header the exact header text these pairs came from, or {@code null}
   */
  public static TraceState traceState(String[] keysAndValuesLeftMostFirst, String header) {
    TraceStateFactory f = traceStates;
    if (f == null) {
      TraceState.empty(); // forces TraceState's initializer, which registers the factory
      f = traceStates;
    }
    return f.ofValidated(keysAndValuesLeftMostFirst, header);
  }
}
