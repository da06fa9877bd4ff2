package dev.cairn.examples.storefront;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
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
 */
@RestController
@ConditionalOnProperty(name = "demo.role", havingValue = "inventory")
class InventoryService {
  private static final Logger log = LoggerFactory.getLogger(InventoryService.class);

  private final Object stockLock = new Object();
  private final Map<String, Integer> stock = new ConcurrentHashMap<>();

  @PostMapping("/reserve")
  String reserve(
      @RequestParam String sku,
      @RequestParam(defaultValue = "1") int quantity,
      @RequestParam(defaultValue = "none") String inject) {
    if ("lock".equals(inject)) {
      holdLockInBackground(400);
    }
    int left;
    synchronized (stockLock) {
      left = stock.merge(sku, 1000 - quantity, (old, ignored) -> old - quantity);
    }
    log.atInfo().addKeyValue("sku", sku).addKeyValue("left", left).log("stock reserved");
    return "reserved " + quantity + " of " + sku + ", " + left + " left";
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
