package dev.cairn.propagation;

import java.util.List;
import java.util.Objects;

/**
 * The built-in propagators. Each is immutable, thread-safe and shareable.
 *
 * <pre>{@code
 * Propagator p = Propagators.defaults();
 * TraceContext remote = p.extract(TraceContext.empty(), headers, Carriers.mapGetter());
 * p.inject(TraceContext.current(), outgoing, Carriers.mapSetter());
 * }</pre>
 */
public final class Propagators {
  private Propagators() {}

  /** W3C Trace Context: {@code traceparent} and {@code tracestate} (Level 2). */
  public static Propagator w3cTraceContext() {
    return W3CTraceContextPropagator.INSTANCE;
  }

  /**
   * Several propagators as one: extraction takes the first valid trace context among the trace
   * formats (W3C, B3, AWS, Google) in the order given, and lets every baggage, correlation-id and
   * user propagator add its part; injection writes them all.
   *
   * @throws IllegalArgumentException when empty or containing the same propagator twice
   */
  public static Propagator composite(List<Propagator> propagators) {
    Objects.requireNonNull(propagators, "propagators");
    if (propagators.isEmpty()) {
      throw new IllegalArgumentException("composite needs at least one propagator");
    }
    for (int i = 0; i < propagators.size(); i++) {
      Propagator p = Objects.requireNonNull(propagators.get(i), "propagators[" + i + "]");
      for (int j = 0; j < i; j++) {
        if (propagators.get(j) == p) {
          throw new IllegalArgumentException("propagator " + p.name() + " is listed twice");
        }
      }
    }
    return new CompositePropagator(List.copyOf(propagators));
  }

  /** {@link #composite(List)} of the given propagators. */
  public static Propagator composite(Propagator first, Propagator... more) {
    Propagator[] all = new Propagator[more.length + 1];
    all[0] = first;
    System.arraycopy(more, 0, all, 1, more.length);
    return composite(List.of(all));
  }
}
