package dev.cairn.logback;

import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Realistic log lines without secrets: request logs, URLs without user-info, UUIDs, timestamps,
 * e-mail addresses, SQL, stack frames, JVM and pool messages, and prose that mentions secret words
 * ("password reset", "tokenizer", "author", "keyboard", "session created").
 */
final class CleanCorpus {
  private CleanCorpus() {}

  private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank"};
  private static final String[] HOSTS = {
    "payments.example.com", "api.example.org", "auth.internal", "db-primary.internal", "cdn.example.net"
  };
  private static final String[] PATHS = {"/api/v1/orders", "/api/v2/customers", "/health", "/login", "/checkout"};

  static String line(SplittableRandom r) {
    String user = USERS[r.nextInt(USERS.length)];
    String host = HOSTS[r.nextInt(HOSTS.length)];
    String path = PATHS[r.nextInt(PATHS.length)];
    long id = r.nextLong(1, 10_000_000_000L);
    int ms = r.nextInt(1, 5000);
    String uuid = new UUID(r.nextLong(), r.nextLong()).toString();
    switch (r.nextInt(40)) {
      case 0:
        return "GET " + path + "/" + id + "?page=" + r.nextInt(20) + "&size=50 200 " + ms + "ms ua=\"Mozilla/5.0 (X11; Linux x86_64)\"";
      case 1:
        return "calling https://" + host + ":8443/v2/charges/" + uuid + " timeout=" + ms + "ms";
      case 2:
        return "redirect to https://" + host + "/login?next=%2Fhome%3Ftab%3D" + r.nextInt(9) + "&lang=en";
      case 3:
        return "loaded tokenizer bert-base-uncased vocab=30522 max_length=512 in " + ms + " ms";
      case 4:
        return "keyboard layout de-DE selected by user " + id;
      case 5:
        return "commit " + Long.toHexString(r.nextLong()).substring(0, 7) + " by author=" + user + "@example.com: fix typo";
      case 6:
        return "order " + uuid + " created for customer " + id + " at 2026-12-07T23:" + (10 + r.nextInt(50)) + ":00Z";
      case 7:
        return "sent confirmation to " + user + ".smith@example.com (message-id <" + uuid + "@mail.example.com>)";
      case 8:
        return "select o.id, o.total from orders o where o.customer_id = ? and o.created_at > ? limit 50 [took " + ms + " ms]";
      case 9:
        return "\tat com.example.orders.OrderService.place(OrderService.java:" + r.nextInt(900) + ")";
      case 10:
        return "partition=" + r.nextInt(12) + " offset=" + id + " key=order-" + r.nextInt(99999) + " topic=orders.v1";
      case 11:
        return "GC pause (G1 Evacuation Pause) " + r.nextInt(512) + "M->" + r.nextInt(256) + "M(1024M) " + ms + ".123ms";
      case 12:
        return "HikariPool-1 - Start completed. connections=" + r.nextInt(30) + " url=jdbc:postgresql://" + host + ":5432/orders";
      case 13:
        return "pod orders-7d9f8b6c4-x2lqp ready in " + r.nextInt(60) + "s on node ip-10-0-" + r.nextInt(255) + "-" + r.nextInt(255);
      case 14:
        return "password reset email sent to " + user + "@example.com";
      case 15:
        return "user " + id + " changed their password";
      case 16:
        return "token expired for client web-app, refreshing (attempt " + r.nextInt(5) + ")";
      case 17:
        return "session created for user " + user + ", ttl 1800 s";
      case 18:
        return "cookie consent banner shown to visitor from " + host;
      case 19:
        return "authenticated user " + user + " via oidc in " + ms + " ms";
      case 20:
        return "Authorization header missing on " + path + ", answering 401";
      case 21:
        return "{\"orderId\":" + id + ",\"status\":\"PAID\",\"amount\":\"" + r.nextInt(500) + ".99\",\"currency\":\"EUR\"}";
      case 22:
        return "connected to 10.12." + r.nextInt(255) + "." + r.nextInt(255) + ":5432 (" + host + ")";
      case 23:
        return "p99=" + ms + "ms rps=" + r.nextInt(5000) + " errors=" + r.nextInt(3) + " window=60s";
      case 24:
        return "traceId=" + Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()) + " spanId=" + Long.toHexString(r.nextLong());
      case 25:
        return "rotated /var/lib/app/data/segment-" + id + ".log (" + r.nextInt(64) + " MiB)";
      case 26:
        return "missing Bearer prefix in header from " + host;
      case 27:
        return "webhook signature verified for event evt_" + id;
      case 28:
        return "fetched " + r.nextInt(10) + " secrets from vault in " + ms + " ms";
      case 29:
        return "prompt_tokens=" + r.nextInt(4000) + " completion_tokens=" + r.nextInt(1000) + " model=gpt-x";
      case 30:
        return "cache hit key=orders:" + id + " ttl=" + r.nextInt(600) + "s";
      case 31:
        return "epoch " + (1_700_000_000_000L + r.nextLong(100_000_000_000L)) + " ms, nanos " + (1_765_148_400_000_000_000L + r.nextLong(1_000_000_000L));
      case 32:
        return "Exception in thread \"http-nio-8080-exec-" + r.nextInt(200) + "\" java.lang.IllegalStateException: order " + id + " already paid";
      case 33:
        return "user " + user + " logged in from 192.168." + r.nextInt(255) + "." + r.nextInt(255) + " with MFA";
      case 34:
        return "Started OrdersApplication in " + r.nextInt(20) + "." + r.nextInt(999) + " seconds (process running for " + r.nextInt(30) + ".1)";
      case 35:
        return "private network 10.0.0.0/8 allowed for " + path;
      case 36:
        return "PUT https://" + host + "/v1/customers/" + id + "/address 204 " + ms + " ms";
      case 37:
        return "payment " + id + " authorized amount=" + r.nextInt(100000) + " currency=EUR card=visa last4=" + (1000 + r.nextInt(9000));
      case 38:
        return "retrying POST https://" + host + path + " after 503, backoff " + ms + " ms, attempt " + r.nextInt(5);
      default:
        return "config loaded: server.port=8080 spring.profiles.active=prod management.endpoints=health,info";
    }
  }
}
