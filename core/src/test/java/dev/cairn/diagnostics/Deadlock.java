package dev.cairn.diagnostics;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two threads that really deadlock on two {@link ReentrantLock}s, each holding one and waiting
 * interruptibly for the other; {@link #close()} interrupts them so the test JVM is left clean.
 */
final class Deadlock implements AutoCloseable {
  private final Thread a;
  private final Thread b;

  private Deadlock(Thread a, Thread b) {
    this.a = a;
    this.b = b;
  }

  static Deadlock onReentrantLocks() throws InterruptedException {
    ReentrantLock l1 = new ReentrantLock();
    ReentrantLock l2 = new ReentrantLock();
    CountDownLatch bothHold = new CountDownLatch(2);
    Thread a = new Thread(() -> cross(l1, l2, bothHold), "cairn-test-deadlock-a");
    Thread b = new Thread(() -> cross(l2, l1, bothHold), "cairn-test-deadlock-b");
    a.setDaemon(true);
    b.setDaemon(true);
    a.start();
    b.start();
    bothHold.await(10, TimeUnit.SECONDS);
    return new Deadlock(a, b);
  }

  private static void cross(ReentrantLock first, ReentrantLock second, CountDownLatch bothHold) {
    first.lock();
    try {
      bothHold.countDown();
      bothHold.await();
      second.lockInterruptibly();
      second.unlock();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      first.unlock();
    }
  }

  @Override
  public void close() throws InterruptedException {
    a.interrupt();
    b.interrupt();
    a.join(5000);
    b.join(5000);
  }
}
