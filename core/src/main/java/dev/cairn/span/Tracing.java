package dev.cairn.span;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.pipeline.Pipeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The span machinery of one {@code Cairn} instance, usable on its own in tests: sampler, limits,
 * listeners, and the span {@link Pipeline} that finished spans go to. {@code Cairn} builds one;
 * {@link #tracer(String)} hands out tracers that share it.
 *
 * <pre>{@code
 * Tracing tracing = Tracing.builder()
 *     .sampler(Sampler.parentBased(Sampler.traceIdRatio(0.25)))
 *     .pipeline(Pipeline.<SpanData>builder("spans").addExporter(exporter).build())
 *     .build();
 * Tracer tracer = tracing.tracer("checkout");
 * }</pre>
 *
 * <p>Timestamps are nanoseconds since the epoch: a wall-clock anchor read once per {@code Tracing}
 * plus the monotonic clock, so durations never go negative when the wall clock steps.
 */
public final class Tracing {
  final Sampler sampler;
  final SpanLimits limits;
  final SpanListener[] listeners;
  final SelfCounter[] listenerFailures;
  final String[] listenerNames;
  final Pipeline<SpanData> pipeline;
  final boolean recordsUnsampled;
  final boolean enabled;
  private final long anchorEpochNanos;
  private final long anchorNanoTime;
  private final ConcurrentHashMap<String, Tracer> tracers = new ConcurrentHashMap<>();
  volatile boolean closed;

  private Tracing(Builder b) {
    this.sampler = b.sampler;
    this.limits = b.limits;
    this.listeners = b.listeners.toArray(new SpanListener[0]);
    this.listenerFailures = new SelfCounter[listeners.length];
    this.listenerNames = new String[listeners.length];
    for (int i = 0; i < listeners.length; i++) {
      String n = listeners[i].getClass().getSimpleName();
      listenerNames[i] = n.isEmpty() ? "anonymous" : n.replaceAll("\\$\\$Lambda.*", "lambda");
      listenerFailures[i] =
          SelfCounters.GLOBAL.counter(
              "cairn.pipeline.sink.failed",
              "Exceptions thrown by synchronous sinks and listeners, contained",
              "events",
              "signal", "spans", "sink", listenerNames[i]);
    }
    this.pipeline = b.pipeline;
    this.recordsUnsampled = listeners.length > 0 || pipeline.hasSinks();
    this.enabled = b.enabled;
    Instant now = Instant.now();
    this.anchorNanoTime = System.nanoTime();
    this.anchorEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** A builder: always-on sampling, default limits, no listeners, no exporters. */
  public static Builder builder() {
    return new Builder();
  }

  /** A tracer for the instrumentation scope {@code scopeName} (e.g. a library or component). */
  public Tracer tracer(String scopeName) {
    return tracer(scopeName, "");
  }

  /** A tracer for an instrumentation scope with a version. Tracers are cached per name+version. */
  public Tracer tracer(String scopeName, String scopeVersion) {
    if (!enabled) {
      return Tracer.noop();
    }
    String n = scopeName == null || scopeName.isEmpty() ? "dev.cairn" : scopeName;
    String v = scopeVersion == null ? "" : scopeVersion;
    return tracers.computeIfAbsent(n + '\u0000' + v, k -> new CairnTracer(this, n, v));
  }

  /** The sampler. */
  public Sampler sampler() {
    return sampler;
  }

  /** The span limits. */
  public SpanLimits limits() {
    return limits;
  }

  /** The pipeline finished spans go to. */
  public Pipeline<SpanData> pipeline() {
    return pipeline;
  }

  /**
   * Stops creating spans (every tracer returns the no-op from now on) and closes the pipeline
   * within {@code timeout}.
   *
   * @return true when the exporters finished in time
   */
  public boolean close(Duration timeout) {
    closed = true;
    return pipeline.close(timeout);
  }

  long nowEpochNanos() {
    return anchorEpochNanos + (System.nanoTime() - anchorNanoTime);
  }

  long epochNanosAt(long nanoTime) {
    return anchorEpochNanos + (nanoTime - anchorNanoTime);
  }

  boolean sample(TraceContext parent, long hi, long lo, String name, SpanKind kind) {
    try {
      return sampler.shouldSample(parent, hi, lo, name, kind);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      SpanCounters.SAMPLER_FAILED.increment();
      Reporter.warn(
          "span.sampler",
          "Cairn sampler " + sampler.getClass().getName() + " threw; the exception was contained"
              + " and counted in cairn.span.sampler.failed",
          t);
      return parent.isValid() && parent.isSampled();
    }
  }

  void onStart(RecordingSpan span) {
    SpanListener[] ls = listeners;
    Object[] states = null;
    for (int i = 0; i < ls.length; i++) {
      try {
        Object st = ls[i].onStart(span);
        if (st != null) {
          if (states == null) {
            states = new Object[ls.length];
          }
          states[i] = st;
        }
      } catch (Throwable t) {
        listenerFailed(i, t);
      }
    }
    span.listenerStates = states;
  }

  void onEnd(RecordingSpan span) {
    SpanListener[] ls = listeners;
    Object[] states = span.listenerStates;
    for (int i = 0; i < ls.length; i++) {
      try {
        ls[i].onEnd(span, states == null ? null : states[i]);
      } catch (Throwable t) {
        listenerFailed(i, t);
      }
    }
    span.listenerStates = null;
    pipeline.emit(span, span.context().isSampled());
  }

  private void listenerFailed(int i, Throwable t) {
    Fatal.rethrowIfFatal(t);
    listenerFailures[i].increment();
    Reporter.warn(
        "span.listener." + listenerNames[i],
        "Cairn span listener " + listenerNames[i] + " threw; the exception was contained and"
            + " counted in cairn.pipeline.sink.failed",
        t);
  }

  /** Builds {@link Tracing}. */
  public static final class Builder {
    private Sampler sampler = Sampler.alwaysOn();
    private SpanLimits limits = SpanLimits.defaults();
    private final List<SpanListener> listeners = new ArrayList<>();
    private Pipeline<SpanData> pipeline;
    private boolean enabled = true;

    private Builder() {}

    /** The sampler (default {@link Sampler#alwaysOn()}). */
    public Builder sampler(Sampler sampler) {
      this.sampler = Objects.requireNonNull(sampler, "sampler");
      return this;
    }

    /** The span limits (default {@link SpanLimits#defaults()}). */
    public Builder limits(SpanLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** A listener called on the thread that starts and ends each recording span. */
    public Builder addListener(SpanListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Where finished spans go (default: a pipeline with no sinks and no exporters). */
    public Builder pipeline(Pipeline<SpanData> pipeline) {
      this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
      return this;
    }

    /** When false, every tracer is the allocation-free no-op (default true). */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** The tracing. */
    public Tracing build() {
      if (pipeline == null) {
        pipeline = Pipeline.<SpanData>builder("spans").build();
      }
      return new Tracing(this);
    }
  }
}
