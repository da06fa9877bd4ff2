package dev.cairn.span;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A small growable list of attributes in one array of alternating keys and values, with linear key
 * lookup (attribute counts are small; a hash map costs more than it saves below a few dozen
 * entries). The type of each value follows from its class ({@link TypedList} for arrays), so no
 * second array is needed. Not thread-safe.
 */
final class AttrList {
  private static final Object[] NONE = {};

  Object[] kv = NONE;
  int size;
  int dropped;

  /**
   * Sets {@code key}; a new key beyond {@code maxCount} is dropped and counted here. {@code type}
   * is implied by {@code value} and only documents the call.
   */
  boolean put(String key, Object value, AttributeType type, int maxCount) {
    Object[] a = kv;
    for (int i = 0; i < size; i++) {
      if (key.equals(a[2 * i])) {
        a[2 * i + 1] = value;
        return true;
      }
    }
    if (size >= maxCount) {
      dropped++;
      return false;
    }
    if (2 * size == a.length) {
      a = kv = Arrays.copyOf(a, a.length == 0 ? 8 : a.length * 2);
    }
    a[2 * size] = key;
    a[2 * size + 1] = value;
    size++;
    return true;
  }

  /** An immutable view; the caller promises not to write to this list afterwards. */
  Attributes freeze() {
    return size == 0 ? Attributes.empty() : new Attributes(kv, size);
  }

  /** An immutable copy (for reads while the owner may still write). */
  Attributes copy() {
    return size == 0 ? Attributes.empty() : new Attributes(Arrays.copyOf(kv, 2 * size), size);
  }

  static AttributeType typeOf(Object v) {
    if (v instanceof String) {
      return AttributeType.STRING;
    }
    if (v instanceof Long) {
      return AttributeType.LONG;
    }
    if (v instanceof Double) {
      return AttributeType.DOUBLE;
    }
    if (v instanceof Boolean) {
      return AttributeType.BOOLEAN;
    }
    return ((TypedList<?>) v).type;
  }

  static List<String> strings(String[] in) {
    Object[] copy = new Object[in.length];
    for (int i = 0; i < in.length; i++) {
      copy[i] = in[i] == null ? "" : in[i];
    }
    return new TypedList<>(AttributeType.STRING_ARRAY, copy);
  }

  static List<Long> longs(long[] in) {
    Object[] copy = new Object[in.length];
    for (int i = 0; i < in.length; i++) {
      copy[i] = in[i];
    }
    return new TypedList<>(AttributeType.LONG_ARRAY, copy);
  }

  static List<Double> doubles(double[] in) {
    Object[] copy = new Object[in.length];
    for (int i = 0; i < in.length; i++) {
      copy[i] = in[i];
    }
    return new TypedList<>(AttributeType.DOUBLE_ARRAY, copy);
  }

  static List<Boolean> booleans(boolean[] in) {
    Object[] copy = new Object[in.length];
    for (int i = 0; i < in.length; i++) {
      copy[i] = in[i];
    }
    return new TypedList<>(AttributeType.BOOLEAN_ARRAY, copy);
  }

  /** An unmodifiable array value that knows its attribute type (even when empty). */
  static final class TypedList<E> extends AbstractList<E> implements RandomAccess {
    final AttributeType type;
    private final Object[] items;

    TypedList(AttributeType type, Object[] items) {
      this.type = type;
      this.items = items;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
      return (E) items[index];
    }

    @Override
    public int size() {
      return items.length;
    }
  }
}
