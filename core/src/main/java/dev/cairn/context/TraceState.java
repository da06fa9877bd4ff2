package dev.cairn.context;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The W3C {@code tracestate}: an ordered list of at most 32 vendor entries, left-most most recent.
 * Immutable.
 *
 * <p>Keys and values follow the grammar of W3C Trace Context Level 2 (keys of 1–256 lower-case
 * letters, digits and {@code _-*\/@}, starting with a letter or digit; values of printable ASCII
 * without {@code ,} and {@code =}, no trailing space). Invalid entries are refused by {@link
 * #with(String, String)} (it returns {@code this}).
 */
public final class TraceState {
  /** The maximum number of list-members W3C allows. */
  public static final int MAX_ENTRIES = 32;

  private static final TraceState EMPTY = new TraceState(new String[0]);

  static {
    dev.cairn.internal.ContextInternals.register(TraceState::ofValidated);
  }

  // Alternating key, value; index 0 is the left-most (most recent) entry.
  private final String[] kv;
  private String header; // rendered lazily, benign race like String.hash

  private TraceState(String[] kv) {
    this.kv = kv;
  }

  /** The empty trace state. */
  public static TraceState empty() {
    return EMPTY;
  }

  /**
   * Builds a trace state from already-validated pairs in wire order. Used by the W3C propagator;
   * keys must be valid and unique, at most {@link #MAX_ENTRIES}.
   *
   * @param keysAndValues alternating key, value, left-most first
   * @param header the exact wire form, or {@code null} to render on demand
   */
  static TraceState ofValidated(String[] keysAndValues, String header) {
    if (keysAndValues.length == 0) {
      return EMPTY;
    }
    TraceState s = new TraceState(keysAndValues);
    s.header = header;
    return s;
  }

  /**
   * Parses a trace state from validated key/value pairs, left-most first. Entries that break the
   * grammar are skipped; a key seen twice keeps its first occurrence; entries beyond 32 are dropped
   * from the right.
   */
  public static TraceState of(Map<String, String> entriesLeftMostFirst) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : entriesLeftMostFirst.entrySet()) {
      if (out.size() / 2 >= MAX_ENTRIES) {
        break;
      }
      if (isValidKey(e.getKey()) && isValidValue(e.getValue())) {
        out.add(e.getKey());
        out.add(e.getValue());
      }
    }
    return out.isEmpty() ? EMPTY : new TraceState(out.toArray(new String[0]));
  }

  /** Number of entries. */
  public int size() {
    return kv.length / 2;
  }

  /** True when there are no entries. */
  public boolean isEmpty() {
    return kv.length == 0;
  }

  /** The value for {@code key}, or the empty string when absent. */
  public String get(String key) {
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i].equals(key)) {
        return kv[i + 1];
      }
    }
    return "";
  }

  /**
   * A new state with {@code key=value} moved to the front (the W3C rule for a vendor that updates
   * its entry); the right-most entry falls off beyond 32. Invalid keys or values return {@code this}.
   */
  public TraceState with(String key, String value) {
    if (!isValidKey(key) || !isValidValue(value)) {
      return this;
    }
    List<String> out = new ArrayList<>(kv.length + 2);
    out.add(key);
    out.add(value);
    for (int i = 0; i < kv.length && out.size() / 2 < MAX_ENTRIES; i += 2) {
      if (!kv[i].equals(key)) {
        out.add(kv[i]);
        out.add(kv[i + 1]);
      }
    }
    return new TraceState(out.toArray(new String[0]));
  }

  /** A new state without {@code key}. */
  public TraceState without(String key) {
    List<String> out = new ArrayList<>(kv.length);
    for (int i = 0; i < kv.length; i += 2) {
      if (!kv[i].equals(key)) {
        out.add(kv[i]);
        out.add(kv[i + 1]);
      }
    }
    return out.size() == kv.length ? this : new TraceState(out.toArray(new String[0]));
  }

  /** Entries left-most first, as an unmodifiable ordered map. */
  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }

  /** Key at position {@code i}, left-most first. */
  public String keyAt(int i) {
    return kv[2 * i];
  }

  /** Value at position {@code i}, left-most first. */
  public String valueAt(int i) {
    return kv[2 * i + 1];
  }

  /** The {@code tracestate} header value ({@code key=value,key=value}); empty when empty. */
  public String toHeader() {
    String h = header;
    if (h == null) {
      StringBuilder sb = new StringBuilder(kv.length * 12);
      for (int i = 0; i < kv.length; i += 2) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(kv[i]).append('=').append(kv[i + 1]);
      }
      h = sb.toString();
      header = h;
    }
    return h;
  }

  /** True when {@code key} matches the W3C {@code tracestate} key grammar. */
  public static boolean isValidKey(String key) {
    return key != null && isValidKey(key, 0, key.length());
  }

  /**
   * Key grammar check on a region, without allocating. W3C Trace Context Level 2: {@code key = (
   * lcalpha / DIGIT ) 0*255 ( keychar )}, {@code keychar = lcalpha / DIGIT / "_" / "-" / "*" / "/" /
   * "@"} (Level 1's tenant/system split around {@code @} is gone from the current text).
   */
  public static boolean isValidKey(CharSequence s, int start, int end) {
    int len = end - start;
    if (len < 1 || len > 256) {
      return false;
    }
    char c0 = s.charAt(start);
    if (!isLcAlpha(c0) && !isDigit(c0)) {
      return false;
    }
    for (int i = start + 1; i < end; i++) {
      char c = s.charAt(i);
      if (!(isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '*' || c == '/' || c == '@')) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code value} matches the W3C {@code tracestate} value grammar. */
  public static boolean isValidValue(String value) {
    return value != null && isValidValue(value, 0, value.length());
  }

  /**
   * Value grammar on a region: {@code 0*255(chr) nblk-chr}, where chr is space or nblk-chr and
   * nblk-chr is printable ASCII except {@code ,} and {@code =}.
   */
  public static boolean isValidValue(CharSequence s, int start, int end) {
    int len = end - start;
    if (len < 1 || len > 256) {
      return false;
    }
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c == ' ') {
        if (i == end - 1) {
          return false;
        }
        continue;
      }
      if (c < 0x21 || c > 0x7E || c == ',' || c == '=') {
        return false;
      }
    }
    return true;
  }

  private static boolean isLcAlpha(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceState && java.util.Arrays.equals(((TraceState) o).kv, kv);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(kv);
  }

  @Override
  public String toString() {
    return "TraceState[" + toHeader() + "]";
  }
}
