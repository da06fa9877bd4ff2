package dev.cairn.pipeline;

import dev.cairn.export.Exporter;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.internal.pipeline.ExportWorker;
import dev.cairn.resource.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The path of one signal type from its source to its sinks: synchronous {@link Sink}s run on the
 * caller's thread, then each {@link Exporter} gets the item through its own bounded queue and
 * daemon worker thread (see {@link ExportSettings}).
 *
 * <pre>{@code
 * Pipeline<SpanData> spans = Pipeline.<SpanData>builder("spans")
 *     .addSink(ring::add)
 *     .addExporter(NdjsonExporter.stdout(SpanJson::write), ExportSettings.defaults())
 *     .build();
 * spans.emit(span, span.context().isSampled());
 * spans.close(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>{@link #emit} never throws and never blocks: sink exceptions are contained and counted
 * ({@code cairn.pipeline.sink.failed}), a full queue drops and counts ({@code
 * cairn.export.dropped}). After {@link #close} every emit is a counted drop.
 *
 * @param <T> the signal type
 */
public final class Pipeline<T> {
  private final String signal;
  private final Sink<T>[] sinks;
  private final SelfCounter[] sinkFailures;
  private final String[] sinkNames;
  private final List<ExportWorker<T>> workers;
  private final ExportWorker<T>[] workerArray;
  private final List<Exporter<T>> exporters;

  @SuppressWarnings("unchecked")
  private Pipeline(Builder<T> b) {
    this.signal = b.signal;
    this.sinks = (Sink<T>[]) b.sinks.toArray(new Sink<?>[0]);
    this.sinkFailures = new SelfCounter[sinks.length];
    this.sinkNames = new String[sinks.length];
    for (int i = 0; i < sinks.length; i++) {
      String n = sinks[i].getClass().getSimpleName();
      sinkNames[i] = n.isEmpty() ? "anonymous" : n.replaceAll("\\$\\$Lambda.*", "lambda");
      sinkFailures[i] =
          SelfCounters.GLOBAL.counter(
              "cairn.pipeline.sink.failed",
              "Exceptions thrown by synchronous sinks and listeners, contained",
              "events",
              "signal", signal, "sink", sinkNames[i]);
    }
    List<ExportWorker<T>> ws = new ArrayList<>();
    for (int i = 0; i < b.exporters.size(); i++) {
      ws.add(new ExportWorker<>(signal, b.exporters.get(i), b.settings.get(i)));
    }
    this.workers = Collections.unmodifiableList(ws);
    this.exporters = List.copyOf(b.exporters);
    this.workerArray = (ExportWorker<T>[]) ws.toArray(new ExportWorker<?>[0]);
  }

  /** A builder for a pipeline of {@code signal} (e.g. {@code "spans"}, {@code "logs"}). */
  public static <T> Builder<T> builder(String signal) {
    return new Builder<>(signal);
  }

  /**
   * Offers {@code resource} to every exporter ({@link Exporter#useResource}): those built without
   * a resource of their own adopt it. {@code Cairn} does this for its pipelines and the ones added
   * to it. Never throws.
   */
  public void useResource(Resource resource) {
    for (Exporter<T> e : exporters) {
      try {
        e.useResource(resource);
      } catch (Throwable t) {
        Fatal.rethrowIfFatal(t);
        Reporter.warn(
            "pipeline.resource." + signal, "cairn: exporter " + e + " refused the resource", t);
      }
    }
  }

  /** The signal name. */
  public String signal() {
    return signal;
  }

  /** True when at least one synchronous sink is installed. */
  public boolean hasSinks() {
    return sinks.length > 0;
  }

  /** True when at least one exporter is installed. */
  public boolean hasExporters() {
    return workerArray.length > 0;
  }

  /** Runs the sinks, then queues {@code item} for every exporter. Never throws, never blocks. */
  public void emit(T item) {
    emit(item, true);
  }

  /**
   * Runs the sinks and, when {@code export} is true, queues {@code item} for every exporter (an
   * unsampled span reaches the sinks only).
   */
  public void emit(T item, boolean export) {
    if (item == null) {
      return;
    }
    Sink<T>[] s = sinks;
    for (int i = 0; i < s.length; i++) {
      try {
        s[i].accept(item);
      } catch (Throwable t) {
        sinkFailed(i, t);
      }
    }
    if (export) {
      ExportWorker<T>[] w = workerArray;
      for (int i = 0; i < w.length; i++) {
        w[i].offer(item);
      }
    }
  }

  private void sinkFailed(int i, Throwable t) {
    Fatal.rethrowIfFatal(t);
    sinkFailures[i].increment();
    Reporter.warn(
        "pipeline.sink." + signal + "." + sinkNames[i],
        "Cairn " + signal + " sink " + sinkNames[i] + " threw; the exception was contained and"
            + " counted in cairn.pipeline.sink.failed",
        t);
  }

  /**
   * Exports everything emitted before this call, waiting at most {@code timeout} in total.
   *
   * @return true when every exporter caught up in time
   */
  public boolean flush(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    boolean ok = true;
    for (ExportWorker<T> w : workers) {
      ok &= w.flush(Math.max(0, end - System.nanoTime()));
    }
    return ok;
  }

  /**
   * Stops the exporters: exports what is queued, closes each exporter and ends every worker thread
   * within {@code timeout} in total. At the deadline the batch in an export call and whatever is
   * still queued are dropped and counted once ({@code reason=shutdown}), even if the abandoned call
   * returns later. Each exporter then reports one line saying how many items it exported and
   * dropped, and why (at WARN when anything was dropped or the deadline passed, else at debug).
   * Idempotent.
   *
   * @return true when everything finished in time
   */
  public boolean close(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    boolean ok = true;
    for (ExportWorker<T> w : workers) {
      ok &= w.close(Math.max(0, end - System.nanoTime()));
    }
    return ok;
  }

  /**
   * One health snapshot per exporter. Each snapshot is exact at any moment, also while a batch is
   * being exported or after a close that timed out: {@code produced() == exported() + dropped() +
   * queued()}, where produced counts every item offered to that exporter so far.
   */
  public List<ExporterHealth> health() {
    List<ExporterHealth> out = new ArrayList<>(workers.size());
    for (ExportWorker<T> w : workers) {
      out.add(w.health());
    }
    return Collections.unmodifiableList(out);
  }

  /** The worker threads this pipeline started (for lifecycle checks). */
  public List<Thread> threads() {
    List<Thread> out = new ArrayList<>(workers.size());
    for (ExportWorker<T> w : workers) {
      out.add(w.thread());
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Builds a {@link Pipeline}. Worker threads start in {@link #build()}.
   *
   * @param <T> the signal type
   */
  public static final class Builder<T> {
    private final String signal;
    private final List<Sink<T>> sinks = new ArrayList<>();
    private final List<Exporter<T>> exporters = new ArrayList<>();
    private final List<ExportSettings> settings = new ArrayList<>();

    private Builder(String signal) {
      Objects.requireNonNull(signal, "signal");
      if (signal.isEmpty()) {
        throw new IllegalArgumentException("signal name must not be empty");
      }
      this.signal = signal;
    }

    /** A synchronous sink, run on the caller's thread for every item. */
    public Builder<T> addSink(Sink<T> sink) {
      sinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /** An exporter with default queue and batching settings. */
    public Builder<T> addExporter(Exporter<T> exporter) {
      return addExporter(exporter, ExportSettings.defaults());
    }

    /** An exporter with its own queue and batching settings. */
    public Builder<T> addExporter(Exporter<T> exporter, ExportSettings exportSettings) {
      exporters.add(Objects.requireNonNull(exporter, "exporter"));
      settings.add(Objects.requireNonNull(exportSettings, "exportSettings"));
      return this;
    }

    /** The pipeline; starts one daemon thread per exporter. */
    public Pipeline<T> build() {
      return new Pipeline<>(this);
    }
  }
}
