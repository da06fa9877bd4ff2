package dev.cairn.span;

import dev.cairn.context.TraceContext;

/**
 * Decides whether a new span is sampled, i.e. exported. It never decides what the process itself
 * sees: listeners and synchronous sinks receive unsampled spans too.
 *
 * <p>Called on the thread that starts the span, so it must be cheap and must not block. An
 * exception from a sampler is contained and counted ({@code cairn.span.sampler.failed}); the span
 * then follows its parent's sampled flag (a new trace is not sampled).
 */
@FunctionalInterface
public interface Sampler {
  /**
   * @param parent the parent context, {@link TraceContext#empty()} (invalid) for a new trace
   * @param traceIdHigh high 64 bits of the new span's trace id
   * @param traceIdLow low 64 bits of the new span's trace id (the random part OpenTelemetry samples on)
   * @param name the span name
   * @param kind the span kind
   * @return true to sample (export) the span
   */
  boolean shouldSample(
      TraceContext parent, long traceIdHigh, long traceIdLow, String name, SpanKind kind);

  /** A short description for diagnostics, e.g. {@code ParentBased{root=TraceIdRatioBased{0.1}}}. */
  default String description() {
    return getClass().getSimpleName();
  }

  /** Samples every span. */
  static Sampler alwaysOn() {
    return Samplers.ALWAYS_ON;
  }

  /** Samples no span (they are still seen by listeners and synchronous sinks). */
  static Sampler alwaysOff() {
    return Samplers.ALWAYS_OFF;
  }

  /**
   * Samples a fraction of traces by trace id, with exactly OpenTelemetry's {@code TraceIdRatioBased}
   * rule (absolute value of the low 64 bits of the trace id below {@code ratio × Long.MAX_VALUE}),
   * so processes using either library agree on the same trace. Ignores the parent; wrap it in
   * {@link #parentBased(Sampler)} to follow upstream decisions.
   *
   * @param ratio in [0, 1]
   * @throws IllegalArgumentException outside [0, 1] or NaN
   */
  static Sampler traceIdRatio(double ratio) {
    return new Samplers.TraceIdRatio(ratio);
  }

  /**
   * Follows the parent's sampled flag when there is a parent, and asks {@code root} for new traces.
   */
  static Sampler parentBased(Sampler root) {
    return new Samplers.ParentBased(root, alwaysOn(), alwaysOff(), alwaysOn(), alwaysOff());
  }

  /**
   * Parent-based with a sampler for each parent case, as OpenTelemetry's {@code ParentBased}
   * builder allows (e.g. re-deciding for remote parents at an untrusted edge).
   */
  static Sampler parentBased(
      Sampler root,
      Sampler remoteParentSampled,
      Sampler remoteParentNotSampled,
      Sampler localParentSampled,
      Sampler localParentNotSampled) {
    return new Samplers.ParentBased(
        root,
        remoteParentSampled,
        remoteParentNotSampled,
        localParentSampled,
        localParentNotSampled);
  }

  /**
   * The sampler named as in OpenTelemetry's {@code OTEL_TRACES_SAMPLER} / {@code
   * OTEL_TRACES_SAMPLER_ARG}: {@code always_on}, {@code always_off}, {@code traceidratio}, {@code
   * parentbased_always_on}, {@code parentbased_always_off}, {@code parentbased_traceidratio}, and
   * Cairn's {@code ratelimited} and {@code parentbased_ratelimited} (argument: traces per second).
   * The ratio defaults to 1.0 and the rate to 100 when {@code arg} is null or blank.
   *
   * @throws IllegalArgumentException for an unknown name or a malformed argument, naming both
   */
  static Sampler parse(String name, String arg) {
    return Samplers.parse(name, arg);
  }

  /**
   * Samples at most {@code tracesPerSecond} new decisions per second (a smooth rate with a burst of
   * one second's worth), lock-free. Use it as the root of {@link #parentBased(Sampler)} to cap new
   * traces, or alone to cap everything including forced upstream decisions.
   *
   * @param tracesPerSecond &gt; 0
   */
  static Sampler rateLimited(double tracesPerSecond) {
    return new Samplers.RateLimited(tracesPerSecond, System::nanoTime);
  }
}
