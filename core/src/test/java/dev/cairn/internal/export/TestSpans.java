package dev.cairn.internal.export;

import dev.cairn.context.TraceContext;
import dev.cairn.context.TraceState;
import dev.cairn.pipeline.Pipeline;
import dev.cairn.span.Attributes;
import dev.cairn.span.Span;
import dev.cairn.span.SpanData;
import dev.cairn.span.SpanKind;
import dev.cairn.span.StatusCode;
import dev.cairn.span.Tracer;
import dev.cairn.span.Tracing;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Real spans from Cairn's own tracer, collected by a synchronous sink. */
public final class TestSpans {
  public final List<SpanData> ended = new CopyOnWriteArrayList<>();
  private final Tracing tracing =
      Tracing.builder().pipeline(Pipeline.<SpanData>builder("spans").addSink(ended::add).build()).build();

  public Tracer tracer(String scope, String version) {
    return tracing.tracer(scope, version);
  }

  /** A server span with every kind of content: typed attributes, arrays, events, a link, error. */
  public SpanData rich() {
    TraceContext linked = TraceContext.newRoot(true);
    TraceContext remoteParent =
        TraceContext.builder()
            .traceId(0x0af7651916cd43ddL, 0x8448eb211c80319cL)
            .spanId(0xb7ad6b7169203331L)
            .traceFlags(TraceContext.FLAG_SAMPLED)
            .traceState(TraceState.empty().with("congo", "t61rcWkgMzE"))
            .remote(true)
            .build();
    Span span =
        tracer("dev.cairn.test", "1.2.3")
            .spanBuilder("GET /orders/{id}")
            .setParent(remoteParent)
            .setKind(SpanKind.SERVER)
            .setAttribute("http.request.method", "GET")
            .setAttribute("http.response.status_code", 500L)
            .setAttribute("ratio", 0.25)
            .setAttribute("cached", false)
            .addLink(linked, Attributes.of("link.kind", "follows"))
            .setStartTimestamp(1_700_000_000_123_456_789L)
            .startSpan();
    span.setAttribute("tags", new String[] {"a", "b\"quoted\""});
    span.setAttribute("sizes", new long[] {1, 2, 3});
    span.setAttribute("weird", "line\nbreak \u2028 \uD800 end");
    span.addEvent("cache.miss", Attributes.of("key", "order:42"), 1_700_000_000_200_000_000L);
    span.setStatus(StatusCode.ERROR, "database down");
    span.end(1_700_000_000_523_456_789L);
    return last();
  }

  public SpanData simple(String name) {
    tracer("dev.cairn.test", "1.2.3").startSpan(name).end();
    return last();
  }

  public SpanData last() {
    return ended.get(ended.size() - 1);
  }
}
