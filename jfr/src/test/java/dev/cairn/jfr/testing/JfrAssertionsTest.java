package dev.cairn.jfr.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.context.Scope;
import dev.cairn.jfr.CairnJfr;
import dev.cairn.span.Span;
import dev.cairn.span.SpanKind;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JfrAssertionsTest {
  private CairnJfr jfr;
  private Cairn cairn;

  @BeforeEach
  void cairnWithJfr() {
    jfr = CairnJfr.builder().build();
    cairn = Cairn.builder().shutdownHook(false).addSpanListener(jfr.spanListener()).build();
  }

  @AfterEach
  void close() {
    cairn.close();
    jfr.close();
  }

  private void checkout() throws InterruptedException {
    Span span = cairn.tracer("test").spanBuilder("checkout").setKind(SpanKind.SERVER).startSpan();
    try (Scope s = span.makeCurrent()) {
      Thread.sleep(60);
    } finally {
      span.end();
    }
  }

  @Test
  void findsASpanByNameWithItsFieldsAndDuration() throws Exception {
    try (JfrCapture capture = JfrCapture.start()) {
      checkout();

      JfrAssertions.assertThat(capture.stop())
          .hasEvent("cairn.Span")
          .span("checkout").hasField("kind", "SERVER").lastedAtLeast(Duration.ofMillis(50));
    }
  }

  @Test
  void joinsJdkEventsToTheSpanTheyHappenedIn() throws Exception {
    try (JfrCapture capture = JfrCapture.start("jdk.ThreadSleep")) {
      checkout();
      Thread.sleep(20); // outside the span: must not be joined

      JfrAssertions.assertThat(capture.stop()).duringSpan("checkout", "jdk.ThreadSleep").hasSize(1);
    }
  }

  @Test
  void failsWithTheTypesItDidSeeWhenAnEventIsMissing() throws Exception {
    try (JfrCapture capture = JfrCapture.start()) {
      checkout();
      var events = capture.stop();

      assertThatThrownBy(() -> JfrAssertions.assertThat(events).hasEvent("cairn.Log"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("cairn.Log")
          .hasMessageContaining("cairn.Span");
    }
  }

  @Test
  void hasNoEventFailsWhenOneWasRecorded() throws Exception {
    try (JfrCapture capture = JfrCapture.start()) {
      checkout();
      var events = capture.stop();

      JfrAssertions.assertThat(events).hasNoEvent("cairn.ScopeMisuse");
      assertThatThrownBy(() -> JfrAssertions.assertThat(events).hasNoEvent("cairn.Span"))
          .isInstanceOf(AssertionError.class);
    }
  }

  @Test
  void stopIsIdempotent() throws Exception {
    try (JfrCapture capture = JfrCapture.start()) {
      checkout();
      assertThat(capture.stop()).isSameAs(capture.events());
    }
  }
}
