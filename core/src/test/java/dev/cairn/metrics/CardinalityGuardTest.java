package dev.cairn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.internal.SelfCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class CardinalityGuardTest {

  private static SimpleMeterRegistry guarded(CardinalityGuard guard) {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    r.config().meterFilter(guard);
    return r;
  }

  @Test
  void belowTheCap_everyTagSetGetsItsOwnSeries() {
    SimpleMeterRegistry r = guarded(CardinalityGuard.of(10, 100, new SelfCounters()));
    for (int i = 0; i < 10; i++) {
      r.counter("http.requests", "path", "/p" + i).increment();
    }
    assertThat(r.find("http.requests").counters()).hasSize(10);
  }

  @Test
  void beyondThePerNameCap_samplesGoToOneOverflowSeriesAndAreNotLost() {
    SimpleMeterRegistry r = guarded(CardinalityGuard.of(10, 100, new SelfCounters()));
    for (int i = 0; i < 50; i++) {
      r.counter("http.requests", "path", "/p" + i, "method", "GET").increment();
    }
    assertThat(r.find("http.requests").counters()).hasSize(11);
    Counter overflow =
        r.get("http.requests")
            .tags("path", CardinalityGuard.OVERFLOW_VALUE, "method", CardinalityGuard.OVERFLOW_VALUE)
            .counter();
    assertThat(overflow.count()).isEqualTo(40.0);
    double total = r.find("http.requests").counters().stream().mapToDouble(Counter::count).sum();
    assertThat(total).isEqualTo(50.0);
  }

  @Test
  void hundredThousandDistinctValues_keepMetersBoundedAndCountOverflowsExactly() {
    SelfCounters counters = new SelfCounters();
    CardinalityGuard guard = CardinalityGuard.of(1_000, 10_000, counters);
    SimpleMeterRegistry r = guarded(guard);
    long heapBefore = usedHeapAfterGc();
    for (int i = 0; i < 100_000; i++) {
      r.counter("user.logins", "user", "u" + i).increment();
    }
    long heapDelta = usedHeapAfterGc() - heapBefore;
    assertThat(r.find("user.logins").counters()).hasSize(1_001);
    assertThat(guard.overflowCount("user.logins")).isEqualTo(99_000);
    assertThat(counters.total("cairn.metrics.cardinality.overflow")).isEqualTo(99_000);
    assertThat(r.getMeters()).hasSize(1_001);
    assertThat(heapDelta).isLessThan(5L * 1024 * 1024);
  }

  @Test
  void globalCap_overflowsNewNamesToo() {
    SelfCounters counters = new SelfCounters();
    SimpleMeterRegistry r = guarded(CardinalityGuard.of(100, 5, counters));
    for (int i = 0; i < 10; i++) {
      r.counter("m" + i, "k", "v").increment();
    }
    long accepted = r.getMeters().stream().filter(m -> m.getId().getTag("k").equals("v")).count();
    assertThat(accepted).isEqualTo(5);
    assertThat(counters.total("cairn.metrics.cardinality.overflow")).isEqualTo(5);
  }

  @Test
  void appliedOnCompositeAndChild_countsEachOverflowOnce() {
    SelfCounters counters = new SelfCounters();
    CardinalityGuard guard = CardinalityGuard.of(2, 100, counters);
    SimpleMeterRegistry child = guarded(guard);
    CompositeMeterRegistry composite = new CompositeMeterRegistry();
    composite.config().meterFilter(guard);
    composite.add(child);
    for (int i = 0; i < 5; i++) {
      composite.counter("jobs", "id", "j" + i).increment();
    }
    assertThat(counters.total("cairn.metrics.cardinality.overflow")).isEqualTo(3);
    assertThat(child.find("jobs").counters()).hasSize(3);
  }

  @Test
  void metersWithoutTags_areNeverCapped() {
    SimpleMeterRegistry r = guarded(CardinalityGuard.of(1, 1, new SelfCounters()));
    for (int i = 0; i < 5; i++) {
      r.counter("plain" + i).increment();
    }
    assertThat(r.getMeters()).hasSize(5);
  }

  @Test
  void deniedIdsShapeOfMicrometer4971_heapReturnsToBaseline() {
    MeterRegistry r = guarded(CardinalityGuard.of(10, 100, new SelfCounters()));
    for (int i = 0; i < 1_000; i++) {
      r.counter("warm", "v", "w" + i).increment(); // fill caches and the overflow series first
    }
    long before = usedHeapAfterGc();
    for (int i = 0; i < 1_000_000; i++) {
      r.counter("warm", "v", "x" + i).increment();
    }
    long after = usedHeapAfterGc();
    assertThat(after - before).isLessThan(1024L * 1024);
  }

  @Test
  void caps_belowOneAreRefusedWithTheValue() {
    assertThatThrownBy(() -> CardinalityGuard.of(0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
