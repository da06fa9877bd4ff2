package dev.cairn.span;

import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;

/** The span package's own health counters. */
final class SpanCounters {
  private SpanCounters() {}

  static final SelfCounter ATTRIBUTES_DROPPED = truncated("attribute_count");
  static final SelfCounter VALUE_TRUNCATED = truncated("attribute_value_length");
  static final SelfCounter EVENTS_DROPPED = truncated("event_count");
  static final SelfCounter LINKS_DROPPED = truncated("link_count");
  static final SelfCounter EVENT_ATTRIBUTES_DROPPED = truncated("event_attribute_count");
  static final SelfCounter LINK_ATTRIBUTES_DROPPED = truncated("link_attribute_count");
  static final SelfCounter INVALID_INPUT = truncated("invalid_input");

  static final SelfCounter SAMPLER_FAILED =
      SelfCounters.GLOBAL.counter(
          "cairn.span.sampler.failed",
          "Exceptions thrown by samplers, contained (the span followed its parent's decision)",
          "events");

  static final SelfCounter INTERNAL_ERROR =
      SelfCounters.GLOBAL.counter(
          "cairn.span.internal.errors",
          "Unexpected exceptions inside the tracer, contained (the call became a no-op)",
          "events");

  private static SelfCounter truncated(String reason) {
    return SelfCounters.GLOBAL.counter(
        "cairn.span.truncated",
        "Span content dropped or cut by the span limits, or ignored as invalid (null keys/values)",
        "items",
        "reason",
        reason);
  }
}
