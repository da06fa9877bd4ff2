package dev.cairn.jfr.testing;

import dev.cairn.Cairn;
import dev.cairn.jfr.CairnJfr;
import dev.cairn.span.Span;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;

/**
 * A child JVM for {@link OptionalAssertJTest}, on a class path without AssertJ: the smallest
 * documented setup of cairn-jfr, then the test kit. Uses no AssertJ type itself.
 */
public final class OptionalAssertJChild {
  private OptionalAssertJChild() {}

  public static void main(String[] args) {
    try (CairnJfr jfr = CairnJfr.builder().build();
        JfrCapture capture = JfrCapture.start()) {
      Cairn cairn = Cairn.builder().shutdownHook(false).addSpanListener(jfr.spanListener()).build();
      Span span = cairn.tracer().startSpan("GET /orders");
      span.end();
      cairn.close();
      List<RecordedEvent> events = capture.stop();
      System.out.println("started, spans recorded: " + events.stream()
          .filter(e -> e.getEventType().getName().equals("cairn.Span")).count());
      try {
        JfrAssertions.assertThat(events).hasEvent("cairn.Span");
        System.out.println("assertions ran");
      } catch (IllegalStateException e) {
        System.out.println("test kit: " + e.getMessage());
      }
    }
    System.out.println("closed");
  }
}
