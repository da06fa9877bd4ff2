package dev.cairn.internal;

import java.nio.charset.StandardCharsets;

/**
 * Lower-case hex encoding and decoding of ids without intermediate objects.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class Hex {
  private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VALUES = new byte[128];

  static {
    java.util.Arrays.fill(VALUES, (byte) -1);
    for (int i = 0; i < 10; i++) {
      VALUES['0' + i] = (byte) i;
    }
    for (int i = 0; i < 6; i++) {
      VALUES['a' + i] = (byte) (10 + i); // upper case is deliberately absent: W3C ids are lower-case only
    }
  }

  private Hex() {}

  /** Writes 16 lower-case hex digits of {@code value} into {@code dest} at {@code offset}. */
  public static void write(byte[] dest, int offset, long value) {
    for (int i = 15; i >= 0; i--) {
      dest[offset + i] = DIGITS[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /** Writes 16 lower-case hex digits of {@code value} into {@code dest} at {@code offset}. */
  public static void write(char[] dest, int offset, long value) {
    for (int i = 15; i >= 0; i--) {
      dest[offset + i] = (char) DIGITS[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /** 16 hex digits. */
  public static String of(long value) {
    byte[] b = new byte[16];
    write(b, 0, value);
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** 32 hex digits, high half first. */
  public static String of(long high, long low) {
    byte[] b = new byte[32];
    write(b, 0, high);
    write(b, 16, low);
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /**
   * Value of one lower-case hex digit, or -1 when {@code c} is anything else (upper case included).
   */
  public static int lowerDigit(char c) {
    return c < 128 ? VALUES[c] : -1;
  }

  /**
   * Value of one hex digit of either case, or -1.
   */
  public static int anyDigit(char c) {
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return lowerDigit(c);
  }

  /**
   * Parses 16 lower-case hex digits at {@code offset}; returns 0 and sets nothing when any digit is
   * invalid, so callers test {@link #isLowerHex} first when 0 is a legal outcome.
   */
  public static long parseLong(CharSequence s, int offset) {
    long v = 0;
    for (int i = 0; i < 16; i++) {
      int d = lowerDigit(s.charAt(offset + i));
      if (d < 0) {
        return 0;
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /** Parses {@code len} (at most 16) hex digits, either case; -1 marker via {@code isHex} first. */
  public static long parseAnyCase(CharSequence s, int offset, int len) {
    long v = 0;
    for (int i = 0; i < len; i++) {
      v = (v << 4) | anyDigit(s.charAt(offset + i));
    }
    return v;
  }

  /** True when the {@code len} chars at {@code offset} are all lower-case hex digits. */
  public static boolean isLowerHex(CharSequence s, int offset, int len) {
    if (offset < 0 || offset + len > s.length()) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (lowerDigit(s.charAt(offset + i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** True when the {@code len} chars at {@code offset} are hex digits of either case. */
  public static boolean isAnyHex(CharSequence s, int offset, int len) {
    if (offset < 0 || offset + len > s.length()) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (anyDigit(s.charAt(offset + i)) < 0) {
        return false;
      }
    }
    return true;
  }
}
