package dev.cairn.jfr.internal;

import dev.cairn.span.SpanData;
import dev.cairn.span.SpanListener;
import java.util.function.Consumer;

/**
 * Records every span the tracer records (sampled or not) as a {@code cairn.Span} event, and hands
 * spans slower than a threshold to a callback (the black box's slow-span trigger).
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class JfrSpanListener implements SpanListener {
  private final long slowNanos;
  private final Consumer<SpanData> onSlow;
  private final SlowSpanNames names;

  /**
   * @param slowNanos spans at least this long go to {@code onSlow}; {@code Long.MAX_VALUE} for
   *     never
   * @param names where slow spans' names are kept for stall attribution, or {@code null}
   */
  public JfrSpanListener(long slowNanos, Consumer<SpanData> onSlow, SlowSpanNames names) {
    this.slowNanos = slowNanos;
    this.onSlow = onSlow;
    this.names = names;
  }

  @Override
  public Object onStart(SpanData span) {
    return JfrSinks.spanStart();
  }

  @Override
  public void onEnd(SpanData span, Object state) {
    if (names != null) {
      // Before the event is committed, so the stream that reads it finds the name already here.
      names.ended(
          span.context().spanIdHex(), span.context().traceIdHex(), span.name(),
          span.durationNanos());
    }
    if (state != null) {
      JfrSinks.spanEnd(
          state, span.context(), span.name(), span.kind().name(), span.statusCode().name());
    }
    if (slowNanos != Long.MAX_VALUE && span.durationNanos() >= slowNanos) {
      onSlow.accept(span);
    }
  }
}
