package dev.cairn.examples.storefront;

import dev.cairn.context.TraceContext;
import dev.cairn.propagation.Carriers;
import dev.cairn.propagation.Propagator;
import dev.cairn.propagation.Propagators;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends orders at the storefront for a bounded time from a few threads. It starts each request's
 * trace itself (a W3C {@code traceparent}), so it knows every trace id it caused and the guide can
 * find them again in the services' logs and spans. A fixed share of requests carries an injected
 * fault: lock contention, slow I/O, or a failing charge.
 */
final class LoadDriver {
  /** One request the driver sent. */
  record Sent(String traceId, String inject, int status, long millis) {}

  private static final Propagator W3C = Propagators.w3cTraceContext();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String ordersUrl;
  private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger counter = new AtomicInteger();

  LoadDriver(String ordersUrl) {
    this.ordersUrl = ordersUrl;
  }

  /** Which fault the n-th request carries: every 10th contends, every 10th (offset) is slow. */
  static String injectionFor(int n) {
    if (n == 7) {
      return "error";
    }
    return switch (n % 10) {
      case 3 -> "lock";
      case 6 -> "slowio";
      default -> "none";
    };
  }

  List<Sent> run(Duration duration, int threads) throws InterruptedException {
    long deadline = System.nanoTime() + duration.toNanos();
    List<Thread> workers = new ArrayList<>();
    // Two clerks reserve the same item at the same moment: the lost update the journal uncovers.
    for (int i = 0; i < 2; i++) {
      Thread t = new Thread(() -> send(-1, "race", "sku-contested"), "load-race-" + i);
      t.start();
      workers.add(t);
    }
    // Every other fault once right away, so even a short or slow run shows each of them.
    for (String fault : List.of("lock", "slowio", "error")) {
      Thread t = new Thread(() -> send(-1, fault, "sku-" + fault), "load-" + fault);
      t.start();
      workers.add(t);
    }
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> loop(deadline), "load-" + i);
      t.start();
      workers.add(t);
    }
    for (Thread t : workers) {
      t.join();
    }
    return List.copyOf(sent);
  }

  private void loop(long deadline) {
    while (System.nanoTime() < deadline) {
      int n = counter.getAndIncrement();
      send(n);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Sends one order; its outcome (even a failure to connect) is recorded, never thrown. */
  Sent send(int n) {
    return send(n, injectionFor(n), "sku-" + (n % 5));
  }

  private Sent send(int n, String inject, String sku) {
    TraceContext trace = TraceContext.newRoot(true);
    Map<String, String> headers = new LinkedHashMap<>();
    W3C.inject(trace, headers, Carriers.mapSetter());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(ordersUrl + "/orders?sku=" + sku + "&inject=" + inject))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody());
    headers.forEach(request::header);
    long start = System.nanoTime();
    int status;
    try {
      status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      status = -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = -1;
    }
    Sent s = new Sent(trace.traceIdHex(), inject, status, (System.nanoTime() - start) / 1_000_000);
    sent.add(s);
    return s;
  }
}
