package dev.cairn.logback;

import dev.cairn.internal.Fatal;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;

/**
 * Writes SLF4J key-value values as typed JSON: numbers stay numbers, booleans booleans, maps
 * objects, collections and arrays lists, {@code null} null. Everything else is its {@code
 * toString()}, called once and guarded: a throwing or recursing {@code toString()} gives a
 * placeholder, never a broken line.
 */
final class Values {
  static final int MAX_DEPTH = 8;
  static final int MAX_ENTRIES = 128;
  static final int MAX_KEY_CHARS = 256;

  private Values() {}

  /** Writes {@code v}; strings pass through {@code masker} (may be null) and the string cap. */
  static void write(JsonLine out, Object v, Masker masker, int maxStringBytes, int depth) {
    if (out.overflow) {
      return; // the member is being rolled back: stop walking (bounds self-containing lists)
    }
    if (v == null) {
      out.ascii("null");
    } else if (v instanceof String) {
      out.string(mask(masker, (String) v), maxStringBytes);
    } else if (v instanceof Boolean) {
      out.bool((Boolean) v);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      out.number(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isFinite(d)) {
        out.ascii(v.toString());
      } else {
        out.string(v.toString(), maxStringBytes); // JSON has no NaN or Infinity
      }
    } else if (v instanceof BigInteger) {
      out.ascii(v.toString());
    } else if (v instanceof BigDecimal) {
      out.ascii(((BigDecimal) v).toString());
    } else if (depth >= MAX_DEPTH) {
      out.string("[depth limit]", maxStringBytes);
      out.truncated = true;
    } else if (v instanceof Map) {
      writeMap(out, (Map<?, ?>) v, masker, maxStringBytes, depth + 1);
    } else if (v instanceof Iterable) {
      out.raw('[');
      int n = 0;
      for (Object e : (Iterable<?>) v) {
        if (out.overflow) {
          break;
        }
        if (n == MAX_ENTRIES) {
          out.truncated = true;
          break;
        }
        if (n++ > 0) {
          out.raw(',');
        }
        write(out, e, masker, maxStringBytes, depth + 1);
      }
      out.raw(']');
    } else if (v.getClass().isArray()) {
      out.raw('[');
      int len = Array.getLength(v);
      for (int i = 0; i < len; i++) {
        if (out.overflow) {
          break;
        }
        if (i == MAX_ENTRIES) {
          out.truncated = true;
          break;
        }
        if (i > 0) {
          out.raw(',');
        }
        write(out, Array.get(v, i), masker, maxStringBytes, depth + 1);
      }
      out.raw(']');
    } else if (v instanceof Optional) {
      write(out, ((Optional<?>) v).orElse(null), masker, maxStringBytes, depth + 1);
    } else if (v instanceof Character || v instanceof CharSequence || v instanceof Enum) {
      out.string(mask(masker, safeToString(v)), maxStringBytes);
    } else {
      out.string(mask(masker, safeToString(v)), maxStringBytes);
    }
  }

  private static void writeMap(
      JsonLine out, Map<?, ?> m, Masker masker, int maxStringBytes, int depth) {
    out.raw('{');
    JsonLine.KeySet keys = out.nested(depth);
    int n = 0;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (out.overflow) {
        break;
      }
      if (n == MAX_ENTRIES) {
        out.truncated = true;
        break;
      }
      String key = mask(masker, safeToString(e.getKey()));
      if (out.dynamicName("", key, keys, n == 0) < 0) {
        continue;
      }
      n++;
      Object value = e.getValue();
      if (masker != null && masker.isSensitiveKey(key)) {
        out.string(Masker.MASK, maxStringBytes);
      } else {
        write(out, value, masker, maxStringBytes, depth);
      }
    }
    out.raw('}');
  }

  static String mask(Masker masker, String s) {
    return masker == null ? s : masker.mask(s);
  }

  /** {@code String.valueOf(v)} that survives a throwing or recursing {@code toString()}. */
  static String safeToString(Object v) {
    if (v == null) {
      return "null";
    }
    try {
      String s = v.toString();
      return s == null ? "null" : s;
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      return "[toString() failed: " + t.getClass().getName() + "]";
    }
  }
}
