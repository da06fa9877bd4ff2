package dev.cairn.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code key=value,key=value} lists with percent-encoded values that OpenTelemetry uses for
 * {@code OTEL_RESOURCE_ATTRIBUTES} and {@code OTEL_EXPORTER_OTLP_HEADERS}.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class KeyValues {
  private KeyValues() {}

  /**
   * Parses {@code key=value,key=value} with percent-decoded values (OTEL_RESOURCE_ATTRIBUTES).
   * Surrounding whitespace of keys and values is trimmed and empty members are skipped. Returns
   * {@code null} when any member is malformed: no {@code =}, an empty key, or a bad percent
   * escape / invalid UTF-8 after decoding.
   */
  public static Map<String, String> parse(String value) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    int start = 0;
    int len = value.length();
    while (start <= len) {
      int end = value.indexOf(',', start);
      if (end < 0) {
        end = len;
      }
      String member = value.substring(start, end).trim();
      start = end + 1;
      if (member.isEmpty()) {
        continue;
      }
      int eq = member.indexOf('=');
      if (eq <= 0) {
        return null;
      }
      String key = member.substring(0, eq).trim();
      String raw = member.substring(eq + 1).trim();
      String decoded = percentDecode(raw);
      if (key.isEmpty() || decoded == null) {
        return null;
      }
      out.put(key, decoded);
    }
    return out;
  }

  /** Percent-decodes as UTF-8; {@code null} on a truncated or non-hex escape or invalid UTF-8. */
  public static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write((hi << 4) | lo);
        i += 2;
      } else {
        byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          enc = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.write(enc, 0, enc.length);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }
}
