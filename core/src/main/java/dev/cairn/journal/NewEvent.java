package dev.cairn.journal;

import java.util.Arrays;

/**
 * An event to append: its type, the entity it concerns, its payload and its causal metadata. Built
 * once, appended with {@link Journal#append(NewEvent)}. Building never throws; a payload that cannot
 * be encoded makes the append a counted drop.
 *
 * <pre>{@code
 * journal.append(NewEvent.builder("Withdrawn")
 *     .key("account-42")
 *     .json(Map.of("amount", 30))
 *     .expectedVersion(7)          // the version of account-42 this writer read
 *     .causedBy(requestEventId)
 *     .build());
 * }</pre>
 */
public final class NewEvent {
  /** {@link #expectedVersion()} when none was given. */
  public static final long NO_VERSION = -1;

  private static final long[] NO_IDS = new long[0];

  final String type;
  final String key;
  final Object value;
  final Codec<Object> codec; // null: value is byte[] (binary) or a JSON-able value (json)
  final PayloadFormat format;
  final long[] causedBy;
  final long expectedVersion;

  private NewEvent(Builder b) {
    this.type = b.type;
    this.key = b.key;
    this.value = b.value;
    this.codec = b.codec;
    this.format = b.format;
    this.causedBy = b.causedBy;
    this.expectedVersion = b.expectedVersion;
  }

  /** A builder for an event of {@code type} (for example {@code "OrderPlaced"}). */
  public static Builder builder(String type) {
    return new Builder(type);
  }

  /** The event type. */
  public String type() {
    return type == null ? "" : type;
  }

  /** The entity key, or the empty string. */
  public String key() {
    return key;
  }

  /** Ids of the events that caused this one (a copy). */
  public long[] causedBy() {
    return causedBy.clone();
  }

  /** The entity version the writer read before writing, or {@link #NO_VERSION}. */
  public long expectedVersion() {
    return expectedVersion;
  }

  /** Builds a {@link NewEvent}. Not thread-safe; never throws. */
  public static final class Builder {
    private final String type;
    private String key = "";
    private Object value = new byte[0];
    private Codec<Object> codec;
    private PayloadFormat format = PayloadFormat.BINARY;
    private long[] causedBy = NO_IDS;
    private long expectedVersion = NO_VERSION;

    private Builder(String type) {
      this.type = type;
    }

    /** The entity (aggregate, account, order id) the event is about; empty means none. */
    public Builder key(String key) {
      this.key = key == null ? "" : key;
      return this;
    }

    /** Opaque payload bytes (stored as given; the array is not copied). */
    public Builder bytes(byte[] payload) {
      this.value = payload == null ? new byte[0] : payload;
      this.codec = null;
      this.format = PayloadFormat.BINARY;
      return this;
    }

    /**
     * A JSON payload from plain values: {@code Map} (keys by {@code toString}), {@code Iterable} and
     * arrays, {@code CharSequence}, {@code Number}, {@code Boolean} and {@code null}. Other objects
     * are written as their {@code toString()} string; non-finite numbers as {@code null}; nesting
     * deeper than 64 levels as {@code null}.
     */
    public Builder json(Object value) {
      this.value = value;
      this.codec = null;
      this.format = PayloadFormat.JSON;
      return this;
    }

    /** A payload encoded by the application's codec when appended. */
    @SuppressWarnings("unchecked")
    public <T> Builder value(T value, Codec<T> codec) {
      this.value = value;
      this.codec = (Codec<Object>) codec;
      this.format = codec == null ? PayloadFormat.BINARY : codec.format();
      return this;
    }

    /** Ids ({@link Appended#id()}) of the events that caused this one. */
    public Builder causedBy(long... ids) {
      this.causedBy = ids == null ? NO_IDS : Arrays.copyOf(ids, ids.length);
      return this;
    }

    /**
     * The version of the entity ({@link #key}) the writer read before deciding to write: the number
     * of events with that key it had seen (0 for a new entity). {@link Replay#lostUpdates} uses it to
     * find two writers that read the same version and both wrote.
     */
    public Builder expectedVersion(long version) {
      this.expectedVersion = version < 0 ? NO_VERSION : version;
      return this;
    }

    public NewEvent build() {
      return new NewEvent(this);
    }
  }
}
