package dev.cairn.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalConcurrencyTest {
  @TempDir Path dir;

  // Bounded version of the 8 x 100,000 figure (that one runs as a benchmark-sized test
  // when -Dcairn.journal.bigConcurrency=true).
  private static final int THREADS = 8;
  private static final int PER_THREAD = Boolean.getBoolean("cairn.journal.bigConcurrency") ? 100_000 : 5_000;

  @Test
  void concurrentAppendersGetOneGapFreeTotalOrderAndLoseNothing() throws Exception {
    long[][] positions = new long[THREADS][PER_THREAD];
    CountDownLatch start = new CountDownLatch(1);
    try (Journal j = Journal.builder(dir).segmentBytes(1 << 20).retainBytes(0).fsync(FsyncPolicy.never()).build()) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Thread th =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < PER_THREAD; i++) {
                    byte[] p = ByteBuffer.allocate(8).putInt(thread).putInt(i).array();
                    positions[thread][i] = j.append("E", "t" + thread, p).position();
                  }
                });
        threads.add(th);
        th.start();
      }
      start.countDown();
      for (Thread th : threads) {
        th.join();
      }
      assertThat(j.stats().dropped()).isZero();
    }

    int total = THREADS * PER_THREAD;
    boolean[] seen = new boolean[total];
    int[] nextPerThread = new int[THREADS];
    long previousHlc = -1;
    int count = 0;
    JournalReader reader = JournalReader.open(dir);
    assertThat(reader.corruptions()).isEmpty();
    try (EventIterator it = reader.read(0)) {
      while (it.hasNext()) {
        Event e = it.next();
        assertThat(e.position()).isEqualTo(count);
        assertThat(e.hlc().packed()).isGreaterThan(previousHlc);
        previousHlc = e.hlc().packed();
        ByteBuffer p = ByteBuffer.wrap(e.payload());
        int thread = p.getInt();
        int i = p.getInt();
        assertThat(i).as("thread %d's own appends stay in program order", thread).isEqualTo(nextPerThread[thread]++);
        assertThat(positions[thread][i]).isEqualTo(e.position());
        seen[count] = true;
        count++;
      }
    }
    assertThat(count).isEqualTo(total);
    for (boolean s : seen) {
      assertThat(s).isTrue();
    }
  }

  @Test
  void concurrentDurableAppendsShareForcesAndAllAreDurable() throws Exception {
    try (Journal j = Journal.builder(dir).fsync(FsyncPolicy.always()).build()) {
      List<Thread> threads = new ArrayList<>();
      boolean[] allDurable = new boolean[4];
      for (int t = 0; t < 4; t++) {
        int thread = t;
        Thread th =
            new Thread(
                () -> {
                  boolean ok = true;
                  for (int i = 0; i < 200; i++) {
                    Appended a = j.append("E", "", new byte[16]);
                    ok &= a.durable() && j.durablePosition() >= a.position();
                  }
                  allDurable[thread] = ok;
                });
        threads.add(th);
        th.start();
      }
      for (Thread th : threads) {
        th.join();
      }
      assertThat(allDurable).containsOnly(true);
      assertThat(j.nextPosition()).isEqualTo(800);
    }
  }
}
