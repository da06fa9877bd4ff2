package dev.cairn.span;

import dev.cairn.context.TraceContext;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** The built-in samplers. */
final class Samplers {
  private Samplers() {}

  static Sampler parse(String name, String arg) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("sampler name must not be blank");
    }
    String n = name.trim().toLowerCase(java.util.Locale.ROOT);
    switch (n) {
      case "always_on":
        return ALWAYS_ON;
      case "always_off":
        return ALWAYS_OFF;
      case "traceidratio":
        return new TraceIdRatio(number(n, arg, 1.0));
      case "parentbased_always_on":
        return Sampler.parentBased(ALWAYS_ON);
      case "parentbased_always_off":
        return Sampler.parentBased(ALWAYS_OFF);
      case "parentbased_traceidratio":
        return Sampler.parentBased(new TraceIdRatio(number(n, arg, 1.0)));
      case "ratelimited":
        return Sampler.rateLimited(number(n, arg, 100));
      case "parentbased_ratelimited":
        return Sampler.parentBased(Sampler.rateLimited(number(n, arg, 100)));
      default:
        throw new IllegalArgumentException(
            "unknown sampler '" + name + "'; expected always_on, always_off, traceidratio,"
                + " parentbased_always_on, parentbased_always_off, parentbased_traceidratio,"
                + " ratelimited or parentbased_ratelimited");
    }
  }

  private static double number(String sampler, String arg, double dflt) {
    if (arg == null || arg.isBlank()) {
      return dflt;
    }
    try {
      return Double.parseDouble(arg.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "sampler " + sampler + " needs a number argument, got '" + arg + "'", e);
    }
  }

  static final Sampler ALWAYS_ON = new Constant(true);
  static final Sampler ALWAYS_OFF = new Constant(false);

  static final class Constant implements Sampler {
    private final boolean decision;

    Constant(boolean decision) {
      this.decision = decision;
    }

    @Override
    public boolean shouldSample(TraceContext p, long hi, long lo, String n, SpanKind k) {
      return decision;
    }

    @Override
    public String description() {
      return decision ? "AlwaysOnSampler" : "AlwaysOffSampler";
    }

    @Override
    public String toString() {
      return description();
    }
  }

  static final class TraceIdRatio implements Sampler {
    private final double ratio;
    private final long upperBound;

    TraceIdRatio(double ratio) {
      if (!(ratio >= 0.0 && ratio <= 1.0)) {
        throw new IllegalArgumentException("sampling ratio must be in [0, 1]: " + ratio);
      }
      this.ratio = ratio;
      // The same bound as OpenTelemetry's TraceIdRatioBased, so both libraries agree per trace id.
      if (ratio == 0.0) {
        upperBound = Long.MIN_VALUE;
      } else if (ratio == 1.0) {
        upperBound = Long.MAX_VALUE;
      } else {
        upperBound = (long) (ratio * Long.MAX_VALUE);
      }
    }

    @Override
    public boolean shouldSample(TraceContext p, long hi, long lo, String n, SpanKind k) {
      return Math.abs(lo) < upperBound;
    }

    @Override
    public String description() {
      return "TraceIdRatioBased{" + ratio + "}";
    }

    @Override
    public String toString() {
      return description();
    }
  }

  static final class ParentBased implements Sampler {
    private final Sampler root;
    private final Sampler remoteSampled;
    private final Sampler remoteNotSampled;
    private final Sampler localSampled;
    private final Sampler localNotSampled;

    ParentBased(Sampler root, Sampler rs, Sampler rn, Sampler ls, Sampler ln) {
      this.root = Objects.requireNonNull(root, "root");
      this.remoteSampled = Objects.requireNonNull(rs, "remoteParentSampled");
      this.remoteNotSampled = Objects.requireNonNull(rn, "remoteParentNotSampled");
      this.localSampled = Objects.requireNonNull(ls, "localParentSampled");
      this.localNotSampled = Objects.requireNonNull(ln, "localParentNotSampled");
    }

    @Override
    public boolean shouldSample(TraceContext parent, long hi, long lo, String n, SpanKind k) {
      Sampler s;
      if (!parent.isValid()) {
        s = root;
      } else if (parent.isRemote()) {
        s = parent.isSampled() ? remoteSampled : remoteNotSampled;
      } else {
        s = parent.isSampled() ? localSampled : localNotSampled;
      }
      return s.shouldSample(parent, hi, lo, n, k);
    }

    @Override
    public String description() {
      return "ParentBased{root="
          + root.description()
          + ",remoteParentSampled="
          + remoteSampled.description()
          + ",remoteParentNotSampled="
          + remoteNotSampled.description()
          + ",localParentSampled="
          + localSampled.description()
          + ",localParentNotSampled="
          + localNotSampled.description()
          + "}";
    }

    @Override
    public String toString() {
      return description();
    }
  }

  /**
   * Generic cell rate algorithm: a "theoretical arrival time" advances by one interval per accepted
   * decision; a decision is accepted while that time is no more than one second ahead of now. One
   * CAS per accepted decision, nothing allocated.
   */
  static final class RateLimited implements Sampler {
    private final double perSecond;
    private final long intervalNanos;
    private final long burstNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong tat;

    RateLimited(double perSecond, LongSupplier nanoTime) {
      if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
        throw new IllegalArgumentException("traces per second must be > 0 and finite: " + perSecond);
      }
      this.perSecond = perSecond;
      this.intervalNanos = Math.max(1L, (long) (1_000_000_000L / perSecond));
      // Allow one second's worth at once, but at least one decision.
      this.burstNanos = Math.max(intervalNanos, 1_000_000_000L);
      this.nanoTime = nanoTime;
      this.tat = new AtomicLong(nanoTime.getAsLong() - burstNanos);
    }

    @Override
    public boolean shouldSample(TraceContext p, long hi, long lo, String n, SpanKind k) {
      long now = nanoTime.getAsLong();
      while (true) {
        long t = tat.get();
        long base = t - now < -burstNanos ? now - burstNanos : t; // idle time does not bank more
        long next = base + intervalNanos;
        if (next - now > 0) {
          return false;
        }
        if (tat.compareAndSet(t, next)) {
          return true;
        }
      }
    }

    @Override
    public String description() {
      return "RateLimited{" + perSecond + "/s}";
    }

    @Override
    public String toString() {
      return description();
    }
  }
}
