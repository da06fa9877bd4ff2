package dev.cairn.propagation;

import dev.cairn.context.Baggage;
import dev.cairn.context.TraceContext;
import dev.cairn.internal.ContextInternals;
import dev.cairn.internal.Hex;
import dev.cairn.internal.LogSafe;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * W3C Baggage: the {@code baggage} header.
 *
 * <p>Read: several header fields join with commas; at most {@value Baggage#MAX_HEADER_BYTES}
 * characters are read and at most {@value Baggage#MAX_ENTRIES} list-members kept, and a member cut
 * by either limit is dropped whole (the spec: "MUST NOT propagate partial list-members"). A member
 * that breaks the grammar (key not a token, value outside {@code baggage-octet}, a bad percent
 * escape, a property whose key is not a token) is skipped and counted; the others are kept. Values
 * are percent-decoded as UTF-8; property text is kept as received (trimmed) and written back
 * unchanged. A key seen twice keeps the last value. Entries extend the base context's baggage.
 *
 * <p>Two kinds of member are kept but counted, because the spec allows them and the next service
 * must receive what this one received: a value whose escapes are not well-formed UTF-8 (decoded
 * with U+FFFD in place of each bad sequence, as the spec requires; reason {@code invalid_utf8}) and
 * a value that decodes to a control character, DEL, a C1 control or U+2028/U+2029 (reason {@code
 * control_character}). Such a value is propagated as received, but never reaches a log raw: the
 * MDC bridge writes it with those characters escaped ({@link dev.cairn.internal.LogSafe}).
 *
 * <p>Write: values are percent-encoded (every byte outside {@code baggage-octet}, and {@code %}
 * itself); members that would take the header past 8192 bytes, or past 64 members, are left out
 * whole and counted.
 */
final class W3CBaggagePropagator extends BasePropagator {
  static final String NAME = "w3c-baggage";
  static final String FIELD = "baggage";

  static final Reason INVALID_MEMBER = Reason.of(NAME, "invalid_member");
  static final Reason INVALID_PERCENT = Reason.of(NAME, "invalid_percent_encoding");
  static final Reason INVALID_UTF8 = Reason.of(NAME, "invalid_utf8");
  static final Reason CONTROL_CHARACTER = Reason.of(NAME, "control_character");
  static final Reason DUPLICATE_KEY = Reason.of(NAME, "duplicate_key");
  static final Reason TOO_MANY = Reason.of(NAME, "too_many_members");
  static final Reason TOO_LONG = Reason.of(NAME, "too_long");
  static final Reason TRUNCATED = Reason.of(NAME, "truncated_on_write");

  static final W3CBaggagePropagator INSTANCE = new W3CBaggagePropagator();

  private W3CBaggagePropagator() {
    super(NAME, List.of(FIELD));
  }

  @Override
  boolean carriesTraceIds() {
    return false;
  }

  @Override
  <C> TraceContext extract(
      TraceContext base, C carrier, Getter<C> getter, List<Extraction.Rejection> sink) {
    List<String> values = getter.getAll(carrier, FIELD);
    if (values == null || values.isEmpty()) {
      return base;
    }
    String[] names = null;
    String[] vals = null;
    String[] props = null;
    int count = 0;
    int budget = Baggage.MAX_HEADER_BYTES;
    outer:
    for (int vi = 0, vn = values.size(); vi < vn; vi++) {
      String v = values.get(vi);
      if (v == null) {
        continue;
      }
      int len = v.length();
      int i = 0;
      while (i <= len) {
        if (budget <= 0) {
          if (i < len) {
            TOO_LONG.record(sink, v);
          }
          break outer;
        }
        int limit = Math.min(len, i + budget);
        int j = i;
        while (j < limit && v.charAt(j) != ',') {
          j++;
        }
        if (j == limit && limit < len) {
          TOO_LONG.record(sink, v.subSequence(i, limit));
          break outer;
        }
        budget -= (j - i) + 1;
        int s = i;
        int e = j;
        i = j + 1;
        while (s < e && isOws(v.charAt(s))) {
          s++;
        }
        while (e > s && isOws(v.charAt(e - 1))) {
          e--;
        }
        if (s == e) {
          continue; // an empty member carries nothing; skipping it loses nothing
        }
        // key OWS "=" OWS value *( OWS ";" OWS property )
        int k = s;
        while (k < e && Baggage.isTchar(v.charAt(k))) {
          k++;
        }
        int keyEnd = k;
        while (k < e && isOws(v.charAt(k))) {
          k++;
        }
        if (keyEnd == s || k == e || v.charAt(k) != '=') {
          INVALID_MEMBER.record(sink, v.subSequence(s, e));
          continue;
        }
        k++;
        while (k < e && isOws(v.charAt(k))) {
          k++;
        }
        int valStart = k;
        int semi = k;
        while (semi < e && v.charAt(semi) != ';') {
          semi++;
        }
        int valEnd = semi;
        while (valEnd > valStart && isOws(v.charAt(valEnd - 1))) {
          valEnd--;
        }
        if (!isValidValue(v, valStart, valEnd)) {
          INVALID_MEMBER.record(sink, v.subSequence(s, e));
          continue;
        }
        String value = decode(v, valStart, valEnd, sink);
        if (value == null) {
          INVALID_PERCENT.record(sink, v.subSequence(s, e));
          continue;
        }
        if (!LogSafe.isSafe(value)) {
          // Kept for the next hop (the spec allows any code point); the MDC gets it escaped.
          CONTROL_CHARACTER.record(sink, v.subSequence(s, e));
        }
        String properties = "";
        if (semi < e) {
          int ps = semi + 1;
          while (ps < e && isOws(v.charAt(ps))) {
            ps++;
          }
          if (!isValidProperties(v, semi, e)) {
            INVALID_MEMBER.record(sink, v.subSequence(s, e));
            continue;
          }
          properties = v.substring(ps, e);
        }
        String name = v.substring(s, keyEnd);
        if (names == null) {
          names = new String[8];
          vals = new String[8];
          props = new String[8];
        }
        int existing = indexOf(names, count, name);
        if (existing >= 0) {
          DUPLICATE_KEY.record(sink, name);
          vals[existing] = value;
          props[existing] = properties;
          continue;
        }
        if (count == Baggage.MAX_ENTRIES) {
          TOO_MANY.record(sink, v.subSequence(s, e));
          break outer;
        }
        if (count == names.length) {
          int n = Math.min(names.length * 2, Baggage.MAX_ENTRIES);
          names = Arrays.copyOf(names, n);
          vals = Arrays.copyOf(vals, n);
          props = Arrays.copyOf(props, n);
        }
        names[count] = name;
        vals[count] = value;
        props[count] = properties;
        count++;
      }
    }
    if (count == 0) {
      return base;
    }
    Baggage received =
        ContextInternals.baggage(
            Arrays.copyOf(names, count), Arrays.copyOf(vals, count), Arrays.copyOf(props, count));
    Baggage merged = merge(base.baggage(), received);
    return base.withBaggage(merged);
  }

  private static Baggage merge(Baggage local, Baggage received) {
    if (local.isEmpty()) {
      return received;
    }
    Baggage out = local;
    for (int i = 0; i < received.size(); i++) {
      out = out.with(received.nameAt(i), received.valueAt(i), received.propertiesAt(i));
    }
    return out;
  }

  private static int indexOf(String[] names, int count, String name) {
    for (int i = 0; i < count; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** W3C baggage-octet: printable US-ASCII except space, {@code "}, {@code ,}, {@code ;} and {@code \}. */
  static boolean isBaggageOctet(char c) {
    return c == 0x21
        || (c >= 0x23 && c <= 0x2B)
        || (c >= 0x2D && c <= 0x3A)
        || (c >= 0x3C && c <= 0x5B)
        || (c >= 0x5D && c <= 0x7E);
  }

  private static boolean isValidValue(String v, int s, int e) {
    for (int i = s; i < e; i++) {
      if (!isBaggageOctet(v.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Each {@code ;}-separated property is {@code key} or {@code key OWS = OWS value}, key a token,
   * value baggage-octets. Empty properties are refused.
   */
  private static boolean isValidProperties(String v, int semi, int e) {
    int i = semi;
    while (i < e) {
      // i at ';'
      int s = i + 1;
      int j = s;
      while (j < e && v.charAt(j) != ';') {
        j++;
      }
      int a = s;
      int b = j;
      while (a < b && isOws(v.charAt(a))) {
        a++;
      }
      while (b > a && isOws(v.charAt(b - 1))) {
        b--;
      }
      int k = a;
      while (k < b && Baggage.isTchar(v.charAt(k))) {
        k++;
      }
      if (k == a) {
        return false;
      }
      int afterKey = k;
      while (k < b && isOws(v.charAt(k))) {
        k++;
      }
      if (k < b) {
        if (v.charAt(k) != '=') {
          return false;
        }
        k++;
        while (k < b && isOws(v.charAt(k))) {
          k++;
        }
        if (!isValidValue(v, k, b)) {
          return false;
        }
      } else if (afterKey != b) {
        return false;
      }
      i = j;
    }
    return true;
  }

  /** {@link #decode(String, int, int, List)} without explaining. */
  static String decode(String v, int s, int e) {
    return decode(v, s, e, null);
  }

  /**
   * Percent-decodes as UTF-8; {@code null} when an escape is not {@code %} and two hex digits.
   * Bytes that are not well-formed UTF-8 become U+FFFD (W3C Baggage: "MUST be replaced with the
   * replacement code point"), and that is counted as {@code invalid_utf8}, never silent.
   */
  static String decode(String v, int s, int e, List<Extraction.Rejection> sink) {
    int pct = v.indexOf('%', s);
    if (pct < 0 || pct >= e) {
      return v.substring(s, e);
    }
    byte[] out = new byte[e - s];
    int n = 0;
    for (int i = s; i < e; i++) {
      char c = v.charAt(i);
      if (c == '%') {
        if (i + 2 >= e || !Hex.isAnyHex(v, i + 1, 2)) {
          return null;
        }
        out[n++] = (byte) ((Hex.anyDigit(v.charAt(i + 1)) << 4) | Hex.anyDigit(v.charAt(i + 2)));
        i += 2;
      } else {
        out[n++] = (byte) c;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out, 0, n))
          .toString();
    } catch (CharacterCodingException bad) {
      INVALID_UTF8.record(sink, v.subSequence(s, e));
      return new String(out, 0, n, StandardCharsets.UTF_8);
    }
  }

  /** Percent-encodes the UTF-8 bytes of {@code value} that are not baggage-octets, and {@code %}. */
  static String encode(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 8);
    encode(value, sb);
    return sb.toString();
  }

  /** {@link #encode(String)} appending to {@code out}; plain values are appended as they are. */
  static void encode(String value, StringBuilder out) {
    int n = value.length();
    int i = 0;
    while (i < n) {
      char c = value.charAt(i);
      if (isBaggageOctet(c) && c != '%') {
        out.append(c);
        i++;
        continue;
      }
      int cp = value.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 0x80) {
        pct(out, cp);
      } else if (cp < 0x800) {
        pct(out, 0xC0 | (cp >> 6));
        pct(out, 0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        if (Character.isSurrogate((char) cp)) {
          cp = 0xFFFD; // a lone surrogate has no UTF-8 form; the JDK encoder writes U+FFFD too
        }
        pct(out, 0xE0 | (cp >> 12));
        pct(out, 0x80 | ((cp >> 6) & 0x3F));
        pct(out, 0x80 | (cp & 0x3F));
      } else {
        pct(out, 0xF0 | (cp >> 18));
        pct(out, 0x80 | ((cp >> 12) & 0x3F));
        pct(out, 0x80 | ((cp >> 6) & 0x3F));
        pct(out, 0x80 | (cp & 0x3F));
      }
    }
  }

  private static void pct(StringBuilder out, int b) {
    out.append('%').append((char) UPPER_HEX[(b >> 4) & 0xF]).append((char) UPPER_HEX[b & 0xF]);
  }

  private static final byte[] UPPER_HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  @Override
  <C> void write(TraceContext context, C carrier, Setter<C> setter) {
    Baggage b = context.baggage();
    if (b.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder(128);
    int written = 0;
    for (int i = 0; i < b.size(); i++) {
      if (written == Baggage.MAX_ENTRIES) {
        TRUNCATED.record(null, b.nameAt(i));
        continue;
      }
      String props = b.propertiesAt(i);
      if (!props.isEmpty() && !isValidProperties(";" + props, 0, props.length() + 1)) {
        // Property text set in code may hold anything; never let it break the header.
        TRUNCATED.record(null, b.nameAt(i));
        props = "";
      }
      int before = sb.length();
      if (before > 0) {
        sb.append(',');
      }
      sb.append(b.nameAt(i)).append('=');
      encode(b.valueAt(i), sb);
      if (!props.isEmpty()) {
        sb.append(';').append(props);
      }
      if (sb.length() > Baggage.MAX_HEADER_BYTES) {
        // The whole member goes, never part of it.
        sb.setLength(before);
        TRUNCATED.record(null, b.nameAt(i));
        continue;
      }
      written++;
    }
    if (sb.length() > 0) {
      setter.set(carrier, FIELD, sb.toString());
    }
  }
}
