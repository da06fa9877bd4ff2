package dev.cairn.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalRetentionTest {
  @TempDir Path dir;

  @Test
  void deletesTheOldestSegmentsBeyondTheSizeLimit() throws Exception {
    try (Journal j = Journal.builder(dir).segmentBytes(4096).retainBytes(16 * 1024).fsync(FsyncPolicy.never()).build()) {
      for (int i = 0; i < 2000; i++) {
        j.append("E", "", new byte[50]);
      }
      JournalStats stats = j.stats();
      assertThat(stats.bytes()).isLessThanOrEqualTo(16 * 1024 + 4096);
      assertThat(stats.nextPosition()).isEqualTo(2000);
    }
    JournalReader reader = JournalReader.open(dir);
    assertThat(reader.firstPosition()).isGreaterThan(0);
    assertThat(reader.corruptions()).isEmpty();
    try (EventIterator it = reader.read(0)) {
      assertThat(it.next().position()).isEqualTo(reader.firstPosition());
    }
  }

  @Test
  void deletesSegmentsWhoseNewestRecordIsOlderThanTheAgeLimit() throws Exception {
    try (Journal j = Journal.builder(dir).segmentBytes(4096).retainBytes(0).fsync(FsyncPolicy.never()).build()) {
      for (int i = 0; i < 300; i++) {
        j.append("E", "", new byte[50]);
      }
      assertThat(j.stats().segments()).isGreaterThan(3);
    }
    Thread.sleep(30);
    try (Journal j = Journal.builder(dir).retainBytes(0).retainFor(Duration.ofMillis(10)).build()) {
      assertThat(j.stats().segments()).isEqualTo(1);
      assertThat(j.nextPosition()).isEqualTo(300);
    }
  }
}
