package dev.cairn.span;

/**
 * Caps on what one span may hold, so a loop that adds attributes or events cannot grow memory
 * without bound. Anything beyond a cap is dropped (attributes: new keys; events and links: the
 * newest) or truncated (string values), and counted in {@code cairn.span.truncated{reason}} and in
 * the span's own dropped counts. Immutable.
 *
 * <p>Defaults: 128 attributes, 128 events, 128 links, 128 attributes per event or link (as in
 * OpenTelemetry), and string values cut at 8192 characters (OpenTelemetry has no default length
 * cap; an unbounded exception message or SQL text is the usual way a span grows to megabytes).
 */
public final class SpanLimits {
  private static final SpanLimits DEFAULTS = builder().build();

  private final int maxAttributes;
  private final int maxEvents;
  private final int maxLinks;
  private final int maxAttributesPerEvent;
  private final int maxAttributesPerLink;
  private final int maxAttributeValueLength;

  private SpanLimits(Builder b) {
    this.maxAttributes = b.maxAttributes;
    this.maxEvents = b.maxEvents;
    this.maxLinks = b.maxLinks;
    this.maxAttributesPerEvent = b.maxAttributesPerEvent;
    this.maxAttributesPerLink = b.maxAttributesPerLink;
    this.maxAttributeValueLength = b.maxAttributeValueLength;
  }

  /** The defaults. */
  public static SpanLimits defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Most attributes on one span. */
  public int maxAttributes() {
    return maxAttributes;
  }

  /** Most events on one span. */
  public int maxEvents() {
    return maxEvents;
  }

  /** Most links on one span. */
  public int maxLinks() {
    return maxLinks;
  }

  /** Most attributes on one event. */
  public int maxAttributesPerEvent() {
    return maxAttributesPerEvent;
  }

  /** Most attributes on one link. */
  public int maxAttributesPerLink() {
    return maxAttributesPerLink;
  }

  /** Longest string value (and longest element of a string array), in UTF-16 chars. */
  public int maxAttributeValueLength() {
    return maxAttributeValueLength;
  }

  @Override
  public String toString() {
    return "SpanLimits{attributes="
        + maxAttributes
        + ", events="
        + maxEvents
        + ", links="
        + maxLinks
        + ", attributesPerEvent="
        + maxAttributesPerEvent
        + ", attributesPerLink="
        + maxAttributesPerLink
        + ", valueLength="
        + maxAttributeValueLength
        + "}";
  }

  /** Builds {@link SpanLimits}; every value must be ≥ 0 (0 disables the item). */
  public static final class Builder {
    private int maxAttributes = 128;
    private int maxEvents = 128;
    private int maxLinks = 128;
    private int maxAttributesPerEvent = 128;
    private int maxAttributesPerLink = 128;
    private int maxAttributeValueLength = 8192;

    private Builder() {}

    private static int check(String what, int v) {
      if (v < 0) {
        throw new IllegalArgumentException(what + " must be >= 0: " + v);
      }
      return v;
    }

    /** Most attributes on one span (default 128). */
    public Builder maxAttributes(int n) {
      maxAttributes = check("maxAttributes", n);
      return this;
    }

    /** Most events on one span (default 128). */
    public Builder maxEvents(int n) {
      maxEvents = check("maxEvents", n);
      return this;
    }

    /** Most links on one span (default 128). */
    public Builder maxLinks(int n) {
      maxLinks = check("maxLinks", n);
      return this;
    }

    /** Most attributes on one event (default 128). */
    public Builder maxAttributesPerEvent(int n) {
      maxAttributesPerEvent = check("maxAttributesPerEvent", n);
      return this;
    }

    /** Most attributes on one link (default 128). */
    public Builder maxAttributesPerLink(int n) {
      maxAttributesPerLink = check("maxAttributesPerLink", n);
      return this;
    }

    /** Longest string value in chars (default 8192). */
    public Builder maxAttributeValueLength(int n) {
      maxAttributeValueLength = check("maxAttributeValueLength", n);
      return this;
    }

    /** The limits. */
    public SpanLimits build() {
      return new SpanLimits(this);
    }
  }
}
