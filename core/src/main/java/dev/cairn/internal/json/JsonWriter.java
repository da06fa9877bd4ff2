package dev.cairn.internal.json;

import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A streaming JSON writer that encodes straight into a growable UTF-8 byte buffer. Every encoder
 * in Cairn (OTLP, Zipkin, NDJSON, log lines) writes through it, so its output rules are the
 * product's output rules:
 *
 * <ul>
 *   <li>Strings are escaped per RFC 8259: {@code "} and {@code \}, every C0 control (the short forms
 *       {@code \b \f \n \r \t} where they exist, otherwise {@code \}{@code u00XX}). DEL and the C1
 *       controls (U+007F..U+009F) and U+2028/U+2029 are escaped as well although JSON allows them
 *       raw: they break terminals, line-oriented log shippers and JavaScript consumers.
 *   <li>A lone surrogate (a high one not followed by a low one, or a low one alone) cannot be
 *       encoded as UTF-8; it is written as U+FFFD and counted ({@code
 *       cairn.json.replaced{reason=lone_surrogate}}). The output is therefore always valid UTF-8.
 *   <li>Numbers: {@code long}s in decimal; finite {@code double}s in the shortest form {@link
 *       Double#toString(double)} gives (a JSON number); NaN and the infinities, which JSON cannot
 *       express as numbers, are written as the strings {@code "NaN"}, {@code "Infinity"} and
 *       {@code "-Infinity"} — the proto3 JSON mapping OTLP uses, which protobuf parsers accept
 *       back as doubles.
 * </ul>
 *
 * <p>Commas and colons are placed by the writer; structural misuse (a value where a name is due,
 * unbalanced ends) throws {@link IllegalStateException}, which is a bug in the calling encoder.
 *
 * <p>Not thread-safe. A writer is meant to be reused by one owner (an exporter's worker, an
 * encoder under its appender's lock) through {@link #reset()}: the buffer is kept, so steady state
 * allocates nothing. There are deliberately no thread-local caches (virtual threads).
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class JsonWriter {
  private static final SelfCounter LONE_SURROGATES =
      SelfCounters.GLOBAL.counter(
          "cairn.json.replaced",
          "Characters the JSON writer replaced with U+FFFD because they were lone surrogates",
          "characters",
          "reason",
          "lone_surrogate");

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /**
   * Per ASCII/Latin-1 char below 0xA0: 0 = copy as is, otherwise the char after the backslash of
   * a short escape, or 'u' for the six-character form.
   */
  private static final byte[] ESCAPE = new byte[0xA0];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPE[c] = 'u';
    }
    for (int c = 0x7F; c < 0xA0; c++) {
      ESCAPE[c] = 'u';
    }
    ESCAPE['"'] = '"';
    ESCAPE['\\'] = '\\';
    ESCAPE['\b'] = 'b';
    ESCAPE['\f'] = 'f';
    ESCAPE['\n'] = 'n';
    ESCAPE['\r'] = 'r';
    ESCAPE['\t'] = 't';
  }

  // Structural state, one byte per open container; index 0 is the top level.
  private static final byte TOP = 0; // top level: values separated by nothing (NDJSON adds \n)
  private static final byte ARRAY_EMPTY = 1;
  private static final byte ARRAY = 2;
  private static final byte OBJECT_EMPTY = 3; // expecting a name, no comma yet
  private static final byte OBJECT = 4; // expecting a name, comma first
  private static final byte OBJECT_VALUE = 5; // a name was written, a value is due

  private byte[] buf;
  private int count;
  private byte[] stack = new byte[16];
  private int depth;

  /** A writer with a 1 KiB initial buffer. */
  public JsonWriter() {
    this(1024);
  }

  /** A writer with the given initial buffer size in bytes. */
  public JsonWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  /** Forgets everything written, keeping the buffer for reuse. */
  public JsonWriter reset() {
    count = 0;
    depth = 0;
    stack[0] = TOP;
    return this;
  }

  /** Bytes written so far. */
  public int size() {
    return count;
  }

  /** Open containers (0 at the top level). */
  public int depth() {
    return depth;
  }

  /**
   * Captures the current position so an encoder can write a record speculatively and take it back
   * with {@link #rollback(long)} when it would exceed a byte budget.
   */
  public long mark() {
    if (depth > 0xFF) {
      throw new IllegalStateException("mark() supports nesting up to 255 levels");
    }
    return ((long) count << 16) | ((long) depth << 8) | (stack[depth] & 0xFF);
  }

  /** Returns the writer to the state captured by {@link #mark()}. */
  public void rollback(long mark) {
    int markCount = (int) (mark >>> 16);
    int markDepth = (int) ((mark >>> 8) & 0xFF);
    if (markCount > count || markDepth > depth) {
      throw new IllegalStateException("mark is not behind the current position");
    }
    count = markCount;
    depth = markDepth;
    stack[depth] = (byte) (mark & 0xFF);
  }

  /** The internal buffer; valid bytes are {@code [0, size())}. Do not keep it across writes. */
  public byte[] buffer() {
    return buf;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, count);
  }

  /** Writes the bytes written so far to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, count);
  }

  /** The output decoded as a string (always valid UTF-8). */
  @Override
  public String toString() {
    return new String(buf, 0, count, StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- structure

  public JsonWriter beginObject() {
    beforeValue();
    ensure(1);
    buf[count++] = '{';
    push(OBJECT_EMPTY);
    return this;
  }

  public JsonWriter endObject() {
    byte s = stack[depth];
    if (depth == 0 || (s != OBJECT && s != OBJECT_EMPTY)) {
      throw new IllegalStateException("endObject() outside an object or after a dangling name");
    }
    depth--;
    ensure(1);
    buf[count++] = '}';
    return this;
  }

  public JsonWriter beginArray() {
    beforeValue();
    ensure(1);
    buf[count++] = '[';
    push(ARRAY_EMPTY);
    return this;
  }

  public JsonWriter endArray() {
    byte s = stack[depth];
    if (depth == 0 || (s != ARRAY && s != ARRAY_EMPTY)) {
      throw new IllegalStateException("endArray() outside an array");
    }
    depth--;
    ensure(1);
    buf[count++] = ']';
    return this;
  }

  /** Writes a member name; the next call must write its value. */
  public JsonWriter name(String name) {
    byte s = stack[depth];
    if (s == OBJECT) {
      ensure(1);
      buf[count++] = ',';
    } else if (s != OBJECT_EMPTY) {
      throw new IllegalStateException("name() outside an object or where a value is due");
    }
    stack[depth] = OBJECT_VALUE;
    writeQuoted(name);
    ensure(1);
    buf[count++] = ':';
    return this;
  }

  /** A newline between top-level values (NDJSON). */
  public JsonWriter newline() {
    if (depth != 0) {
      throw new IllegalStateException("newline() inside a container");
    }
    ensure(1);
    buf[count++] = '\n';
    return this;
  }

  // ---------------------------------------------------------------- values

  /** A string value; {@code null} writes JSON null. */
  public JsonWriter value(CharSequence value) {
    beforeValue();
    if (value == null) {
      writeNull();
    } else {
      writeQuoted(value);
    }
    return this;
  }

  public JsonWriter value(long value) {
    beforeValue();
    writeLong(value);
    return this;
  }

  /** A finite double as a number; NaN and infinities as the strings described in the class doc. */
  public JsonWriter value(double value) {
    beforeValue();
    if (Double.isFinite(value)) {
      writeAscii(Double.toString(value));
    } else if (Double.isNaN(value)) {
      writeAscii("\"NaN\"");
    } else if (value > 0) {
      writeAscii("\"Infinity\"");
    } else {
      writeAscii("\"-Infinity\"");
    }
    return this;
  }

  public JsonWriter value(boolean value) {
    beforeValue();
    writeAscii(value ? "true" : "false");
    return this;
  }

  public JsonWriter nullValue() {
    beforeValue();
    writeNull();
    return this;
  }

  /** A long as a quoted decimal string, the proto3 JSON form of int64/fixed64 (OTLP). */
  public JsonWriter stringValue(long value) {
    beforeValue();
    ensure(1);
    buf[count++] = '"';
    writeLong(value);
    ensure(1);
    buf[count++] = '"';
    return this;
  }

  /** An unsigned 64-bit value as a quoted decimal string (fixed64 nanosecond timestamps). */
  public JsonWriter unsignedStringValue(long value) {
    if (value >= 0) {
      return stringValue(value);
    }
    beforeValue();
    writeAscii('"' + Long.toUnsignedString(value) + '"');
    return this;
  }

  /** 16 lower-case hex digits, quoted (a span id). */
  public JsonWriter hexValue(long value) {
    beforeValue();
    ensure(18);
    buf[count++] = '"';
    writeHex(value);
    buf[count++] = '"';
    return this;
  }

  /** 32 lower-case hex digits, high half first, quoted (a trace id). */
  public JsonWriter hexValue(long high, long low) {
    beforeValue();
    ensure(34);
    buf[count++] = '"';
    writeHex(high);
    writeHex(low);
    buf[count++] = '"';
    return this;
  }

  /**
   * Writes an already-encoded JSON value verbatim (for example a pre-rendered static fragment).
   * The caller vouches that it is valid JSON in UTF-8.
   */
  public JsonWriter rawValue(byte[] json) {
    beforeValue();
    ensure(json.length);
    System.arraycopy(json, 0, buf, count, json.length);
    count += json.length;
    return this;
  }

  // ---------------------------------------------------------------- member shorthands

  public JsonWriter field(String name, CharSequence value) {
    return name(name).value(value);
  }

  public JsonWriter field(String name, long value) {
    return name(name).value(value);
  }

  public JsonWriter field(String name, double value) {
    return name(name).value(value);
  }

  public JsonWriter field(String name, boolean value) {
    return name(name).value(value);
  }

  // ---------------------------------------------------------------- static helpers

  /** Appends {@code value} as a quoted, escaped JSON string to {@code out} (same rules). */
  public static void appendQuoted(StringBuilder out, CharSequence value) {
    out.append('"');
    int len = value.length();
    for (int i = 0; i < len; i++) {
      char c = value.charAt(i);
      if (c < 0xA0) {
        byte e = ESCAPE[c];
        if (e == 0) {
          out.append(c);
        } else if (e == 'u') {
          out.append("\\u00").append((char) HEX[c >> 4]).append((char) HEX[c & 0xF]);
        } else {
          out.append('\\').append((char) e);
        }
      } else if (c == '\u2028' || c == '\u2029') {
        out.append(c == '\u2028' ? "\\u2028" : "\\u2029");
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < len
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          out.append(c).append(value.charAt(++i));
        } else {
          LONE_SURROGATES.increment();
          out.append('\uFFFD');
        }
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  // ---------------------------------------------------------------- internals

  private void push(byte state) {
    if (++depth == stack.length) {
      stack = Arrays.copyOf(stack, stack.length * 2);
    }
    stack[depth] = state;
  }

  private void beforeValue() {
    byte s = stack[depth];
    switch (s) {
      case OBJECT_VALUE:
        stack[depth] = OBJECT;
        return;
      case ARRAY:
        ensure(1);
        buf[count++] = ',';
        return;
      case ARRAY_EMPTY:
        stack[depth] = ARRAY;
        return;
      case TOP:
        return;
      default:
        throw new IllegalStateException("a value where a member name is due");
    }
  }

  private void writeNull() {
    writeAscii("null");
  }

  private void writeAscii(String s) {
    int len = s.length();
    ensure(len);
    for (int i = 0; i < len; i++) {
      buf[count++] = (byte) s.charAt(i);
    }
  }

  private void writeHex(long v) {
    for (int i = 15; i >= 0; i--) {
      buf[count + i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
    count += 16;
  }

  private void writeLong(long v) {
    if (v == Long.MIN_VALUE) {
      writeAscii("-9223372036854775808");
      return;
    }
    ensure(20);
    if (v < 0) {
      buf[count++] = '-';
      v = -v;
    }
    int digits = digits(v);
    int pos = count + digits;
    count = pos;
    do {
      buf[--pos] = (byte) ('0' + (int) (v % 10));
      v /= 10;
    } while (v != 0);
  }

  private static int digits(long v) {
    long p = 10;
    for (int i = 1; i < 19; i++) {
      if (v < p) {
        return i;
      }
      p *= 10;
    }
    return 19;
  }

  /** Worst case per char is 6 bytes ({@code \}{@code u00XX}); larger strings go in chunks. */
  private static final int CHUNK = 4096;

  private void writeQuoted(CharSequence s) {
    int len = s.length();
    ensure(2);
    buf[count++] = '"';
    int i = 0;
    while (i < len) {
      int end = Math.min(len, i + CHUNK);
      ensure((end - i) * 6 + 4);
      i = writeChunk(s, i, end, len);
    }
    ensure(1);
    buf[count++] = '"';
  }

  /**
   * Encodes chars {@code [from, end)}; may consume one char beyond {@code end} to complete a
   * surrogate pair (the +4 slack in the caller's ensure covers it). Returns the next index.
   */
  private int writeChunk(CharSequence s, int from, int end, int len) {
    byte[] b = buf;
    int n = count;
    int i = from;
    while (i < end) {
      char c = s.charAt(i++);
      if (c < 0x80) {
        byte e = ESCAPE[c];
        if (e == 0) {
          b[n++] = (byte) c;
        } else if (e == 'u') {
          b[n++] = '\\';
          b[n++] = 'u';
          b[n++] = '0';
          b[n++] = '0';
          b[n++] = HEX[c >> 4];
          b[n++] = HEX[c & 0xF];
        } else {
          b[n++] = '\\';
          b[n++] = e;
        }
      } else if (c < 0x800) {
        if (c < 0xA0) {
          b[n++] = '\\';
          b[n++] = 'u';
          b[n++] = '0';
          b[n++] = '0';
          b[n++] = HEX[c >> 4];
          b[n++] = HEX[c & 0xF];
        } else {
          b[n++] = (byte) (0xC0 | (c >> 6));
          b[n++] = (byte) (0x80 | (c & 0x3F));
        }
      } else if (c == '\u2028' || c == '\u2029') {
        b[n++] = '\\';
        b[n++] = 'u';
        b[n++] = '2';
        b[n++] = '0';
        b[n++] = '2';
        b[n++] = (byte) (c == '\u2028' ? '8' : '9');
      } else if (!Character.isSurrogate(c)) {
        b[n++] = (byte) (0xE0 | (c >> 12));
        b[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[n++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i < len && Character.isLowSurrogate(s.charAt(i))) {
        int cp = Character.toCodePoint(c, s.charAt(i++));
        b[n++] = (byte) (0xF0 | (cp >> 18));
        b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[n++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        LONE_SURROGATES.increment();
        b[n++] = (byte) 0xEF;
        b[n++] = (byte) 0xBF;
        b[n++] = (byte) 0xBD;
      }
    }
    count = n;
    return i;
  }

  private void ensure(int extra) {
    int needed = count + extra;
    if (needed > buf.length) {
      if (needed < 0) {
        throw new IllegalStateException("JSON output exceeds 2 GiB");
      }
      buf = Arrays.copyOf(buf, Math.max(needed, buf.length + (buf.length >> 1)));
    }
  }
}
