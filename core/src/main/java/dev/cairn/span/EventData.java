package dev.cairn.span;

import java.util.Objects;

/** A timestamped event of a span: a name, a time (ns since the epoch) and attributes. Immutable. */
public final class EventData {
  private final String name;
  private final long epochNanos;
  private final Attributes attributes;
  private final int droppedAttributesCount;

  private EventData(String name, long epochNanos, Attributes attributes, int dropped) {
    this.name = name;
    this.epochNanos = epochNanos;
    this.attributes = attributes;
    this.droppedAttributesCount = dropped;
  }

  /** An event. */
  public static EventData of(String name, long epochNanos, Attributes attributes) {
    return new EventData(
        Objects.requireNonNull(name, "name"),
        epochNanos,
        Objects.requireNonNull(attributes, "attributes"),
        0);
  }

  static EventData trusted(String name, long epochNanos, Attributes attributes, int dropped) {
    return new EventData(name, epochNanos, attributes, dropped);
  }

  /** The event name ({@code "exception"} for a recorded exception). */
  public String name() {
    return name;
  }

  /** When it happened, in nanoseconds since the Unix epoch. */
  public long epochNanos() {
    return epochNanos;
  }

  /** Its attributes. */
  public Attributes attributes() {
    return attributes;
  }

  /** Attributes dropped by the span limits. */
  public int droppedAttributesCount() {
    return droppedAttributesCount;
  }

  @Override
  public String toString() {
    return "Event[" + name + " @" + epochNanos + " " + attributes + "]";
  }
}
