package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.Cairn;
import dev.cairn.span.SpanBuilder;
import dev.cairn.span.Tracer;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The tracer of the {@link Cairn} bean, looked up on first use rather than when the observation
 * handler is created: the handler is needed to build the {@code ObservationRegistry}, and an
 * application that declares its {@code Cairn} bean in a configuration class which also needs an
 * observed client (a {@code RestClient.Builder}) would otherwise form a creation cycle.
 */
final class LazyTracer implements Tracer {
  private final ObjectProvider<Cairn> cairn;
  private volatile Tracer delegate;

  LazyTracer(ObjectProvider<Cairn> cairn) {
    this.cairn = cairn;
  }

  @Override
  public SpanBuilder spanBuilder(String name) {
    Tracer t = delegate;
    if (t == null) {
      Cairn c = cairn.getIfAvailable();
      t = c == null ? Tracer.noop() : c.tracer("dev.cairn.spring");
      delegate = t;
    }
    return t.spanBuilder(name);
  }
}
