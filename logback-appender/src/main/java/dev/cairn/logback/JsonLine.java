package dev.cairn.logback;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * One JSON line being built: UTF-8 bytes written straight into a buffer sized once for the line's
 * byte budget, so the hot path never grows or copies it.
 *
 * <p>Why not a general JSON writer: the encoder needs three things a streaming writer does not
 * give, all on the same buffer: a hard byte limit with field-level roll-back (a field that does not
 * fit is removed whole, never half-written), UTF-8-safe truncation inside a string value, and
 * duplicate-key detection per object. Doing them here keeps the common event to one pass over each
 * string.
 *
 * <p>Escaping: {@code "} and {@code \}, every C0 control, DEL, every C1 control (U+0080–U+009F,
 * including NEL) and U+2028/U+2029 are written as escapes, so no byte of the line can be read as a
 * line break or a terminal control by any consumer. A lone surrogate becomes U+FFFD, so the line is
 * always valid UTF-8.
 *
 * <p>Not thread-safe: the encoder takes one from its pool per event.
 */
final class JsonLine {
  /** Bytes kept free at the end for closing the line and the truncation marker. */
  static final int RESERVE = 32;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  /** 0: written as is; 'u': \\u00XX; any other: a two-character escape with that letter. */
  private static final byte[] ESCAPE = new byte[128];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPE[c] = 'u';
    }
    ESCAPE['\n'] = 'n';
    ESCAPE['\r'] = 'r';
    ESCAPE['\t'] = 't';
    ESCAPE['\b'] = 'b';
    ESCAPE['\f'] = 'f';
    ESCAPE['"'] = '"';
    ESCAPE['\\'] = '\\';
    ESCAPE[0x7f] = 'u';
  }

  final byte[] buf;
  int pos;
  /** Content must end before this index; {@code buf.length - limit >= RESERVE}. */
  final int limit;
  /** Set when a non-string write did not fit; the field in progress must be rolled back. */
  boolean overflow;
  /** Set when any value was shortened or any field left out. */
  boolean truncated;

  final KeySet topKeys = new KeySet();
  final Correlation corr = new Correlation();
  /** Service name and ECS dataset of the line being rendered (the encoder's, or Cairn's). */
  String service;
  String dataset;
  private final KeySet[] nestedKeys = new KeySet[Values.MAX_DEPTH + 2];

  // Timestamp cache: the text of the current second, refreshed once per second.
  private long cachedSecond = Long.MIN_VALUE;
  private final byte[] secondText = new byte[19];
  private byte[] offsetText = {'Z'};

  JsonLine(int budget) {
    this.buf = new byte[budget + 8];
    this.limit = budget - RESERVE;
  }

  void reset() {
    pos = 0;
    overflow = false;
    truncated = false;
    topKeys.clear();
  }

  KeySet nested(int depth) {
    KeySet k = nestedKeys[depth];
    if (k == null) {
      k = new KeySet();
      nestedKeys[depth] = k;
    }
    k.clear();
    k.ecsLeaves = null;
    k.ecsNested = topKeys.ecsLeaves != null;
    return k;
  }

  int room() {
    return limit - pos;
  }

  // ---- raw writes (checked against the limit; overflow instead of writing past it) ----

  void raw(char c) {
    if (pos >= limit) {
      overflow = true;
      return;
    }
    buf[pos++] = (byte) c;
  }

  void raw(byte[] b) {
    if (pos + b.length > limit) {
      overflow = true;
      return;
    }
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  /** An ASCII literal known to need no escaping (field names of the formats). */
  void ascii(String s) {
    int n = s.length();
    if (pos + n > limit) {
      overflow = true;
      return;
    }
    for (int i = 0; i < n; i++) {
      buf[pos++] = (byte) s.charAt(i);
    }
  }

  /** Starts a member: a comma unless first in the object, then {@code "name":}. */
  void name(byte[] quotedNameColon, boolean first) {
    if (!first) {
      raw(',');
    }
    raw(quotedNameColon);
  }

  void number(long v) {
    if (pos + 20 > limit) {
      overflow = true;
      return;
    }
    if (v == Long.MIN_VALUE) {
      ascii("-9223372036854775808");
      return;
    }
    if (v < 0) {
      buf[pos++] = '-';
      v = -v;
    }
    int start = pos;
    do {
      buf[pos++] = (byte) ('0' + (int) (v % 10));
      v /= 10;
    } while (v != 0);
    for (int i = start, j = pos - 1; i < j; i++, j--) {
      byte t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
  }

  /** Unsigned decimal of a 64-bit value (Datadog ids). */
  void unsignedNumber(long v) {
    if (v >= 0) {
      number(v);
    } else {
      ascii(Long.toUnsignedString(v));
    }
  }

  void bool(boolean b) {
    ascii(b ? "true" : "false");
  }

  // ---- strings ----

  /** A quoted, escaped string value, shortened (with a trailing "…") if it exceeds its caps. */
  void string(String s, int maxBytes) {
    if (pos + 2 > limit) {
      overflow = true;
      return;
    }
    buf[pos++] = '"';
    // Room for the closing quote, the 3-byte ellipsis and a few closing brackets after it.
    int stop = Math.min(limit - 8, pos + maxBytes);
    if (stop < pos) {
      stop = pos;
    }
    int end = escape(s, 0, s.length(), stop);
    if (end < s.length()) {
      truncated = true;
      buf[pos++] = (byte) 0xE2; // U+2026 HORIZONTAL ELLIPSIS
      buf[pos++] = (byte) 0x80;
      buf[pos++] = (byte) 0xA6;
    }
    buf[pos++] = '"';
  }

  /**
   * Writes the escaped UTF-8 of {@code s[from, to)} while it fits before {@code stop}; returns the
   * index of the first char not written. Never splits an escape or a code point.
   */
  int escape(String s, int from, int to, int stop) {
    byte[] b = buf;
    int p = pos;
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c < 0x80) {
        byte e = ESCAPE[c];
        if (e == 0) {
          if (p >= stop) {
            break;
          }
          b[p++] = (byte) c;
        } else if (e != 'u') {
          if (p + 2 > stop) {
            break;
          }
          b[p++] = '\\';
          b[p++] = e;
        } else {
          if (p + 6 > stop) {
            break;
          }
          p = unicodeEscape(b, p, c);
        }
        i++;
      } else if (c < 0x800) {
        if (c <= 0x9f) {
          if (p + 6 > stop) {
            break;
          }
          p = unicodeEscape(b, p, c);
        } else {
          if (p + 2 > stop) {
            break;
          }
          b[p++] = (byte) (0xc0 | (c >> 6));
          b[p++] = (byte) (0x80 | (c & 0x3f));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < to
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          if (p + 4 > stop) {
            break;
          }
          int cp = Character.toCodePoint(c, s.charAt(i + 1));
          b[p++] = (byte) (0xf0 | (cp >> 18));
          b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
          b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
          b[p++] = (byte) (0x80 | (cp & 0x3f));
          i += 2;
        } else {
          if (p + 3 > stop) {
            break;
          }
          b[p++] = (byte) 0xEF; // U+FFFD for a lone surrogate: the line stays valid UTF-8
          b[p++] = (byte) 0xBF;
          b[p++] = (byte) 0xBD;
          i++;
        }
      } else if (c == 0x2028 || c == 0x2029) {
        if (p + 6 > stop) {
          break;
        }
        p = unicodeEscape(b, p, c);
        i++;
      } else {
        if (p + 3 > stop) {
          break;
        }
        b[p++] = (byte) (0xe0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (c & 0x3f));
        i++;
      }
    }
    pos = p;
    return i;
  }

  private static int unicodeEscape(byte[] b, int p, char c) {
    b[p++] = '\\';
    b[p++] = 'u';
    b[p++] = HEX[(c >> 12) & 0xf];
    b[p++] = HEX[(c >> 8) & 0xf];
    b[p++] = HEX[(c >> 4) & 0xf];
    b[p++] = HEX[c & 0xf];
    return p;
  }

  /**
   * Writes a dynamic member name (from MDC, key-values, static fields): escaped, capped, and made
   * unique in {@code keys} by prepending {@code _} (the documented collision policy). In an ECS
   * line the name is made one Elasticsearch accepts instead ({@link KeySet#ecsName}).
   *
   * @return 0 if written as is, 1 if renamed, -1 if no unique name was found (member skipped)
   */
  int dynamicName(String prefix, String key, KeySet keys, boolean first) {
    String k = canonicalKey(prefix, key);
    int renamed = 0;
    if (keys.ecsLeaves != null || keys.ecsNested) {
      String e = keys.ecsName(k);
      if (e == null) {
        return -1;
      }
      renamed = e == k ? 0 : 1;
      k = e;
    } else {
      for (int attempt = 0; keys.contains(k); attempt++) {
        if (attempt == 4) {
          return -1;
        }
        k = "_" + k;
        renamed = 1;
      }
    }
    keys.add(k);
    if (!first) {
      raw(',');
    }
    raw('"');
    int end = escape(k, 0, k.length(), limit);
    if (end < k.length()) {
      overflow = true;
      return renamed;
    }
    raw('"');
    raw(':');
    return renamed;
  }

  /**
   * The name as a parser will read it back: lone surrogates replaced, length capped. Uniqueness is
   * checked on this form, so two different raw keys that decode alike still count as one.
   */
  static String canonicalKey(String prefix, String key) {
    String k = prefix.isEmpty() ? key : prefix + key;
    if (k.length() > Values.MAX_KEY_CHARS) {
      k = k.substring(0, Values.MAX_KEY_CHARS);
    }
    for (int i = 0; i < k.length(); i++) {
      if (Character.isSurrogate(k.charAt(i))) {
        return replaceLoneSurrogates(k);
      }
    }
    return k;
  }

  private static String replaceLoneSurrogates(String k) {
    StringBuilder sb = new StringBuilder(k.length());
    for (int i = 0; i < k.length(); i++) {
      char c = k.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < k.length()
          && Character.isLowSurrogate(k.charAt(i + 1))) {
        sb.append(c).append(k.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        sb.append('\uFFFD');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  // ---- timestamps ----

  /** ISO-8601 with the given number of fraction digits (3, 6 or 9), e.g. 2026-11-28T06:00:00.123Z. */
  void timestamp(long epochSecond, int nanos, int fractionDigits, ZoneId zone) {
    if (epochSecond != cachedSecond) {
      ZoneOffset offset =
          zone == ZoneOffset.UTC
              ? ZoneOffset.UTC
              : zone.getRules().getOffset(java.time.Instant.ofEpochSecond(epochSecond));
      LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, offset);
      int y = t.getYear();
      if (y < 0 || y > 9999) {
        y = Math.floorMod(y, 10000);
      }
      put4(secondText, 0, y);
      secondText[4] = '-';
      put2(secondText, 5, t.getMonthValue());
      secondText[7] = '-';
      put2(secondText, 8, t.getDayOfMonth());
      secondText[10] = 'T';
      put2(secondText, 11, t.getHour());
      secondText[13] = ':';
      put2(secondText, 14, t.getMinute());
      secondText[16] = ':';
      put2(secondText, 17, t.getSecond());
      offsetText =
          offset.getTotalSeconds() == 0
              ? new byte[] {'Z'}
              : offset.getId().getBytes(StandardCharsets.US_ASCII);
      cachedSecond = epochSecond;
    }
    if (pos + 40 > limit) {
      overflow = true;
      return;
    }
    buf[pos++] = '"';
    System.arraycopy(secondText, 0, buf, pos, 19);
    pos += 19;
    if (fractionDigits > 0) {
      buf[pos++] = '.';
      int div = 100_000_000;
      for (int d = 0; d < fractionDigits; d++) {
        buf[pos++] = (byte) ('0' + (nanos / div) % 10);
        div /= 10;
      }
    }
    System.arraycopy(offsetText, 0, buf, pos, offsetText.length);
    pos += offsetText.length;
    buf[pos++] = '"';
  }

  private static void put2(byte[] b, int at, int v) {
    b[at] = (byte) ('0' + v / 10);
    b[at + 1] = (byte) ('0' + v % 10);
  }

  private static void put4(byte[] b, int at, int v) {
    b[at] = (byte) ('0' + v / 1000);
    b[at + 1] = (byte) ('0' + (v / 100) % 10);
    b[at + 2] = (byte) ('0' + (v / 10) % 10);
    b[at + 3] = (byte) ('0' + v % 10);
  }

  /** Seconds since the epoch with millisecond decimals (GELF's timestamp). */
  void epochSecondsMillis(long epochMillis) {
    number(Math.floorDiv(epochMillis, 1000));
    if (pos + 4 > limit) {
      overflow = true;
      return;
    }
    int ms = Math.floorMod(epochMillis, 1000);
    buf[pos++] = '.';
    buf[pos++] = (byte) ('0' + ms / 100);
    buf[pos++] = (byte) ('0' + (ms / 10) % 10);
    buf[pos++] = (byte) ('0' + ms % 10);
  }

  /** Closes the line: the truncation marker if needed, {@code }} and a newline. */
  void finish(byte[] truncationMember) {
    if (truncated) {
      // RESERVE guarantees room past the limit.
      System.arraycopy(truncationMember, 0, buf, pos, truncationMember.length);
      pos += truncationMember.length;
    }
    buf[pos++] = '}';
    buf[pos++] = '\n';
  }

  /** A small set of member names already used in one object; linear, sized for log lines. */
  static final class KeySet {
    /** Names the format itself writes; never available to dynamic members. */
    java.util.Set<String> reserved = java.util.Set.of();
    /**
     * The top level of an ECS line: the leaf fields the format writes (never an object root such
     * as {@code log}, which dynamic fields may extend). Null for other formats and nested objects.
     */
    String[] ecsLeaves;
    /** An object nested in an ECS line: only Elasticsearch's path rules apply. */
    boolean ecsNested;
    private String[] keys = new String[32];
    private int[] hashes = new int[32];
    private int size;

    void clear() {
      for (int i = 0; i < size; i++) {
        keys[i] = null;
      }
      size = 0;
    }

    boolean contains(String k) {
      if (reserved.contains(k)) {
        return true;
      }
      int h = k.hashCode();
      for (int i = 0; i < size; i++) {
        if (hashes[i] == h && keys[i].equals(k)) {
          return true;
        }
      }
      return false;
    }

    /**
     * The name under which a dynamic member goes into an ECS line, or null to leave it out. A name
     * Elasticsearch would refuse, or one that clashes with a field of the format or an earlier
     * member (the same name, or a value and an object at one path: {@code log.level} and {@code
     * log.level.x}), is renamed: at the top level to {@code labels.<name with . as _>} (so {@code
     * _id} becomes {@code labels._id}, "" becomes {@code labels._}), nested to {@code <name with .
     * as _>}; then {@code _} is appended while it still clashes, four times at most.
     */
    String ecsName(String k) {
      boolean top = ecsLeaves != null;
      String name = k;
      boolean moved = false;
      if (top ? !dev.cairn.internal.export.EcsNames.isValidTopLevel(name)
          : !dev.cairn.internal.export.EcsNames.isValidPath(name)) {
        name = moved(name, top);
        moved = true;
      }
      for (int attempt = 0; ecsClash(name); attempt++) {
        if (attempt == 4) {
          return null;
        }
        if (moved) {
          name = name + "_";
        } else {
          name = moved(name, top);
          moved = true;
        }
      }
      return name;
    }

    private static String moved(String k, boolean top) {
      String flat = dev.cairn.internal.export.EcsNames.flat(k);
      return top ? "labels." + flat : flat;
    }

    private boolean ecsClash(String k) {
      if (ecsLeaves != null) {
        // reserved holds the leaves and every object root above them: a hash lookup for the
        // usual undotted name; only a dotted one can be a path below a leaf (message.x).
        if (reserved.contains(k)) {
          return true;
        }
        if (k.indexOf('.') > 0) {
          for (String leaf : ecsLeaves) {
            if (dev.cairn.internal.export.EcsNames.clash(leaf, k)) {
              return true;
            }
          }
        }
      }
      for (int i = 0; i < size; i++) {
        if (dev.cairn.internal.export.EcsNames.clash(keys[i], k)) {
          return true;
        }
      }
      return false;
    }

    void add(String k) {
      if (size == keys.length) {
        keys = java.util.Arrays.copyOf(keys, size * 2);
        hashes = java.util.Arrays.copyOf(hashes, size * 2);
      }
      keys[size] = k;
      hashes[size] = k.hashCode();
      size++;
    }
  }
}
