package dev.cairn.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HybridClockTest {
  private final AtomicLong wall = new AtomicLong(1_000_000);
  private final HybridClock clock = HybridClock.create("node-a", wall::get, 60_000);

  @Test
  void followsTheWallClockWhenItAdvances() {
    Hlc a = clock.now();
    wall.addAndGet(5);
    Hlc b = clock.now();
    assertThat(a.physicalMillis()).isEqualTo(1_000_000);
    assertThat(a.logical()).isZero();
    assertThat(b.physicalMillis()).isEqualTo(1_000_005);
    assertThat(b.logical()).isZero();
  }

  @Test
  void staysMonotonicWhenTheWallClockGoesBack() {
    Hlc previous = clock.now();
    wall.addAndGet(-10_000); // NTP step backwards
    for (int i = 0; i < 1000; i++) {
      if (i % 100 == 0) {
        wall.addAndGet(-1);
      }
      Hlc next = clock.now();
      assertThat(next).isGreaterThan(previous);
      assertThat(next.physicalMillis()).isEqualTo(1_000_000);
      previous = next;
    }
  }

  @Test
  void logicalOverflowCarriesIntoThePhysicalPart() {
    Hlc previous = clock.now();
    for (int i = 0; i < Hlc.MAX_LOGICAL + 10; i++) {
      Hlc next = clock.now();
      assertThat(next.packed()).isGreaterThan(previous.packed());
      previous = next;
    }
    assertThat(previous.physicalMillis()).isEqualTo(1_000_001);
  }

  @Test
  void afterReceivingARemoteTimestampEveryLocalOneIsLater() {
    clock.now();
    Hlc remote = Hlc.of(1_000_500, 7, "node-b"); // the sender's clock runs ahead
    assertThat(clock.receive(remote.toString())).isTrue();
    Hlc local = clock.now();
    assertThat(local).isGreaterThan(remote);
    assertThat(local.physicalMillis()).isEqualTo(1_000_500);
    assertThat(local.logical()).isEqualTo(8);
  }

  @Test
  void receivingAnOlderTimestampChangesNothingButOrder() {
    wall.set(2_000_000);
    Hlc before = clock.now();
    assertThat(clock.receive(Hlc.of(1_500_000, 3, "node-b"))).isTrue();
    Hlc after = clock.now();
    assertThat(after).isGreaterThan(before);
    assertThat(after.physicalMillis()).isEqualTo(2_000_000);
  }

  @Test
  void refusesAndCountsARemoteTimestampTooFarAhead() {
    long before = dev.cairn.internal.SelfCounters.GLOBAL.total("cairn.journal.hlc.rejected");
    assertThat(clock.receive(Hlc.of(1_000_000 + 3_600_000, 0, "node-b"))).isFalse();
    assertThat(clock.now().physicalMillis()).isEqualTo(1_000_000);
    assertThat(dev.cairn.internal.SelfCounters.GLOBAL.total("cairn.journal.hlc.rejected")).isEqualTo(before + 1);
  }

  @Test
  void refusesMalformedHeaderValuesWithoutThrowing() {
    for (String bad :
        new String[] {
          "", "abc", "12", "12.", "12.3", "12.3@", ".3@n", "12.3@bad node", "99999999999999999.0@n",
          "12.70000@n", "-1.0@n", "12.3@" + "x".repeat(65), "1.2@n\n"
        }) {
      assertThat(clock.receive(bad)).as(bad).isFalse();
    }
    assertThat(clock.receive((CharSequence) null)).isFalse();
  }

  @Test
  void textFormRoundTrips() {
    Hlc h = Hlc.of(1764309712345L, 3, "orders-1");
    assertThat(h.toString()).isEqualTo("1764309712345.3@orders-1");
    assertThat(Hlc.parse(h.toString())).contains(h);
  }

  @Test
  void ordersByPhysicalThenLogicalThenNode() {
    assertThat(Hlc.of(1, 5, "z")).isLessThan(Hlc.of(2, 0, "a"));
    assertThat(Hlc.of(2, 0, "z")).isLessThan(Hlc.of(2, 1, "a"));
    assertThat(Hlc.of(2, 1, "a")).isLessThan(Hlc.of(2, 1, "b"));
  }

  @Test
  void rejectsAnInvalidNodeIdAtConfiguration() {
    assertThatThrownBy(() -> HybridClock.create("has space"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node id");
  }

  @Test
  void journalKeepsItsClockMonotonicAcrossRestartWithAClockBehind(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    long last;
    try (Journal j = Journal.builder(dir).clock(HybridClock.create("n", () -> 5_000_000, 60_000)).build()) {
      j.append("E", "", new byte[0]);
      last = j.append("E", "", new byte[0]).hlc();
    }
    // The machine's clock is now an hour behind what was written.
    try (Journal j = Journal.builder(dir).clock(HybridClock.create("n", () -> 5_000_000 - 3_600_000, 60_000)).build()) {
      assertThat(j.append("E", "", new byte[0]).hlc()).isGreaterThan(last);
    }
  }

  @Test
  void travelsInTheCairnHlcHeaderThroughAPropagationCarrier() {
    java.util.Map<String, String> headers = new java.util.HashMap<>();
    HybridClock sender = HybridClock.create("svc-a", () -> 1_000_900, 60_000);
    sender.inject(headers, java.util.Map::put);
    assertThat(headers).containsKey("cairn-hlc");
    assertThat(clock.extract(headers, (c, n) -> c.getOrDefault(n, ""))).isTrue();
    assertThat(clock.now().physicalMillis()).isEqualTo(1_000_900);
    assertThat(clock.extract(new java.util.HashMap<String, String>(), (c, n) -> c.getOrDefault(n, ""))).isFalse();
  }

  @Test
  void travelsInBaggageWhenHeadersCannotBeAdded() {
    HybridClock sender = HybridClock.create("svc-a", () -> 1_000_700, 60_000);
    dev.cairn.context.Baggage baggage = sender.inject(dev.cairn.context.Baggage.empty());
    assertThat(baggage.get("cairn.hlc")).isPresent();
    assertThat(clock.extract(baggage)).isTrue();
    assertThat(clock.now().physicalMillis()).isEqualTo(1_000_700);
  }
}
