package dev.cairn.journal;

import java.nio.charset.StandardCharsets;

/**
 * Turns application values into payload bytes and back. Supplied by the application, so the journal
 * never needs a serialization library; called on the appending thread (encode) and the replaying
 * thread (decode). An encoder that throws makes the append a counted drop, never an exception.
 *
 * @param <T> the value type
 */
public interface Codec<T> {
  /** The bytes stored for {@code value}. */
  byte[] encode(T value);

  /** The value stored as {@code bytes}. */
  T decode(byte[] bytes);

  /** What the bytes are, so tools can print them; {@link PayloadFormat#BINARY} by default. */
  default PayloadFormat format() {
    return PayloadFormat.BINARY;
  }

  /** UTF-8 text. */
  static Codec<String> utf8() {
    return Utf8Codec.INSTANCE;
  }
}

enum Utf8Codec implements Codec<String> {
  INSTANCE;

  @Override
  public byte[] encode(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String decode(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public PayloadFormat format() {
    return PayloadFormat.TEXT;
  }
}
