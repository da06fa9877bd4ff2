package dev.cairn.span;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;

/** The disabled span: shared, stateless, allocation-free. */
enum NoopSpan implements Span {
  INSTANCE;

  static final Tracer TRACER = NoopTracer.INSTANCE;

  @Override
  public TraceContext context() {
    return TraceContext.empty();
  }

  @Override
  public boolean isRecording() {
    return false;
  }

  @Override
  public Span setAttribute(String key, String value) {
    return this;
  }

  @Override
  public Span setAttribute(String key, long value) {
    return this;
  }

  @Override
  public Span setAttribute(String key, double value) {
    return this;
  }

  @Override
  public Span setAttribute(String key, boolean value) {
    return this;
  }

  @Override
  public Span setAttribute(String key, String[] values) {
    return this;
  }

  @Override
  public Span setAttribute(String key, long[] values) {
    return this;
  }

  @Override
  public Span setAttribute(String key, double[] values) {
    return this;
  }

  @Override
  public Span setAttribute(String key, boolean[] values) {
    return this;
  }

  @Override
  public Span addEvent(String name) {
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes) {
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes, long epochNanos) {
    return this;
  }

  @Override
  public Span addLink(TraceContext context) {
    return this;
  }

  @Override
  public Span addLink(TraceContext context, Attributes attributes) {
    return this;
  }

  @Override
  public Span setStatus(StatusCode code) {
    return this;
  }

  @Override
  public Span setStatus(StatusCode code, String description) {
    return this;
  }

  @Override
  public Span recordException(Throwable exception) {
    return this;
  }

  @Override
  public Span recordException(Throwable exception, Attributes attributes) {
    return this;
  }

  @Override
  public Span updateName(String name) {
    return this;
  }

  @Override
  public void end() {}

  @Override
  public void end(long epochNanos) {}

  @Override
  public Scope makeCurrent() {
    return Scope.noop();
  }

  @Override
  public String toString() {
    return "NoopSpan";
  }

  enum NoopTracer implements Tracer {
    INSTANCE;

    @Override
    public SpanBuilder spanBuilder(String name) {
      return NoopBuilder.INSTANCE;
    }

    @Override
    public Span startSpan(String name) {
      return NoopSpan.INSTANCE;
    }
  }

  enum NoopBuilder implements SpanBuilder {
    INSTANCE;

    @Override
    public SpanBuilder setParent(TraceContext parent) {
      return this;
    }

    @Override
    public SpanBuilder setNoParent() {
      return this;
    }

    @Override
    public SpanBuilder setKind(SpanKind kind) {
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, String value) {
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, long value) {
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, double value) {
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, boolean value) {
      return this;
    }

    @Override
    public SpanBuilder addLink(TraceContext context) {
      return this;
    }

    @Override
    public SpanBuilder addLink(TraceContext context, Attributes attributes) {
      return this;
    }

    @Override
    public SpanBuilder setStartTimestamp(long epochNanos) {
      return this;
    }

    @Override
    public Span startSpan() {
      return NoopSpan.INSTANCE;
    }
  }
}
