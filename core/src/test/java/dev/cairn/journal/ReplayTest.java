package dev.cairn.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked example: a bank account. Two tellers read the balance at the same version and both
 * withdraw; the second write is computed from stale state, so one withdrawal is lost. Replay finds
 * the event where the truth broke.
 */
class ReplayTest {
  @TempDir Path dir;

  /** Payload: the amount (+ deposit, - withdrawal) and the balance the writer believed it left. */
  static final Codec<long[]> MOVE =
      new Codec<>() {
        @Override
        public byte[] encode(long[] v) {
          return ByteBuffer.allocate(16).putLong(v[0]).putLong(v[1]).array();
        }

        @Override
        public long[] decode(byte[] b) {
          ByteBuffer bb = ByteBuffer.wrap(b);
          return new long[] {bb.getLong(), bb.getLong()};
        }
      };

  static final Reducer<Long> BALANCE = (balance, e) -> balance + e.payload(MOVE)[0];

  Journal journal;
  Appended opened;
  Appended tellerA;
  Appended tellerB;

  @BeforeEach
  void bank() {
    journal = Journal.builder(dir).nodeId("bank-1").build();
    opened = journal.append(NewEvent.builder("Deposited").key("acct-1").value(new long[] {100, 100}, MOVE).expectedVersion(0).build());
    journal.append(NewEvent.builder("Deposited").key("acct-2").value(new long[] {5, 5}, MOVE).expectedVersion(0).build());
    // Both tellers read acct-1 at version 1 (balance 100).
    tellerA = journal.append(NewEvent.builder("Withdrawn").key("acct-1").value(new long[] {-30, 70}, MOVE).expectedVersion(1).causedBy(opened.id()).build());
    tellerB = journal.append(NewEvent.builder("Withdrawn").key("acct-1").value(new long[] {-50, 50}, MOVE).expectedVersion(1).causedBy(opened.id()).build());
    journal.append(NewEvent.builder("Deposited").key("acct-1").value(new long[] {10, 30}, MOVE).expectedVersion(3).build());
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    journal.close();
  }

  @Test
  void lostUpdateFinderPointsAtTheStaleWriteAndTheOneThatGotThereFirst() {
    List<LostUpdate> lost = Replay.lostUpdates(journal.read(0));
    assertThat(lost).singleElement().satisfies(l -> {
      assertThat(l.key()).isEqualTo("acct-1");
      assertThat(l.readVersion()).isEqualTo(1);
      assertThat(l.actualVersion()).isEqualTo(2);
      assertThat(l.first().id()).isEqualTo(tellerA.id());
      assertThat(l.lost().id()).isEqualTo(tellerB.id());
    });
  }

  @Test
  void causedByAloneIsEnoughToFindTheLostUpdate() {
    try (Journal j = Journal.builder(dir.resolve("c")).build()) {
      Appended read = j.append("Deposited", "acct", new byte[0]);
      j.append(NewEvent.builder("Withdrawn").key("acct").causedBy(read.id()).build());
      Appended second = j.append(NewEvent.builder("Withdrawn").key("acct").causedBy(read.id()).build());
      assertThat(Replay.lostUpdates(j.read(0))).singleElement().satisfies(l -> assertThat(l.lost().id()).isEqualTo(second.id()));
    }
  }

  @Test
  void noLostUpdateWhenWritersReadTheLatestVersion() {
    try (Journal j = Journal.builder(dir.resolve("ok")).build()) {
      for (int v = 0; v < 5; v++) {
        j.append(NewEvent.builder("Moved").key("acct").expectedVersion(v).build());
      }
      assertThat(Replay.lostUpdates(j.read(0))).isEmpty();
    }
  }

  @Test
  void divergenceFinderReportsTheFirstEventWhereRecordedAndRebuiltStateDiffer() {
    Optional<Divergence<Long>> d =
        Replay.of(0L, BALANCE)
            .filter(e -> e.key().equals("acct-1"))
            .firstDivergence(journal.read(0), e -> Optional.of(e.payload(MOVE)[1]));
    assertThat(d).hasValueSatisfying(x -> {
      assertThat(x.event().id()).isEqualTo(tellerB.id());
      assertThat(x.recorded()).isEqualTo(50L);
      assertThat(x.rebuilt()).isEqualTo(20L);
    });
  }

  @Test
  void foldsUpToAPositionAnHlcOrAPredicate() {
    Replay<Long> acct1 = Replay.of(0L, BALANCE).filter(e -> e.key().equals("acct-1"));
    assertThat(acct1.run(journal.read(0)).state()).isEqualTo(30L);
    assertThat(acct1.upToPosition(tellerA.position()).run(journal.read(0)).state()).isEqualTo(70L);
    Hlc atA = Hlc.of(tellerA.hlc() >>> 16, (int) (tellerA.hlc() & 0xFFFF), "bank-1");
    assertThat(acct1.upTo(atA).run(journal.read(0)).state()).isEqualTo(70L);
    Replay.Result<Long> r = acct1.until(e -> e.type().equals("Withdrawn")).run(journal.read(0));
    assertThat(r.state()).isEqualTo(70L);
    assertThat(r.stoppedAt()).hasValueSatisfying(e -> assertThat(e.id()).isEqualTo(tellerA.id()));
    assertThat(r.corruptions()).isEmpty();
  }

  @Test
  void replayFromASnapshotGivesTheSameStateAsFromTheStart() throws Exception {
    Replay<Long> acct1 = Replay.of(0L, BALANCE).filter(e -> e.key().equals("acct-1"));
    Replay.Result<Long> half = acct1.upToPosition(2).run(journal.read(0));
    Codec<Long> longs =
        new Codec<>() {
          @Override
          public byte[] encode(Long v) {
            return ByteBuffer.allocate(8).putLong(v).array();
          }

          @Override
          public Long decode(byte[] b) {
            return ByteBuffer.wrap(b).getLong();
          }
        };
    Path file = dir.resolve("acct-1.snapshot");
    new Snapshot<>(half.lastPosition() + 1, half.state()).save(file, longs);
    Snapshot<Long> loaded = Snapshot.load(file, longs);
    Replay.Result<Long> rest = acct1.from(loaded).run(journal.read(loaded.nextPosition()));
    assertThat(rest.state()).isEqualTo(acct1.run(journal.read(0)).state());
    assertThat(rest.events()).isEqualTo(2);
  }
}
