package dev.cairn.span;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;

/**
 * An unsampled span when nothing local would see it (no listener, no synchronous sink): it records
 * nothing but carries its context, so the trace and its "not sampled" decision still propagate to
 * children and downstream services.
 */
final class PropagatingSpan implements Span {
  private final TraceContext context;

  PropagatingSpan(TraceContext context) {
    this.context = context;
  }

  @Override
  public TraceContext context() {
    return context;
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
    return context.makeCurrent();
  }

  @Override
  public String toString() {
    return "PropagatingSpan[" + context + "]";
  }

}
