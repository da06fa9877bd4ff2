package dev.cairn.metrics;

import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link MeterFilter} that caps the number of distinct tag sets per meter name, and the number of
 * meters in all, so a tag fed from user input (a path, a user id) cannot explode memory.
 *
 * <p>Beyond the cap, a new tag set is not lost: it is mapped onto one <em>overflow series</em> of
 * the same meter whose tag keys are kept and whose every tag value is {@value #OVERFLOW_VALUE}. Its
 * samples land there, so totals stay right while detail is capped. Each registration that hits the
 * cap increments {@code cairn.metrics.cardinality.overflow{meter=<name>}}; the first overflow of
 * each meter name is reported once through SLF4J.
 *
 * <p>Memory stays bounded because Micrometer does not cache pre-filter ids that a filter maps onto
 * an id that is already registered (micrometer#4971); the guard itself remembers only the tag sets
 * it accepted, at most {@code maxPerName} per name and {@code maxTotal} overall.
 *
 * <p>Install it once, on the outermost registry (for a composite, the composite). Applying it twice
 * is still safe: an id that is already an overflow id passes through and is not counted again.
 */
public final class CardinalityGuard implements MeterFilter {
  /** The tag value of the overflow series. */
  public static final String OVERFLOW_VALUE = "_overflow";

  /** Default cap of distinct tag sets per meter name. */
  public static final int DEFAULT_MAX_PER_NAME = 1_000;

  /** Default cap of meters (distinct ids) in all. */
  public static final int DEFAULT_MAX_TOTAL = 10_000;

  private final int maxPerName;
  private final int maxTotal;
  private final ConcurrentHashMap<String, Set<List<Tag>>> accepted = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final SelfCounters counters;

  private CardinalityGuard(int maxPerName, int maxTotal, SelfCounters counters) {
    if (maxPerName < 1) {
      throw new IllegalArgumentException("maxPerName must be at least 1, was " + maxPerName);
    }
    if (maxTotal < 1) {
      throw new IllegalArgumentException("maxTotal must be at least 1, was " + maxTotal);
    }
    this.maxPerName = maxPerName;
    this.maxTotal = maxTotal;
    this.counters = counters;
  }

  /** A guard with the default caps (1,000 tag sets per name, 10,000 meters in all). */
  public static CardinalityGuard withDefaults() {
    return of(DEFAULT_MAX_PER_NAME, DEFAULT_MAX_TOTAL);
  }

  /**
   * A guard with these caps; overflows are counted in Cairn's process-wide health counters.
   *
   * @throws IllegalArgumentException when a cap is below 1
   */
  public static CardinalityGuard of(int maxPerName, int maxTotal) {
    return new CardinalityGuard(maxPerName, maxTotal, SelfCounters.GLOBAL);
  }

  static CardinalityGuard of(int maxPerName, int maxTotal, SelfCounters counters) {
    return new CardinalityGuard(maxPerName, maxTotal, counters);
  }

  /** The per-name cap. */
  public int maxPerName() {
    return maxPerName;
  }

  /** The cap on meters in all. */
  public int maxTotal() {
    return maxTotal;
  }

  /** Distinct tag sets accepted so far, across names. */
  public int acceptedCount() {
    return total.get();
  }

  /** Registrations mapped to an overflow series so far, for {@code meterName}. */
  public long overflowCount(String meterName) {
    return overflowCounter(meterName).count();
  }

  @Override
  public Meter.Id map(Meter.Id id) {
    try {
      return guard(id);
    } catch (Throwable t) {
      dev.cairn.internal.Fatal.rethrowIfFatal(t);
      // A filter that throws breaks the application's meter registration; never do that.
      Reporter.warn("metrics.guard.failed", "Cardinality guard failed; meter passed unguarded", t);
      return id;
    }
  }

  private Meter.Id guard(Meter.Id id) {
    List<Tag> tags = id.getTags();
    if (tags.isEmpty() || isOverflowId(tags)) {
      return id;
    }
    Set<List<Tag>> seen = accepted.get(id.getName());
    if (seen != null && seen.contains(tags)) {
      return id;
    }
    if (seen == null) {
      if (total.get() >= maxTotal) {
        return overflow(id, tags, "the global cap of " + maxTotal + " meters");
      }
      seen = accepted.computeIfAbsent(id.getName(), n -> ConcurrentHashMap.newKeySet());
    }
    // Reserve a slot in both caps before accepting, so racing registrations never exceed them.
    while (true) {
      int t = total.get();
      if (t >= maxTotal) {
        return overflow(id, tags, "the global cap of " + maxTotal + " meters");
      }
      if (seen.size() >= maxPerName) {
        return overflow(id, tags, "the cap of " + maxPerName + " tag sets per meter name");
      }
      if (total.compareAndSet(t, t + 1)) {
        break;
      }
    }
    if (!seen.add(tags)) {
      total.decrementAndGet(); // another thread accepted the same tag set first
    } else if (seen.size() > maxPerName) {
      // Lost a race with other new tag sets of this name: give the slot back and overflow.
      seen.remove(tags);
      total.decrementAndGet();
      return overflow(id, tags, "the cap of " + maxPerName + " tag sets per meter name");
    }
    return id;
  }

  private Meter.Id overflow(Meter.Id id, List<Tag> tags, String why) {
    SelfCounter c = overflowCounter(id.getName());
    if (c.count() == 0) {
      Reporter.warn(
          "metrics.overflow." + id.getName(),
          "Meter '"
              + id.getName()
              + "' reached "
              + why
              + "; further tag sets are recorded under tag value "
              + OVERFLOW_VALUE,
          null);
    }
    c.increment();
    List<Tag> replaced = new ArrayList<>(tags.size());
    for (Tag tag : tags) {
      replaced.add(Tag.of(tag.getKey(), OVERFLOW_VALUE));
    }
    return id.replaceTags(replaced);
  }

  private SelfCounter overflowCounter(String meterName) {
    return counters.counter(
        "cairn.metrics.cardinality.overflow",
        "Meter registrations mapped to the overflow series by the cardinality guard",
        "registrations",
        "meter",
        meterName);
  }

  private static boolean isOverflowId(List<Tag> tags) {
    for (Tag tag : tags) {
      if (!OVERFLOW_VALUE.equals(tag.getValue())) {
        return false;
      }
    }
    return true;
  }
}
