package dev.cairn.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A bounded registry of {@link SelfCounter}s: Cairn's own health (drops, rejections, misuse).
 * {@link #GLOBAL} holds process-wide counters (context storage, propagation); components owned by
 * one {@code Cairn} instance may keep their own registry. The metrics bridge publishes them.
 *
 * <p>Bounded: beyond {@link #MAX_COUNTERS} distinct counters, further ones share one overflow
 * counter, so a bug that invents tag values cannot grow memory.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class SelfCounters {
  /** Process-wide counters. */
  public static final SelfCounters GLOBAL = new SelfCounters();

  static final int MAX_COUNTERS = 2048;

  private final ConcurrentHashMap<Key, SelfCounter> counters = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<SelfCounter>> listeners = new CopyOnWriteArrayList<>();
  private final SelfCounter overflow =
      new SelfCounter(
          "cairn.self.counters.overflow",
          "Increments of Cairn health counters beyond the registry's cap",
          "events",
          List.of());

  /**
   * Returns the counter with this name and tags, creating it on first use.
   *
   * @param tags alternating key, value pairs
   */
  public SelfCounter counter(String name, String description, String baseUnit, String... tags) {
    Key key = new Key(name, tags);
    SelfCounter c = counters.get(key);
    if (c != null) {
      return c;
    }
    if (counters.size() >= MAX_COUNTERS) {
      return overflow;
    }
    SelfCounter[] created = new SelfCounter[1];
    SelfCounter result =
        counters.computeIfAbsent(
            key,
            k ->
                created[0] =
                    new SelfCounter(
                        name,
                        description,
                        baseUnit,
                        Collections.unmodifiableList(Arrays.asList(tags.clone()))));
    if (created[0] != null) {
      for (Consumer<SelfCounter> l : listeners) {
        try {
          l.accept(created[0]);
        } catch (RuntimeException e) {
          // A listener (the metrics bridge) must not break the component counting a drop.
        }
      }
    }
    return result;
  }

  /**
   * Calls {@code listener} for every counter that exists now and for each one created later (the
   * metrics bridge uses this to publish counters born after it was bound).
   *
   * @return a handle that removes the listener
   */
  public AutoCloseable subscribe(Consumer<SelfCounter> listener) {
    listeners.add(listener);
    for (SelfCounter c : counters.values()) {
      listener.accept(c);
    }
    return () -> listeners.remove(listener);
  }

  /** A snapshot of every counter (creation order not guaranteed). */
  public List<SelfCounter> all() {
    List<SelfCounter> out = new ArrayList<>(counters.values());
    if (overflow.count() > 0) {
      out.add(overflow);
    }
    return out;
  }

  /** Sum of every counter with this name, across tags. */
  public long total(String name) {
    long sum = 0;
    for (SelfCounter c : counters.values()) {
      if (c.name().equals(name)) {
        sum += c.count();
      }
    }
    return sum;
  }

  private static final class Key {
    private final String name;
    private final String[] tags;
    private final int hash;

    Key(String name, String[] tags) {
      this.name = name;
      this.tags = tags;
      this.hash = 31 * name.hashCode() + Arrays.hashCode(tags);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key
          && ((Key) o).name.equals(name)
          && Arrays.equals(((Key) o).tags, tags);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
