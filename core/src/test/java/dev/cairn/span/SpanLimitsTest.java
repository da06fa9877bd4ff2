package dev.cairn.span;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.SelfCounters;
import dev.cairn.pipeline.Pipeline;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SpanLimitsTest {
  private final List<SpanData> finished = new CopyOnWriteArrayList<>();

  private Tracer tracer(SpanLimits limits) {
    return Tracing.builder()
        .limits(limits)
        .pipeline(Pipeline.<SpanData>builder("spans").addSink(finished::add).build())
        .build()
        .tracer("limits");
  }

  private static long truncated(String reason) {
    return SelfCounters.GLOBAL.counter("cairn.span.truncated", "", "", "reason", reason).count();
  }

  @Test
  void attributesBeyondTheLimit_areDroppedAndCounted() {
    long before = truncated("attribute_count");
    Span span = tracer(SpanLimits.builder().maxAttributes(2).build()).startSpan("x");
    span.setAttribute("a", 1L).setAttribute("b", 2L).setAttribute("c", 3L).setAttribute("a", 9L);
    span.end();
    SpanData d = finished.get(0);
    assertThat(d.attributes().asMap()).containsOnlyKeys("a", "b").containsEntry("a", 9L);
    assertThat(d.droppedAttributesCount()).isEqualTo(1);
    assertThat(truncated("attribute_count") - before).isEqualTo(1);
  }

  @Test
  void longStringValues_areCutWithoutSplittingASurrogatePairAndCounted() {
    long before = truncated("attribute_value_length");
    Span span = tracer(SpanLimits.builder().maxAttributeValueLength(4).build()).startSpan("x");
    span.setAttribute("ascii", "abcdefgh");
    span.setAttribute("emoji", "abc\uD83D\uDE00"); // cut at 4 would split the pair
    span.setAttribute("array", new String[] {"short", "ok"});
    span.end();
    assertThat(finished.get(0).attributes().asMap())
        .containsEntry("ascii", "abcd")
        .containsEntry("emoji", "abc")
        .containsEntry("array", List.of("shor", "ok"));
    assertThat(truncated("attribute_value_length") - before).isEqualTo(3);
  }

  @Test
  void eventsAndLinksBeyondTheLimit_areDroppedAndCounted() {
    long events = truncated("event_count");
    long links = truncated("link_count");
    Span span =
        tracer(SpanLimits.builder().maxEvents(2).maxLinks(1).build())
            .spanBuilder("x")
            .addLink(TraceContext.newRoot(true))
            .addLink(TraceContext.newRoot(true))
            .startSpan();
    for (int i = 0; i < 5; i++) {
      span.addEvent("e" + i);
    }
    span.addLink(TraceContext.newRoot(true));
    span.end();
    SpanData d = finished.get(0);
    assertThat(d.events()).extracting(EventData::name).containsExactly("e0", "e1");
    assertThat(d.droppedEventsCount()).isEqualTo(3);
    assertThat(d.links()).hasSize(1);
    assertThat(d.droppedLinksCount()).isEqualTo(2);
    assertThat(truncated("event_count") - events).isEqualTo(3);
    assertThat(truncated("link_count") - links).isEqualTo(2);
  }

  @Test
  void eventAttributesBeyondTheLimit_areDroppedAndCountedOnTheEvent() {
    Span span = tracer(SpanLimits.builder().maxAttributesPerEvent(1).build()).startSpan("x");
    span.addEvent("e", Attributes.of("a", "1", "b", "2"));
    span.end();
    EventData e = finished.get(0).events().get(0);
    assertThat(e.attributes().asMap()).containsOnlyKeys("a");
    assertThat(e.droppedAttributesCount()).isEqualTo(1);
  }

  @Test
  void exceptionStackTraces_areBoundedByTheValueLength() {
    Span span = tracer(SpanLimits.builder().maxAttributeValueLength(100).build()).startSpan("x");
    span.recordException(new RuntimeException(new RuntimeException(new RuntimeException("deep"))));
    span.end();
    String stack =
        (String) finished.get(0).events().get(0).attributes().get("exception.stacktrace").orElseThrow();
    assertThat(stack).hasSize(100);
  }

  @Test
  void negativeLimits_areRejectedWithAPreciseMessage() {
    assertThatThrownBy(() -> SpanLimits.builder().maxEvents(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEvents");
  }
}
