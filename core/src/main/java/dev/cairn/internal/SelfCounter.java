package dev.cairn.internal;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * One of Cairn's own health counters: a monotonic count with the metadata a metrics bridge needs
 * (name, description, base unit, tags as alternating key/value pairs).
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class SelfCounter {
  private final String name;
  private final String description;
  private final String baseUnit;
  private final List<String> tags;
  private final LongAdder count = new LongAdder();

  SelfCounter(String name, String description, String baseUnit, List<String> tags) {
    this.name = name;
    this.description = description;
    this.baseUnit = baseUnit;
    this.tags = tags;
  }

  public void increment() {
    count.increment();
  }

  public void add(long n) {
    count.add(n);
  }

  public long count() {
    return count.sum();
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public String baseUnit() {
    return baseUnit;
  }

  /** Tags as alternating key, value, key, value. */
  public List<String> tags() {
    return tags;
  }

  /** Value of tag {@code key}, or the empty string. */
  public String tag(String key) {
    for (int i = 0; i + 1 < tags.size(); i += 2) {
      if (tags.get(i).equals(key)) {
        return tags.get(i + 1);
      }
    }
    return "";
  }

  @Override
  public String toString() {
    return name + tags + "=" + count();
  }
}
