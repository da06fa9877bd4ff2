package dev.cairn.testing;

import java.lang.management.ManagementFactory;

/** Bytes allocated by the current thread while running a piece of code. */
public final class Allocation {
  private Allocation() {}

  @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+, the build targets 17
  public static long allocatedBy(Runnable r) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(id);
    r.run();
    return mx.getThreadAllocatedBytes(id) - before;
  }
}
