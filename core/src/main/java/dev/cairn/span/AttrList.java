package dev.cairn.span;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A small growable list of attributes: parallel arrays, linear key lookup (attribute counts are
 * small and a hash map costs more than it saves below a few dozen entries). Not thread-safe.
 */
final class AttrList {
  private static final String[] NO_KEYS = {};
  private static final Object[] NO_VALUES = {};
  private static final AttributeType[] NO_TYPES = {};

  String[] keys = NO_KEYS;
  Object[] values = NO_VALUES;
  AttributeType[] types = NO_TYPES;
  int size;
  int dropped;

  /** Sets {@code key}; a new key beyond {@code maxCount} is dropped and counted here. */
  boolean put(String key, Object value, AttributeType type, int maxCount) {
    for (int i = 0; i < size; i++) {
      if (keys[i].equals(key)) {
        values[i] = value;
        types[i] = type;
        return true;
      }
    }
    if (size >= maxCount) {
      dropped++;
      return false;
    }
    if (size == keys.length) {
      int n = size == 0 ? 8 : size * 2;
      keys = Arrays.copyOf(keys, n);
      values = Arrays.copyOf(values, n);
      types = Arrays.copyOf(types, n);
    }
    keys[size] = key;
    values[size] = value;
    types[size] = type;
    size++;
    return true;
  }

  /** An immutable view; the caller promises not to write to this list afterwards. */
  Attributes freeze() {
    return size == 0 ? Attributes.empty() : new Attributes(keys, values, types, size);
  }

  /** An immutable copy (for reads while the owner may still write). */
  Attributes copy() {
    return size == 0
        ? Attributes.empty()
        : new Attributes(
            Arrays.copyOf(keys, size), Arrays.copyOf(values, size), Arrays.copyOf(types, size), size);
  }

  static List<String> strings(String[] in) {
    String[] copy = new String[in.length];
    for (int i = 0; i < in.length; i++) {
      copy[i] = in[i] == null ? "" : in[i];
    }
    return Collections.unmodifiableList(Arrays.asList(copy));
  }

  static List<Long> longs(long[] in) {
    List<Long> out = new ArrayList<>(in.length);
    for (long v : in) {
      out.add(v);
    }
    return Collections.unmodifiableList(out);
  }

  static List<Double> doubles(double[] in) {
    List<Double> out = new ArrayList<>(in.length);
    for (double v : in) {
      out.add(v);
    }
    return Collections.unmodifiableList(out);
  }

  static List<Boolean> booleans(boolean[] in) {
    List<Boolean> out = new ArrayList<>(in.length);
    for (boolean v : in) {
      out.add(v);
    }
    return Collections.unmodifiableList(out);
  }
}
