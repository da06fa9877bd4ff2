package dev.cairn.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RELIABILITY F27 (tail damage) and mid-file corruption. */
class JournalDamageTest {
  @TempDir Path tmp;

  private static final int RECORDS = 12;

  /** Writes RECORDS events and returns each record's [offset, end) in the single segment. */
  private static long[][] writeJournal(Path dir) {
    try (Journal j = Journal.builder(dir).nodeId("n1").fsync(FsyncPolicy.never()).build()) {
      for (int i = 0; i < RECORDS; i++) {
        j.append("Deposited", "acct-" + (i % 3), ("{\"amount\":" + i + "}").getBytes(StandardCharsets.UTF_8));
      }
    }
    List<Event> events = JournalRoundTripTest.readAll(openReader(dir).read(0));
    long[][] frames = new long[RECORDS][2];
    for (int i = 0; i < RECORDS; i++) {
      frames[i][0] = events.get(i).offset();
      frames[i][1] = i + 1 < RECORDS ? events.get(i + 1).offset() : -1;
    }
    frames[RECORDS - 1][1] = size(segment(dir));
    return frames;
  }

  private static JournalReader openReader(Path dir) {
    try {
      return JournalReader.open(dir);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Path segment(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".cjnl")).sorted().findFirst().orElseThrow();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void recoveryCutsEveryTornOrJunkTailBackToTheLastWholeRecord() throws Exception {
    Path original = tmp.resolve("original");
    long[][] frames = writeJournal(original);
    byte[] pristine = Files.readAllBytes(segment(original));
    String segName = segment(original).getFileName().toString();
    Random random = new Random(27);
    int cases = 0;
    int falseAccepts = 0;
    int wrongRecoveries = 0;
    long firstCut = frames[RECORDS - 3][0];
    for (long cut = firstCut; cut < pristine.length; cut++) {
      for (int junk = 0; junk < 2; junk++) {
        Path dir = tmp.resolve("case-" + cut + "-" + junk);
        Files.createDirectories(dir);
        byte[] damaged = new byte[(int) cut + (junk == 0 ? 0 : 1 + random.nextInt(300))];
        System.arraycopy(pristine, 0, damaged, 0, (int) cut);
        for (int k = (int) cut; k < damaged.length; k++) {
          damaged[k] = (byte) random.nextInt(256);
        }
        Files.write(dir.resolve(segName), damaged);
        int whole = 0;
        while (whole < RECORDS && frames[whole][1] <= cut) {
          whole++;
        }
        // One name for all cases: the name tags process-wide health counters, and hundreds of
        // distinct names would fill their bounded registry for every later test in this JVM.
        try (Journal j =
            Journal.builder(dir).name("damage-case").nodeId("n1").fsync(FsyncPolicy.never()).build()) {
          JournalStats stats = j.stats();
          if (stats.nextPosition() > whole) {
            falseAccepts++;
          } else if (stats.nextPosition() != whole
              || size(dir.resolve(segName)) != frames[whole - 1][1]
              || stats.corruptions() != 0) {
            wrongRecoveries++;
          }
          // The journal goes on right after the last whole record.
          assertThat(j.append("After", "", new byte[3]).position()).isEqualTo(whole);
        }
        JournalReader reopened = openReader(dir);
        assertThat(reopened.corruptions()).isEmpty();
        assertThat(reopened.tornTail()).isEmpty();
        assertThat(reopened.records()).isEqualTo(whole + 1);
        cases++;
      }
    }
    assertThat(cases).isGreaterThan(200);
    assertThat(falseAccepts).as("false accepts").isZero();
    assertThat(wrongRecoveries).as("recoveries not exactly at the last whole record").isZero();
  }

  @Test
  void recoveryKeepsTheCutBytesAsideAndReportsThem() throws Exception {
    Path dir = tmp.resolve("j");
    long[][] frames = writeJournal(dir);
    Path seg = segment(dir);
    long cut = frames[RECORDS - 1][0] + 10;
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(cut);
    }
    try (Journal j = Journal.builder(dir).build()) {
      assertThat(j.stats().truncatedBytes()).isEqualTo(10);
      assertThat(j.stats().nextPosition()).isEqualTo(RECORDS - 1);
    }
    assertThat(Files.size(dir.resolve(seg.getFileName() + ".torn-" + frames[RECORDS - 1][0]))).isEqualTo(10);
  }

  @Test
  void aReaderReportsATornTailWithoutChangingTheFile() throws Exception {
    Path dir = tmp.resolve("j");
    long[][] frames = writeJournal(dir);
    Path seg = segment(dir);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(frames[RECORDS - 1][1] - 1);
    }
    long before = Files.size(seg);
    JournalReader reader = JournalReader.open(dir);
    assertThat(reader.tornTail()).hasValueSatisfying(t -> assertThat(t.offset()).isEqualTo(frames[RECORDS - 1][0]));
    assertThat(reader.records()).isEqualTo(RECORDS - 1);
    assertThat(Files.size(seg)).isEqualTo(before);
  }

  @Test
  void aBitFlipInTheMiddleIsReportedWithItsOffsetAndLaterRecordsSurvive() throws Exception {
    Path dir = tmp.resolve("j");
    long[][] frames = writeJournal(dir);
    Path seg = segment(dir);
    long victim = frames[5][0];
    flipBit(seg, victim + 40, 3);

    JournalReader reader = JournalReader.open(dir);
    assertThat(reader.corruptions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.segment()).isEqualTo(seg.getFileName().toString());
              assertThat(c.offset()).isEqualTo(victim);
              assertThat(c.length()).isEqualTo(frames[5][1] - victim);
              assertThat(c.reason()).isEqualTo("crc mismatch");
            });
    List<Long> positions = new ArrayList<>();
    try (EventIterator it = reader.read(0)) {
      it.forEachRemaining(e -> positions.add(e.position()));
      assertThat(it.corruptions()).hasSize(1);
    }
    assertThat(positions).hasSize(RECORDS - 1).doesNotContain(5L).contains(11L);

    // Recovery reports it too, and does not truncate the records after it.
    try (Journal j = Journal.builder(dir).build()) {
      assertThat(j.stats().corruptions()).isEqualTo(1);
      assertThat(j.stats().truncatedBytes()).isZero();
      assertThat(j.nextPosition()).isEqualTo(RECORDS);
    }
  }

  @Test
  void aDamagedLengthFieldIsReportedAndReadingResumesAtTheNextRecord() throws Exception {
    Path dir = tmp.resolve("j");
    long[][] frames = writeJournal(dir);
    Path seg = segment(dir);
    flipBit(seg, frames[2][0] + 1, 6); // inside the length field
    JournalReader reader = JournalReader.open(dir);
    assertThat(reader.corruptions()).singleElement().satisfies(c -> assertThat(c.offset()).isEqualTo(frames[2][0]));
    assertThat(reader.records()).isEqualTo(RECORDS - 1);
  }

  static void flipBit(Path file, long offset, int bit) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, offset);
      b.put(0, (byte) (b.get(0) ^ (1 << bit)));
      b.rewind();
      ch.write(b, offset);
    }
  }
}
