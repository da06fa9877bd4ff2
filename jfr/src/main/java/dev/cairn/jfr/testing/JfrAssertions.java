package dev.cairn.jfr.testing;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import jdk.jfr.consumer.RecordedEvent;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * AssertJ-style assertions on captured JFR events (see {@link JfrCapture}). Needs {@code
 * org.assertj:assertj-core} on the test class path (it is an optional dependency of this module).
 *
 * <pre>{@code
 * JfrAssertions.assertThat(jfr.events())
 *     .hasEvent("cairn.Span")
 *     .span("checkout").hasField("kind", "SERVER").lastedAtLeast(Duration.ofMillis(100));
 * }</pre>
 */
public final class JfrAssertions {
  static final String MISSING =
      "dev.cairn.jfr.testing.JfrAssertions needs org.assertj:assertj-core on the test class path"
          + " (an optional dependency of cairn-jfr): add it with <scope>test</scope>";

  private JfrAssertions() {}

  /**
   * Assertions on a list of recorded events.
   *
   * @throws IllegalStateException saying what to add when AssertJ is not on the class path
   */
  public static EventsAssert assertThat(List<RecordedEvent> events) {
    requireAssertJ();
    return new EventsAssert(events);
  }

  /**
   * Assertions on one recorded event.
   *
   * @throws IllegalStateException saying what to add when AssertJ is not on the class path
   */
  public static EventAssert assertThat(RecordedEvent event) {
    requireAssertJ();
    return new EventAssert(event);
  }

  /**
   * Checked before an assertion class (an AssertJ subclass) is loaded: otherwise the caller gets a
   * bare {@code NoClassDefFoundError} for an AssertJ type it never named.
   */
  private static void requireAssertJ() {
    try {
      Class.forName(
          "org.assertj.core.api.AbstractAssert", false, JfrAssertions.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(MISSING);
    }
  }

  /** Assertions on what a capture recorded. */
  public static final class EventsAssert extends AbstractAssert<EventsAssert, List<RecordedEvent>> {
    EventsAssert(List<RecordedEvent> actual) {
      super(actual, EventsAssert.class);
    }

    /** At least one event of this type was recorded. */
    public EventsAssert hasEvent(String type) {
      isNotNull();
      if (ofType(type).isEmpty()) {
        failWithMessage("Expected a <%s> event but the capture holds only %s", type, types());
      }
      return this;
    }

    /** No event of this type was recorded. */
    public EventsAssert hasNoEvent(String type) {
      isNotNull();
      List<RecordedEvent> found = ofType(type);
      if (!found.isEmpty()) {
        failWithMessage("Expected no <%s> event but found %d, first: %s", type, found.size(), found.get(0));
      }
      return this;
    }

    /** The events of one type, as an AssertJ list for anything else. */
    public ListAssert<RecordedEvent> events(String type) {
      isNotNull();
      return Assertions.assertThat(ofType(type));
    }

    /** The one {@code cairn.Span} with this name; fails if there is none or several. */
    public EventAssert span(String name) {
      return new EventAssert(theSpan(name));
    }

    private RecordedEvent theSpan(String name) {
      isNotNull();
      List<RecordedEvent> spans =
          ofType("cairn.Span").stream().filter(e -> name.equals(e.getString("name"))).toList();
      if (spans.size() != 1) {
        failWithMessage("Expected exactly one cairn.Span named <%s> but found %d", name, spans.size());
      }
      return spans.get(0);
    }

    /** Events of {@code type} on the thread that recorded {@code span} while it was open. */
    public ListAssert<RecordedEvent> duringSpan(String span, String type) {
      RecordedEvent s = theSpan(span);
      long tid = s.getThread() == null ? -1 : s.getThread().getJavaThreadId();
      return Assertions.assertThat(ofType(type).stream()
          .filter(e -> e.getThread() != null && e.getThread().getJavaThreadId() == tid)
          .filter(e -> !e.getStartTime().isBefore(s.getStartTime())
              && !e.getEndTime().isAfter(s.getEndTime()))
          .toList());
    }

    private List<RecordedEvent> ofType(String type) {
      return actual.stream().filter(e -> e.getEventType().getName().equals(type)).toList();
    }

    private List<String> types() {
      return actual.stream().map(e -> e.getEventType().getName()).distinct().sorted().toList();
    }
  }

  /** Assertions on one recorded event. */
  public static final class EventAssert extends AbstractAssert<EventAssert, RecordedEvent> {
    EventAssert(RecordedEvent actual) {
      super(actual, EventAssert.class);
    }

    /** The field exists and its value equals {@code expected} (compared as text for strings). */
    public EventAssert hasField(String field, Object expected) {
      isNotNull();
      if (!actual.hasField(field)) {
        failWithMessage("Expected <%s> to have field <%s>", actual.getEventType().getName(), field);
      }
      Object value = actual.getValue(field);
      if (!Objects.equals(value, expected) && !Objects.equals(String.valueOf(value), String.valueOf(expected))) {
        failWithMessage("Expected field <%s> to be <%s> but was <%s>", field, expected, value);
      }
      return this;
    }

    /** The event's duration is at least {@code min}. */
    public EventAssert lastedAtLeast(Duration min) {
      isNotNull();
      if (actual.getDuration().compareTo(min) < 0) {
        failWithMessage("Expected <%s> to last at least %s but it lasted %s",
            actual.getEventType().getName(), min, actual.getDuration());
      }
      return this;
    }
  }
}
