package dev.cairn.pipeline;

/**
 * A synchronous consumer of one signal type, run on the caller's thread for every item (sampled or
 * not): JFR events, in-memory rings, test probes. It must be cheap and must not block; an exception
 * it throws is contained and counted ({@code cairn.pipeline.sink.failed{signal,sink}}).
 *
 * @param <T> the signal type
 */
@FunctionalInterface
public interface Sink<T> {
  /** Consumes one item. */
  void accept(T item);
}
