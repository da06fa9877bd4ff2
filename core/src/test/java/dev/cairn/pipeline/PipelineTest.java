package dev.cairn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.export.ExportResult;
import dev.cairn.testing.InMemoryExporter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PipelineTest {
  private final List<Pipeline<?>> opened = new CopyOnWriteArrayList<>();

  private <T> Pipeline<T> open(Pipeline.Builder<T> b) {
    Pipeline<T> p = b.build();
    opened.add(p);
    return p;
  }

  @AfterEach
  void closeAll() throws InterruptedException {
    for (Pipeline<?> p : opened) {
      p.close(Duration.ofSeconds(10));
      for (Thread t : p.threads()) {
        join(t);
        assertThat(t.isAlive()).as("worker %s ended", t.getName()).isFalse();
      }
    }
  }

  private static ExportSettings settings(int capacity, int batch, long delayMillis) {
    return ExportSettings.builder()
        .queueCapacity(capacity)
        .maxBatchSize(batch)
        .scheduleDelay(Duration.ofMillis(delayMillis))
        .build();
  }

  @Test
  void sinks_runOnTheCallersThread() {
    List<String> threads = new CopyOnWriteArrayList<>();
    Pipeline<String> p =
        open(Pipeline.<String>builder("test").addSink(s -> threads.add(Thread.currentThread().getName())));
    p.emit("a");
    assertThat(threads).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void exporter_runsOnItsOwnNamedDaemonThread() {
    InMemoryExporter<String> exporter = new InMemoryExporter<>("mem");
    Pipeline<String> p = open(Pipeline.<String>builder("test").addExporter(exporter));
    p.emit("a");
    assertThat(p.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(exporter.items()).containsExactly("a");
    assertThat(exporter.threads()).containsOnly("cairn-export-test-mem");
    assertThat(p.threads().get(0).isDaemon()).isTrue();
  }

  @Test
  void unexportedItems_reachSinksButNotExporters() {
    List<String> sunk = new CopyOnWriteArrayList<>();
    InMemoryExporter<String> exporter = new InMemoryExporter<>();
    Pipeline<String> p = open(Pipeline.<String>builder("test").addSink(sunk::add).addExporter(exporter));
    p.emit("local", false);
    p.emit("both", true);
    p.flush(Duration.ofSeconds(5));
    assertThat(sunk).containsExactly("local", "both");
    assertThat(exporter.items()).containsExactly("both");
  }

  @Test
  void batches_areCutAtTheMaximumSize() {
    InMemoryExporter<Integer> exporter = new InMemoryExporter<>();
    Pipeline<Integer> p =
        open(Pipeline.<Integer>builder("test").addExporter(exporter, settings(1024, 10, 60_000)));
    for (int i = 0; i < 35; i++) {
      p.emit(i);
    }
    p.flush(Duration.ofSeconds(5));
    assertThat(exporter.items()).hasSize(35);
    assertThat(exporter.batchSizes()).allMatch(n -> n <= 10);
    assertThat(exporter.items()).isSorted();
  }

  @Test
  void aPartialBatch_isSentAfterTheScheduleDelayWithoutAFlush() throws Exception {
    CountDownLatch exported = new CountDownLatch(1);
    InMemoryExporter<String> exporter =
        new InMemoryExporter<String>().behave(b -> { exported.countDown(); return ExportResult.success(); });
    Pipeline<String> p =
        open(Pipeline.<String>builder("test").addExporter(exporter, settings(1024, 512, 20)));
    p.emit("lonely");
    assertThat(exported.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(exporter.batchSizes()).containsExactly(1);
  }

  @Test
  void throwingSink_isContainedAndCountedAndLaterSinksStillRun() {
    AtomicInteger after = new AtomicInteger();
    Pipeline<String> p =
        open(
            Pipeline.<String>builder("test")
                .addSink(s -> { throw new IllegalStateException("broken sink"); })
                .addSink(s -> after.incrementAndGet()));
    for (int i = 0; i < 1000; i++) {
      p.emit("x");
    }
    assertThat(after).hasValue(1000);
  }

  @Test
  void failingExporter_dropsAndCountsItsBatchesByReason() {
    InMemoryExporter<String> exporter =
        new InMemoryExporter<String>().behave(b -> ExportResult.failure("http_503", "unavailable"));
    Pipeline<String> p = open(Pipeline.<String>builder("test").addExporter(exporter));
    for (int i = 0; i < 7; i++) {
      p.emit("x");
    }
    p.flush(Duration.ofSeconds(5));
    ExporterHealth h = p.health().get(0);
    assertThat(h.exported()).isZero();
    assertThat(h.droppedByReason()).containsEntry("export_failed", 7L);
    assertThat(h.failedByReason()).containsKey("http_503");
    assertThat(h.lastError()).hasValueSatisfying(e -> assertThat(e).contains("http_503"));
  }

  @Test
  void failingExporter_isFailingWithTheTimeOfItsLastFailureAndNoSuccess() {
    InMemoryExporter<String> exporter =
        new InMemoryExporter<String>().behave(b -> ExportResult.failure("http_503", "unavailable"));
    Pipeline<String> p = open(Pipeline.<String>builder("test").addExporter(exporter));
    java.time.Instant before = java.time.Instant.now();
    p.emit("x");
    p.flush(Duration.ofSeconds(5));
    ExporterHealth h = p.health().get(0);
    assertThat(h.failing()).isTrue();
    assertThat(h.lastSuccess()).isEmpty();
    assertThat(h.lastFailure()).hasValueSatisfying(t -> assertThat(t).isAfterOrEqualTo(before));
  }

  @Test
  void exporterThatRecovers_isNoLongerFailingAndKeepsBothTimes() {
    AtomicInteger calls = new AtomicInteger();
    InMemoryExporter<String> exporter =
        new InMemoryExporter<String>()
            .behave(b -> calls.getAndIncrement() == 0 ? ExportResult.failure("http_503", "down") : ExportResult.success());
    Pipeline<String> p = open(Pipeline.<String>builder("test").addExporter(exporter));
    p.emit("lost");
    p.flush(Duration.ofSeconds(5));
    p.emit("kept");
    p.flush(Duration.ofSeconds(5));
    ExporterHealth h = p.health().get(0);
    assertThat(h.failing()).isFalse();
    assertThat(h.lastSuccess().orElseThrow()).isAfter(h.lastFailure().orElseThrow());
    assertThat(h.lastError()).hasValueSatisfying(e -> assertThat(e).contains("http_503"));
  }

  @Test
  void throwingOrNullReturningExporter_isContainedAndCounted() {
    AtomicInteger calls = new AtomicInteger();
    InMemoryExporter<String> exporter =
        new InMemoryExporter<String>()
            .behave(
                b -> {
                  if (calls.incrementAndGet() % 2 == 0) {
                    return null;
                  }
                  throw new StackOverflowError("exporter bug");
                });
    Pipeline<String> p =
        open(Pipeline.<String>builder("test").addExporter(exporter, settings(64, 1, 1000)));
    for (int i = 0; i < 4; i++) {
      p.emit("x");
    }
    p.flush(Duration.ofSeconds(5));
    ExporterHealth h = p.health().get(0);
    assertThat(h.failedByReason()).containsEntry("exception", 2L).containsEntry("null_result", 2L);
    assertThat(h.droppedByReason()).containsEntry("export_failed", 4L);
    assertThat(p.threads().get(0).isAlive()).isTrue();
  }

  @Test
  void partialSuccess_countsRejectedItemsAsDroppedWithoutFailingTheBatch() {
    InMemoryExporter<String> exporter =
        new InMemoryExporter<String>().behave(b -> ExportResult.partialSuccess(2, "2 spans too old"));
    Pipeline<String> p = open(Pipeline.<String>builder("test").addExporter(exporter));
    for (int i = 0; i < 5; i++) {
      p.emit("x");
    }
    p.flush(Duration.ofSeconds(5));
    ExporterHealth h = p.health().get(0);
    assertThat(h.exported()).isEqualTo(3);
    assertThat(h.droppedByReason()).containsEntry("rejected", 2L);
    assertThat(h.failed()).isZero();
  }

  @Test
  void fullQueue_dropsTheNewestByDefaultAndCounts() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    InMemoryExporter<Integer> exporter =
        new InMemoryExporter<Integer>()
            .behave(b -> { blocked.countDown(); await(release); return ExportResult.success(); });
    Pipeline<Integer> p =
        open(Pipeline.<Integer>builder("test").addExporter(exporter, settings(4, 1, 1)));
    p.emit(0); // taken by the worker, which then blocks
    assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 10; i++) {
      p.emit(i);
    }
    release.countDown();
    p.flush(Duration.ofSeconds(5));
    assertThat(exporter.items()).containsExactly(0, 1, 2, 3, 4);
    assertThat(p.health().get(0).droppedByReason()).containsEntry("queue_full", 6L);
  }

  @Test
  void fullQueue_withDropOldest_keepsTheNewestItems() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    InMemoryExporter<Integer> exporter =
        new InMemoryExporter<Integer>()
            .behave(b -> { blocked.countDown(); await(release); return ExportResult.success(); });
    ExportSettings s =
        ExportSettings.builder().queueCapacity(4).maxBatchSize(1).dropPolicy(DropPolicy.DROP_OLDEST).build();
    Pipeline<Integer> p = open(Pipeline.<Integer>builder("test").addExporter(exporter, s));
    p.emit(0);
    assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 10; i++) {
      p.emit(i);
    }
    release.countDown();
    p.flush(Duration.ofSeconds(5));
    assertThat(exporter.items()).containsExactly(0, 7, 8, 9, 10);
    assertThat(p.health().get(0).droppedByReason()).containsEntry("queue_full", 6L);
  }

  @Test
  void deadExporter_neverBlocksProducers_andAccountingIsExact() throws Exception {
    // RELIABILITY A1, bounded: the exporter hangs on every call; 4 threads produce 50,000 items
    // each into a queue of 1,024. Every item must end up exactly once as exported, dropped or
    // queued, and no producer may wait for the exporter.
    CountDownLatch never = new CountDownLatch(1);
    InMemoryExporter<Long> exporter =
        new InMemoryExporter<Long>().behave(b -> { await(never); return ExportResult.success(); });
    Pipeline<Long> p =
        Pipeline.<Long>builder("test").addExporter(exporter, settings(1024, 128, 5)).build();
    int threads = 4;
    int perThread = 50_000;
    AtomicLong slowestNanos = new AtomicLong();
    Thread[] producers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      producers[t] =
          new Thread(
              () -> {
                long slowest = 0;
                for (long i = 0; i < perThread; i++) {
                  long t0 = System.nanoTime();
                  p.emit(i);
                  slowest = Math.max(slowest, System.nanoTime() - t0);
                }
                slowestNanos.accumulateAndGet(slowest, Math::max);
              });
      producers[t].start();
    }
    for (Thread t : producers) {
      t.join();
    }
    ExporterHealth h = p.health().get(0);
    long produced = (long) threads * perThread;
    assertThat(h.exported() + h.dropped() + h.queued()).isEqualTo(produced);
    assertThat(h.droppedByReason()).containsKey("queue_full");
    assertThat(h.queued()).isLessThanOrEqualTo(1024 + 128);
    // Reported, not asserted (timings are measured in benchmarks, not unit tests).
    System.out.println("[A1 bounded] slowest enqueue: " + slowestNanos.get() / 1000 + " µs, " + h);

    // Closing with the exporter still hanging returns at the deadline and accounts for the rest.
    assertThat(p.close(Duration.ofMillis(200))).isFalse();
    ExporterHealth after = p.health().get(0);
    assertThat(after.exported() + after.dropped() + after.queued()).isEqualTo(produced);
    assertThat(after.droppedByReason()).containsKey("shutdown");
    never.countDown();
    p.threads().get(0).join(5000);
    assertThat(p.threads().get(0).isAlive()).isFalse();
  }

  @Test
  void flush_exportsEverythingEmittedBeforeIt() {
    InMemoryExporter<Integer> exporter = new InMemoryExporter<>();
    Pipeline<Integer> p =
        open(Pipeline.<Integer>builder("test").addExporter(exporter, settings(8192, 100, 60_000)));
    for (int i = 0; i < 5000; i++) {
      p.emit(i);
    }
    assertThat(p.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(exporter.items()).hasSize(5000);
    assertThat(p.health().get(0).queued()).isZero();
  }

  @Test
  void close_exportsWhatIsQueuedClosesTheExporterAndEndsTheThread() throws Exception {
    InMemoryExporter<Integer> exporter = new InMemoryExporter<>();
    Pipeline<Integer> p =
        Pipeline.<Integer>builder("test").addExporter(exporter, settings(8192, 100, 60_000)).build();
    for (int i = 0; i < 1000; i++) {
      p.emit(i);
    }
    assertThat(p.close(Duration.ofSeconds(10))).isTrue();
    assertThat(exporter.items()).hasSize(1000);
    assertThat(exporter.isClosed()).isTrue();
    assertThat(p.threads().get(0).isAlive()).isFalse();
  }

  @Test
  void emitAfterClose_isACountedDrop() {
    InMemoryExporter<Integer> exporter = new InMemoryExporter<>();
    Pipeline<Integer> p = Pipeline.<Integer>builder("test").addExporter(exporter).build();
    p.close(Duration.ofSeconds(5));
    p.emit(1);
    assertThat(p.health().get(0).droppedByReason()).containsEntry("closed", 1L);
  }

  @Test
  void drops_areReportedOnceAtWarnNotOncePerDrop() throws Exception {
    ch.qos.logback.classic.Logger self =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.cairn.self");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    self.addAppender(lines);
    try {
      // A slow receiver (not a stuck one): the worker reports drops between its export calls.
      InMemoryExporter<Integer> exporter =
          new InMemoryExporter<Integer>("reported-" + System.nanoTime())
              .behave(b -> {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                return ExportResult.success();
              });
      Pipeline<Integer> p =
          Pipeline.<Integer>builder("test").addExporter(exporter, settings(16, 1, 5)).build();
      for (int i = 0; i < 10_000; i++) {
        p.emit(i);
      }
      Thread.sleep(100); // several worker wake-ups while drops keep being counted
      for (int i = 0; i < 10_000; i++) {
        p.emit(i);
      }
      p.close(Duration.ofMillis(100));
      assertThat(p.health().get(0).droppedByReason().get("queue_full")).isGreaterThan(19_000L);
      long queueFullLines =
          lines.list.stream().filter(e -> e.getFormattedMessage().contains("queue is full")).count();
      assertThat(queueFullLines).isEqualTo(1);
      assertThat(lines.list.get(0).getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
    } finally {
      self.detachAppender(lines);
    }
  }

  @Test
  void closeRacingWithProducers_losesNoItemFromTheAccounts() throws Exception {
    // RELIABILITY B14 (offer vs close), bounded: producers keep emitting across close().
    InMemoryExporter<Long> exporter = new InMemoryExporter<>("race");
    Pipeline<Long> p =
        Pipeline.<Long>builder("test").addExporter(exporter, settings(256, 32, 1)).build();
    int threads = 4;
    AtomicLong produced = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    CountDownLatch started = new CountDownLatch(threads);
    Thread[] producers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      producers[t] =
          new Thread(
              () -> {
                long n = 0;
                int afterClose = 0;
                while (afterClose < 1000) {
                  boolean isClosed = closed.get(); // read before the emit it qualifies
                  p.emit(n++);
                  if (n == 1000) {
                    started.countDown();
                  }
                  if (isClosed) {
                    afterClose++;
                  }
                }
                produced.addAndGet(n);
              });
      producers[t].start();
    }
    started.await();
    p.close(Duration.ofSeconds(10));
    closed.set(true);
    for (Thread t : producers) {
      t.join();
    }
    ExporterHealth h = p.health().get(0);
    assertThat(h.exported() + h.dropped() + h.queued()).isEqualTo(produced.get());
    assertThat(h.exported()).isEqualTo(exporter.items().size());
    assertThat(h.droppedByReason().get("closed")).isGreaterThanOrEqualTo(threads * 1000L);
  }

  private static void join(Thread t) throws InterruptedException {
    t.join(10_000);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
