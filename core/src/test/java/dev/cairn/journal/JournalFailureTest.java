package dev.cairn.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RELIABILITY F29: an unwritable directory or a full disk means counted drops, never exceptions. */
class JournalFailureTest {
  @TempDir Path tmp;

  @AfterEach
  void restore() {
    FaultyChannel.full.set(false);
    FileJournal.opener = FileJournal.OWNER_ONLY;
  }

  private static boolean appendsWithin(Journal j, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (j.append("Retry", "", new byte[1]).accepted()) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  @Test
  void unwritableDirectoryDropsAndCountsThenResumesWhenWritable() throws Exception {
    // Tests may run as root, which ignores permission bits: a regular file where the journal's
    // parent directory should be makes the directory impossible to create for anyone.
    Path blocker = tmp.resolve("blocked");
    Files.write(blocker, new byte[] {1});
    Path dir = blocker.resolve("journal");
    Journal[] holder = new Journal[1];
    assertThatCode(() -> holder[0] = Journal.builder(dir).build()).doesNotThrowAnyException();
    try (Journal j = holder[0]) {
      for (int i = 0; i < 100; i++) {
        assertThat(j.append("E", "", new byte[8]).accepted()).isFalse();
      }
      assertThat(j.stats().dropped()).isEqualTo(100);
      assertThat(j.stats().failing()).isTrue();

      Files.delete(blocker);
      assertThat(appendsWithin(j, Duration.ofSeconds(10))).isTrue();
      assertThat(j.stats().failing()).isFalse();
      assertThat(j.append("E", "", new byte[8]).position()).isEqualTo(1);
    }
  }

  @Test
  void fullDiskDropsWithoutTearingARecordAndResumesWhenSpaceFrees() throws Exception {
    FileJournal.opener = (path, options) -> new FaultyChannel(FileChannel.open(path, options));
    Path dir = tmp.resolve("j");
    try (Journal j = Journal.builder(dir).fsync(FsyncPolicy.never()).build()) {
      for (int i = 0; i < 10; i++) {
        assertThat(j.append("Before", "", new byte[20]).accepted()).isTrue();
      }
      FaultyChannel.full.set(true);
      for (int i = 0; i < 50; i++) {
        assertThatCode(() -> j.append("During", "", new byte[20])).doesNotThrowAnyException();
      }
      assertThat(j.stats().dropped()).isEqualTo(50);
      FaultyChannel.full.set(false);
      assertThat(appendsWithin(j, Duration.ofSeconds(10))).isTrue();
    }
    JournalReader reader = JournalReader.open(dir);
    assertThat(reader.corruptions()).isEmpty();
    assertThat(reader.tornTail()).isEmpty();
    assertThat(reader.records()).isEqualTo(11);
  }
}
