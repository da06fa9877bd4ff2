package dev.cairn.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JdkEventMetersTest {
  @Test
  void contendedMonitorAndGcPause_becomeTimers() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (CairnJfr jfr =
        CairnJfr.builder().jdkEventMeters(registry, Duration.ofMillis(5)).build()) {
      Thread.sleep(500); // the stream starts asynchronously
      waitForAContendedMonitor(100);
      System.gc();

      Timer lockWait = registry.get("cairn.jfr.lock.wait").timer();
      Timer gc = registry.get("cairn.jfr.gc.pause").timer();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while ((lockWait.count() == 0 || gc.count() == 0) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(lockWait.count()).isPositive();
      assertThat(lockWait.totalTime(TimeUnit.MILLISECONDS)).isGreaterThan(50);
      assertThat(gc.count()).isPositive();
      assertThat(registry.get("cairn.jfr.virtual_thread.pinned").timer()).isNotNull();
    }
  }

  @Test
  void waitsBelowTheThreshold_areNotTimed_evenWhenAnotherRecordingRecordsThem() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (jdk.jfr.Recording everything = new jdk.jfr.Recording();
        CairnJfr jfr =
            CairnJfr.builder().jdkEventMeters(registry, Duration.ofSeconds(10)).build()) {
      everything.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ZERO);
      everything.start();
      Thread.sleep(500); // the stream starts asynchronously
      waitForAContendedMonitor(100); // far below the 10 s threshold
      System.gc();
      Timer gc = registry.get("cairn.jfr.gc.pause").timer();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (gc.count() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(1_500); // one more flush: the lock wait would have arrived by now
      assertThat(registry.get("cairn.jfr.lock.wait").timer().count()).isZero();
    }
  }

  /** Blocks this thread on a monitor another thread holds for about {@code ms} more. */
  private static void waitForAContendedMonitor(long ms) throws InterruptedException {
    Object lock = new Object();
    CountDownLatch held = new CountDownLatch(1);
    Thread waiter = Thread.currentThread();
    Thread owner =
        new Thread(
            () -> {
              synchronized (lock) {
                held.countDown();
                StallAttributionTest.awaitBlocked(waiter);
                StallAttributionTest.sleep(ms);
              }
            });
    owner.start();
    held.await();
    synchronized (lock) {
      // entered once the owner lets go
    }
    owner.join();
  }
}
