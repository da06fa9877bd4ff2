package dev.cairn.journal;

/** How an event's payload bytes are to be read; stored in each record (byte 1 of the body). */
public enum PayloadFormat {
  /** Opaque bytes; the application's {@link Codec} knows them. Code 0. */
  BINARY(0),
  /** UTF-8 JSON text (RFC 8259). Code 1. */
  JSON(1),
  /** UTF-8 text. Code 2. */
  TEXT(2);

  private final int code;

  PayloadFormat(int code) {
    this.code = code;
  }

  /** The code stored on disk. */
  public int code() {
    return code;
  }

  /** The format with this on-disk code, or {@link #BINARY} for codes this version does not know. */
  public static PayloadFormat ofCode(int code) {
    switch (code) {
      case 1:
        return JSON;
      case 2:
        return TEXT;
      default:
        return BINARY;
    }
  }
}
