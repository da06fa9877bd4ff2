package dev.cairn.span;

import dev.cairn.context.TraceContext;
import dev.cairn.context.TraceState;
import dev.cairn.internal.ContextInternals;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.Ids;
import java.util.ArrayList;

/** Builds one recording (or propagating) span. */
final class CairnSpanBuilder implements SpanBuilder {
  private final CairnTracer tracer;
  private final SpanLimits limits;
  private final String name;
  private TraceContext parent;
  private boolean noParent;
  private SpanKind kind = SpanKind.INTERNAL;
  private AttrList attributes;
  private ArrayList<LinkData> links;
  private int droppedLinks;
  private long startEpochNanos = -1;

  CairnSpanBuilder(CairnTracer tracer, String name) {
    this.tracer = tracer;
    this.limits = tracer.tracing.limits;
    this.name = name;
  }

  @Override
  public SpanBuilder setParent(TraceContext parent) {
    if (parent != null) {
      this.parent = parent;
      this.noParent = false;
    }
    return this;
  }

  @Override
  public SpanBuilder setNoParent() {
    this.noParent = true;
    this.parent = null;
    return this;
  }

  @Override
  public SpanBuilder setKind(SpanKind kind) {
    if (kind != null) {
      this.kind = kind;
    }
    return this;
  }

  private AttrList attrs() {
    AttrList a = attributes;
    if (a == null) {
      a = attributes = new AttrList();
    }
    return a;
  }

  @Override
  public SpanBuilder setAttribute(String key, String value) {
    if (key == null || value == null) {
      SpanCounters.INVALID_INPUT.increment();
      return this;
    }
    RecordingSpan.putLimited(attrs(), key, RecordingSpan.cut(value, limits), AttributeType.STRING, limits);
    return this;
  }

  @Override
  public SpanBuilder setAttribute(String key, long value) {
    if (key == null) {
      SpanCounters.INVALID_INPUT.increment();
      return this;
    }
    RecordingSpan.putLimited(attrs(), key, value, AttributeType.LONG, limits);
    return this;
  }

  @Override
  public SpanBuilder setAttribute(String key, double value) {
    if (key == null) {
      SpanCounters.INVALID_INPUT.increment();
      return this;
    }
    RecordingSpan.putLimited(attrs(), key, value, AttributeType.DOUBLE, limits);
    return this;
  }

  @Override
  public SpanBuilder setAttribute(String key, boolean value) {
    if (key == null) {
      SpanCounters.INVALID_INPUT.increment();
      return this;
    }
    RecordingSpan.putLimited(attrs(), key, value, AttributeType.BOOLEAN, limits);
    return this;
  }

  @Override
  public SpanBuilder addLink(TraceContext context) {
    return addLink(context, Attributes.empty());
  }

  @Override
  public SpanBuilder addLink(TraceContext context, Attributes attributes) {
    if (context == null || attributes == null) {
      SpanCounters.INVALID_INPUT.increment();
      return this;
    }
    if (links == null) {
      links = new ArrayList<>(2);
    }
    if (links.size() >= limits.maxLinks()) {
      droppedLinks++;
      SpanCounters.LINKS_DROPPED.increment();
      return this;
    }
    links.add(RecordingSpan.link(context, attributes, limits));
    return this;
  }

  @Override
  public SpanBuilder setStartTimestamp(long epochNanos) {
    if (epochNanos > 0) {
      this.startEpochNanos = epochNanos;
    }
    return this;
  }

  @Override
  public Span startSpan() {
    try {
      Tracing t = tracer.tracing;
      if (t.closed) {
        return NoopSpan.INSTANCE;
      }
      TraceContext p = parent != null ? parent : TraceContext.current();
      boolean hasParent = !noParent && p.isValid();
      long hi;
      long lo;
      if (hasParent) {
        hi = p.traceIdHigh();
        lo = p.traceIdLow();
      } else {
        hi = Ids.any();
        lo = Ids.nonZero();
      }
      boolean sampled = t.sample(hasParent ? p : TraceContext.empty(), hi, lo, name, kind);
      int flags =
          hasParent
              ? (p.traceFlags() & ~TraceContext.FLAG_SAMPLED)
              : TraceContext.FLAG_RANDOM;
      if (sampled) {
        flags |= TraceContext.FLAG_SAMPLED;
      }
      TraceContext ctx =
          ContextInternals.traceContext(
              hi,
              lo,
              Ids.nonZero(),
              hasParent ? p.spanId() : 0,
              flags,
              hasParent ? p.traceState() : TraceState.empty(),
              p.correlationIdOrEmpty(),
              p.baggage(),
              false);
      if (!sampled && !t.recordsUnsampled) {
        return new PropagatingSpan(ctx);
      }
      long nanoTime = System.nanoTime();
      long start = startEpochNanos > 0 ? startEpochNanos : t.epochNanosAt(nanoTime);
      RecordingSpan span =
          new RecordingSpan(
              tracer, ctx, hasParent && p.isRemote(), name, kind, start, nanoTime, attributes,
              links, droppedLinks);
      if (t.listeners.length > 0) {
        t.onStart(span);
      }
      return span;
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      SpanCounters.INTERNAL_ERROR.increment();
      return NoopSpan.INSTANCE;
    }
  }
}
