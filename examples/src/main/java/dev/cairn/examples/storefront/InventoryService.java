package dev.cairn.examples.storefront;

import dev.cairn.journal.Appended;
import dev.cairn.journal.FsyncPolicy;
import dev.cairn.journal.Journal;
import dev.cairn.journal.NewEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stock keeping. {@code inject=lock} makes the request queue behind a monitor that a background
 * "re-indexing" thread holds for a while: a lock-contention stall that Cairn attributes to the
 * request that suffered it.
 *
 * <p>Every stock change is appended to Cairn's journal with the version the writer read. {@code
 * inject=race} reproduces the classic lost update: the handler reads the stock, thinks for a
 * moment, then writes what it computed, so two concurrent reservations of the same item both
 * write from the same version and one reservation vanishes from the stock level. Replaying the
 * journal finds the exact event where the truth broke.
 */
@RestController
@ConditionalOnProperty(name = "demo.role", havingValue = "inventory")
class InventoryService implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(InventoryService.class);
  static final int INITIAL_STOCK = 1000;

  private final Object stockLock = new Object();
  /** sku -> {version, level}; read and written under the lock, but not atomically for "race". */
  private final Map<String, long[]> stock = new LinkedHashMap<>();
  private final Journal journal;
  private final java.util.concurrent.CountDownLatch bothClerksHaveRead =
      new java.util.concurrent.CountDownLatch(2);

  InventoryService(@Value("${demo.out:target/demo}") String out) {
    this.journal =
        Journal.builder(Path.of(out, "journal"))
            .nodeId("inventory")
            .fsync(FsyncPolicy.every(Duration.ofMillis(100)))
            .build();
  }

  @PostMapping("/reserve")
  String reserve(
      @RequestParam String sku,
      @RequestParam(defaultValue = "1") int quantity,
      @RequestParam(defaultValue = "none") String inject) {
    if ("lock".equals(inject)) {
      holdLockInBackground(400);
    }
    long[] read;
    synchronized (stockLock) {
      read = stock.computeIfAbsent(sku, k -> new long[] {0, INITIAL_STOCK}).clone();
    }
    if ("race".equals(inject)) {
      // The bug: compute outside the lock from a read that may already be stale. The two racing
      // clerks meet here (bounded wait), so both surely read the same version before either writes.
      bothClerksHaveRead.countDown();
      try {
        bothClerksHaveRead.await(3, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long left = read[1] - quantity;
    synchronized (stockLock) {
      stock.put(sku, new long[] {read[0] + 1, left});
    }
    Map<String, Object> change = new LinkedHashMap<>();
    change.put("sku", sku);
    change.put("quantity", quantity);
    change.put("before", read[1]);
    change.put("after", left);
    Appended appended =
        journal.append(
            NewEvent.builder("StockReserved").key(sku).expectedVersion(read[0]).json(change).build());
    log.atInfo()
        .addKeyValue("sku", sku)
        .addKeyValue("left", left)
        .addKeyValue("journalPosition", appended.position())
        .log("stock reserved");
    return "reserved " + quantity + " of " + sku + ", " + left + " left";
  }

  @Override
  public void destroy() {
    journal.close();
  }

  /** A re-indexing job that grabs the stock lock just before the request needs it. */
  private void holdLockInBackground(long millis) {
    var holding = new java.util.concurrent.CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              synchronized (stockLock) {
                holding.countDown();
                LockSupport.parkNanos(millis * 1_000_000L);
              }
            },
            "inventory-reindex");
    t.setDaemon(true);
    t.start();
    try {
      holding.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
