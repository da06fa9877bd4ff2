package dev.cairn.internal;

import dev.cairn.context.Baggage;
import dev.cairn.context.TraceContext;
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

  /** Trusted factory for {@link Baggage}. */
  public interface BaggageFactory {
    Baggage ofValidated(String[] names, String[] values, String[] properties);
  }

  /** Trusted factory for {@link TraceContext}: every field given, nothing validated or copied. */
  public interface TraceContextFactory {
    TraceContext create(
        long traceIdHigh,
        long traceIdLow,
        long spanId,
        long parentSpanId,
        int flags,
        TraceState traceState,
        String correlationId,
        Baggage baggage,
        boolean remote);
  }

  private static volatile TraceContextFactory traceContexts;
  private static volatile TraceStateFactory traceStates;
  private static volatile BaggageFactory baggages;

  private ContextInternals() {}

  /** Called once by {@link TraceContext}'s class initializer. */
  public static void registerTraceContexts(TraceContextFactory f) {
    traceContexts = f;
  }

  /**
   * A context built in one allocation from fields the caller guarantees (the tracer: ids it just
   * generated, flags with the sampling decision applied).
   */
  public static TraceContext traceContext(
      long traceIdHigh,
      long traceIdLow,
      long spanId,
      long parentSpanId,
      int flags,
      TraceState traceState,
      String correlationId,
      Baggage baggage,
      boolean remote) {
    TraceContextFactory f = traceContexts;
    if (f == null) {
      TraceContext.empty(); // forces TraceContext's initializer, which registers the factory
      f = traceContexts;
    }
    return f.create(
        traceIdHigh, traceIdLow, spanId, parentSpanId, flags, traceState, correlationId, baggage,
        remote);
  }

  /** Called once by {@link TraceState}'s class initializer. */
  public static void register(TraceStateFactory f) {
    traceStates = f;
  }

  /** Called once by {@link Baggage}'s class initializer. */
  public static void register(BaggageFactory f) {
    baggages = f;
  }

  /**
   * Baggage from parallel arrays the caller has already validated (token names, unique, at most
   * {@link Baggage#MAX_ENTRIES}); the arrays are taken over, not copied. Lets a propagator build
   * 64 entries in one step instead of 64 copy-on-write steps.
   */
  public static Baggage baggage(String[] names, String[] values, String[] properties) {
    BaggageFactory f = baggages;
    if (f == null) {
      Baggage.empty(); // forces Baggage's initializer, which registers the factory
      f = baggages;
    }
    return f.ofValidated(names, values, properties);
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
