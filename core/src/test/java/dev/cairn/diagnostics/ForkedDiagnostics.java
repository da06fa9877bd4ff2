package dev.cairn.diagnostics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Main of a forked JVM with planted secrets and a real monitor deadlock: writes the body of each
 * read endpoint to {@code <dir>/<name>.txt}. The deadlocked threads are daemons; the JVM exits.
 */
public final class ForkedDiagnostics {
  private ForkedDiagnostics() {}

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    Thread named = new Thread(() -> sleep(), "worker password=planted-thread-secret");
    named.setDaemon(true);
    named.start();
    monitorDeadlock();
    RecentErrors.global().record("orders", "call failed, Authorization: Bearer planted-bearer-secret", null);
    Diagnostics d = Diagnostics.builder().discoverContributors(false).build();
    for (String path :
        List.of("/environment", "/system-properties", "/threads", "/threads/json", "/threads/deadlocks",
            "/jvm", "/fingerprint", "/errors", "/threads/all")) {
      try (Diagnostics.Reply r = d.handle(DiagnosticsRequest.of("GET", path, Map.of()))) {
        String name = path.substring(1).replace('/', '-');
        Files.write(dir.resolve(name + ".txt"), r.bodyBytes());
      }
    }
    System.exit(0);
  }

  private static void monitorDeadlock() throws InterruptedException {
    Object m1 = new Object();
    Object m2 = new Object();
    CountDownLatch both = new CountDownLatch(2);
    Thread a = new Thread(() -> cross(m1, m2, both), "monitor-deadlock-a");
    Thread b = new Thread(() -> cross(m2, m1, both), "monitor-deadlock-b");
    a.setDaemon(true);
    b.setDaemon(true);
    a.start();
    b.start();
    both.await();
    while (a.getState() != Thread.State.BLOCKED || b.getState() != Thread.State.BLOCKED) {
      Thread.sleep(5);
    }
  }

  private static void cross(Object first, Object second, CountDownLatch both) {
    synchronized (first) {
      both.countDown();
      try {
        both.await();
      } catch (InterruptedException e) {
        return;
      }
      synchronized (second) {
        both.countDown();
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
