package dev.cairn.span;

import dev.cairn.context.TraceContext;
import java.util.Objects;

/** A link from a span to another span context (for example a batch consumer to its messages). */
public final class LinkData {
  private final TraceContext context;
  private final Attributes attributes;
  private final int droppedAttributesCount;

  private LinkData(TraceContext context, Attributes attributes, int dropped) {
    this.context = context;
    this.attributes = attributes;
    this.droppedAttributesCount = dropped;
  }

  /** A link. */
  public static LinkData of(TraceContext context, Attributes attributes) {
    return new LinkData(
        Objects.requireNonNull(context, "context"),
        Objects.requireNonNull(attributes, "attributes"),
        0);
  }

  static LinkData trusted(TraceContext context, Attributes attributes, int dropped) {
    return new LinkData(context, attributes, dropped);
  }

  /** The linked span's context. */
  public TraceContext context() {
    return context;
  }

  /** Attributes of the link. */
  public Attributes attributes() {
    return attributes;
  }

  /** Attributes dropped by the span limits. */
  public int droppedAttributesCount() {
    return droppedAttributesCount;
  }

  @Override
  public String toString() {
    return "Link[" + context + " " + attributes + "]";
  }
}
