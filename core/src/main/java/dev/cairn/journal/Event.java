package dev.cairn.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An event read back from a journal: immutable, with where it is stored.
 */
public final class Event {
  private final long position;
  private final long id;
  private final Hlc hlc;
  private final String type;
  private final String key;
  private final PayloadFormat format;
  private final byte[] payload;
  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final String correlationId;
  private final long[] causedBy;
  private final long expectedVersion;
  private final String segment;
  private final long offset;

  Event(
      long position,
      long id,
      Hlc hlc,
      String type,
      String key,
      PayloadFormat format,
      byte[] payload,
      long traceIdHigh,
      long traceIdLow,
      long spanId,
      String correlationId,
      long[] causedBy,
      long expectedVersion,
      String segment,
      long offset) {
    this.position = position;
    this.id = id;
    this.hlc = hlc;
    this.type = type;
    this.key = key;
    this.format = format;
    this.payload = payload;
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.correlationId = correlationId;
    this.causedBy = causedBy;
    this.expectedVersion = expectedVersion;
    this.segment = segment;
    this.offset = offset;
  }

  /** Place in the journal's total order. */
  public long position() {
    return position;
  }

  /** The event id. */
  public long id() {
    return id;
  }

  /** The id as 16 lower-case hex digits. */
  public String idHex() {
    return hex(id);
  }

  /** Hybrid clock timestamp assigned at append. */
  public Hlc hlc() {
    return hlc;
  }

  public String type() {
    return type;
  }

  /** Entity key, or the empty string. */
  public String key() {
    return key;
  }

  public PayloadFormat format() {
    return format;
  }

  /** The payload bytes (a copy). */
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload decoded by {@code codec}. */
  public <T> T payload(Codec<T> codec) {
    return codec.decode(payload.clone());
  }

  /** The payload as UTF-8 text (JSON and text payloads). */
  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  int payloadLength() {
    return payload.length;
  }

  byte[] payloadUnsafe() {
    return payload;
  }

  /** Whether a valid trace context was current when the event was appended. */
  public boolean hasTrace() {
    return (traceIdHigh | traceIdLow) != 0;
  }

  /** Trace id current at append (32 hex digits), or the empty string. */
  public String traceIdHex() {
    return hasTrace() ? hex(traceIdHigh) + hex(traceIdLow) : "";
  }

  /** Span id current at append (16 hex digits), or the empty string. */
  public String spanIdHex() {
    return spanId != 0 ? hex(spanId) : "";
  }

  /** Correlation (request) id current at append, or the empty string. */
  public String correlationId() {
    return correlationId;
  }

  /** Ids of the events that caused this one (a copy). */
  public long[] causedBy() {
    return causedBy.clone();
  }

  /** The entity version the writer had read, or {@link NewEvent#NO_VERSION}. */
  public long expectedVersion() {
    return expectedVersion;
  }

  /** Segment file that holds the record. */
  public String segment() {
    return segment;
  }

  /** Byte offset of the record's frame in {@link #segment()}. */
  public long offset() {
    return offset;
  }

  static String hex(long v) {
    char[] c = new char[16];
    dev.cairn.internal.Hex.write(c, 0, v);
    return new String(c);
  }

  @Override
  public String toString() {
    return "Event{position="
        + position
        + ", type="
        + type
        + ", key="
        + key
        + ", hlc="
        + hlc
        + ", causedBy="
        + Arrays.toString(causedBy)
        + "}";
  }
}
