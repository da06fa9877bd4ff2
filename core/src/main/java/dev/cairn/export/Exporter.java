package dev.cairn.export;

import dev.cairn.resource.Resource;
import java.util.List;

/**
 * Sends batches of one signal type ({@code SpanData}, log records, ...) out of the process. The
 * pipeline calls an exporter from one dedicated worker thread only, never from an application
 * thread, so an exporter may block on I/O, but it should bound every wait with its own timeouts.
 *
 * <p>Exceptions thrown from any method are contained and counted; a {@code null} result counts as
 * a failure. Exporters carry no third-party types in their signatures.
 *
 * @param <T> the signal type
 */
public interface Exporter<T> {
  /**
   * A short, stable name: the {@code exporter} tag of the health counters and part of the worker
   * thread's name (e.g. {@code "otlp"}, {@code "zipkin"}, {@code "ndjson"}).
   */
  String name();

  /**
   * Exports one batch. Called from the exporter's worker thread only, one call at a time.
   *
   * @param batch the items, oldest first; valid only during the call (copy what you keep)
   */
  ExportResult export(List<T> batch);

  /**
   * The resource of the Cairn instance this exporter joined, offered when the instance is built
   * (for its span exporters and the pipelines added to it). Exporters that attach a resource adopt
   * it unless their own builder set one, so a service named once on {@code Cairn.builder()} is
   * named the same in every backend. May be called from any thread; the default ignores it.
   */
  default void useResource(Resource resource) {}

  /** Called once from the worker thread after the last batch, when the pipeline closes. */
  default void close() {}
}
