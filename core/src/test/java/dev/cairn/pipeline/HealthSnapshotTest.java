package dev.cairn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.export.ExportResult;
import dev.cairn.testing.InMemoryExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RELIABILITY 43 / issue 13 item 12: a health snapshot taken at any moment (while a queue drains,
 * after a close that timed out) adds up exactly: produced == exported + dropped + queued.
 */
@Timeout(60)
class HealthSnapshotTest {

  @Test
  void health_polledWhileASlowExporterDrains_alwaysAddsUpToWhatWasProduced() throws Exception {
    // Everything is emitted while the exporter holds its first batch, so "produced" is known and
    // fixed; then the exporter drains 20,000 items in 2,500 small, slow batches while another
    // thread takes snapshots as fast as it can. Before the fix a snapshot could count the batch
    // being exported twice (exported and in flight) or not at all (drained, not yet in flight).
    int total = 20_000;
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    InMemoryExporter<Integer> exporter =
        new InMemoryExporter<Integer>("snapshots")
            .behave(
                b -> {
                  entered.countDown();
                  await(release);
                  LockSupport.parkNanos(20_000L); // slow enough to be seen mid-call
                  return ExportResult.success();
                });
    Pipeline<Integer> p =
        Pipeline.<Integer>builder("test")
            .addExporter(
                exporter,
                ExportSettings.builder()
                    .queueCapacity(32_768)
                    .maxBatchSize(8)
                    .scheduleDelay(Duration.ofMillis(1))
                    .build())
            .build();
    try {
      p.emit(0);
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i < total; i++) {
        p.emit(i);
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong snapshots = new AtomicLong();
      AtomicLong midway = new AtomicLong(); // snapshots with something both exported and queued
      AtomicReference<ExporterHealth> wrong = new AtomicReference<>();
      Thread poller =
          new Thread(
              () -> {
                while (!stop.get()) {
                  ExporterHealth h = p.health().get(0);
                  snapshots.incrementAndGet();
                  if (h.exported() > 0 && h.queued() > 0) {
                    midway.incrementAndGet();
                  }
                  if (h.exported() + h.dropped() + h.queued() != total
                      || h.queued() < 0
                      || h.queued() > total) {
                    wrong.compareAndSet(null, h);
                  }
                }
              },
              "snapshot-poller");
      poller.start();
      release.countDown();
      assertThat(p.flush(Duration.ofSeconds(30))).isTrue();
      stop.set(true);
      poller.join(10_000);
      assertThat(wrong.get()).as("first snapshot that did not add up").isNull();
      assertThat(midway.get()).as("snapshots taken while draining").isGreaterThan(100);
      ExporterHealth end = p.health().get(0);
      assertThat(end.exported()).isEqualTo(total);
      assertThat(end.queued()).isZero();
      System.out.println(
          "[43] " + snapshots.get() + " snapshots, " + midway.get() + " while draining, all exact");
    } finally {
      release.countDown();
      p.close(Duration.ofSeconds(10));
    }
  }

  @Test
  void close_whenItTimesOut_countsTheAbandonedBatchAsDroppedOnceEvenIfItLaterSucceeds()
      throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    InMemoryExporter<Integer> exporter =
        new InMemoryExporter<Integer>("abandoned")
            .behave(
                b -> {
                  entered.countDown();
                  // Ignores interrupts, like an exporter stuck in code that swallows them.
                  while (true) {
                    try {
                      release.await();
                      return ExportResult.success();
                    } catch (InterruptedException e) {
                      // keep waiting
                    }
                  }
                });
    Pipeline<Integer> p =
        Pipeline.<Integer>builder("test")
            .addExporter(
                exporter,
                ExportSettings.builder()
                    .queueCapacity(1024)
                    .maxBatchSize(10)
                    .scheduleDelay(Duration.ofMillis(1))
                    .build())
            .build();
    for (int i = 0; i < 10; i++) {
      p.emit(i);
    }
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 10; i < 100; i++) {
      p.emit(i);
    }

    assertThat(p.close(Duration.ofMillis(200))).isFalse();

    ExporterHealth afterClose = p.health().get(0);
    assertThat(afterClose.queued()).isZero();
    assertThat(afterClose.exported()).isZero();
    assertThat(afterClose.droppedByReason()).isEqualTo(java.util.Map.of("shutdown", 100L));
    assertThat(afterClose.produced()).isEqualTo(100);

    // The abandoned call now returns a success: counted once, as dropped, not also as exported.
    release.countDown();
    Thread worker = p.threads().get(0);
    worker.join(10_000);
    assertThat(worker.isAlive()).isFalse();
    assertThat(p.health().get(0)).usingRecursiveComparison().isEqualTo(afterClose);
  }

  @Test
  void health_takenWhileCloseAbandonsABatch_alwaysAddsUp() throws Exception {
    // The abandon step races with snapshots: each one sees the batch either queued or dropped.
    List<String> wrong = new ArrayList<>();
    for (int round = 0; round < 20 && wrong.isEmpty(); round++) {
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      InMemoryExporter<Integer> exporter =
          new InMemoryExporter<Integer>("abandon-race")
              .behave(
                  b -> {
                    entered.countDown();
                    await(release);
                    return ExportResult.success();
                  });
      Pipeline<Integer> p =
          Pipeline.<Integer>builder("test")
              .addExporter(
                  exporter,
                  ExportSettings.builder()
                      .queueCapacity(64)
                      .maxBatchSize(16)
                      .scheduleDelay(Duration.ofMillis(1))
                      .build())
              .build();
      for (int i = 0; i < 50; i++) {
        p.emit(i);
      }
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      AtomicBoolean stop = new AtomicBoolean();
      Thread poller =
          new Thread(
              () -> {
                while (!stop.get()) {
                  ExporterHealth h = p.health().get(0);
                  if (h.exported() + h.dropped() + h.queued() != 50) {
                    synchronized (wrong) {
                      wrong.add(h.toString());
                    }
                  }
                }
              });
      poller.start();
      p.close(Duration.ofMillis(20));
      stop.set(true);
      poller.join(10_000);
      release.countDown();
      p.threads().get(0).join(10_000);
      ExporterHealth end = p.health().get(0);
      assertThat(end.exported() + end.dropped() + end.queued()).isEqualTo(50);
      assertThat(end.queued()).isZero();
    }
    assertThat(wrong).isEmpty();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
