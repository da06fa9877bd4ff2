package dev.cairn.internal.http;

import static dev.cairn.internal.http.LoopbackServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpTransportTest {
  private static final byte[] BODY = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final LoopbackServer server = new LoopbackServer();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  /** Delays the transport asked to wait; the test sleeper returns at once. */
  private final List<Long> sleeps = new CopyOnWriteArrayList<>();
  private final String name = "t" + NAMES.incrementAndGet();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    server.close();
  }

  private HttpTransport.Builder builder(URI uri) {
    return HttpTransport.builder(uri)
        .name(name)
        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), 1.5)
        .sleeper(
            nanos -> {
              sleeps.add(nanos);
              return true;
            });
  }

  private HttpTransport transport(HttpTransport.Builder b) {
    HttpTransport t = b.build();
    closeables.add(t);
    return t;
  }

  private HttpTransport transport() {
    return transport(builder(server.uri("/v1/traces")));
  }

  private long failed(String reason) {
    for (SelfCounter c : SelfCounters.GLOBAL.all()) {
      if (c.name().equals("cairn.export.http.failed")
          && c.tag("exporter").equals(name)
          && c.tag("reason").equals(reason)) {
        return c.count();
      }
    }
    return 0;
  }

  @Test
  void postsTheBodyWithContentTypeAndConfiguredHeaders() {
    HttpResult r =
        transport(builder(server.uri("/v1/traces")).header("Authorization", "Bearer s3cret"))
            .send(BODY, BODY.length);
    assertThat(r.isSuccess()).isTrue();
    assertThat(r.attempts()).isEqualTo(1);
    LoopbackServer.Received got = server.received.get(0);
    assertThat(got.method).isEqualTo("POST");
    assertThat(got.path).isEqualTo("/v1/traces");
    assertThat(got.header("Content-Type")).isEqualTo("application/json");
    assertThat(got.header("Authorization")).isEqualTo("Bearer s3cret");
    assertThat(got.body).isEqualTo(BODY);
  }

  @Test
  void sendsOnlyTheGivenLengthOfTheBuffer() {
    byte[] buffer = new byte[100];
    System.arraycopy(BODY, 0, buffer, 0, BODY.length);
    transport().send(buffer, BODY.length);
    assertThat(server.received.get(0).body).isEqualTo(BODY);
  }

  @Test
  void gzipCompressesTheRequestBody() {
    byte[] big = ("[" + "\"x\",".repeat(10_000) + "\"x\"]").getBytes(StandardCharsets.UTF_8);
    HttpResult r = transport(builder(server.uri("/")).gzip(true)).send(big, big.length);
    assertThat(r.isSuccess()).isTrue();
    assertThat(server.received.get(0).header("Content-Encoding")).isEqualTo("gzip");
    assertThat(server.received.get(0).body).isEqualTo(big); // the server decompressed it
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 413, 500, 501})
  void nonRetryableStatusIsNotRetriedAndCountedWithItsReason(int code) {
    server.otherwise(status(code, "{\"message\":\"no\"}"));
    HttpResult r = transport().send(BODY, BODY.length);
    assertThat(r.outcome()).isEqualTo(HttpResult.Outcome.REJECTED);
    assertThat(r.reason()).isEqualTo("http_" + code);
    assertThat(r.status()).isEqualTo(code);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(server.received).hasSize(1);
    assertThat(sleeps).isEmpty();
    assertThat(failed("http_" + code)).isEqualTo(1);
    assertThat(r.bodyAsString()).isEqualTo("{\"message\":\"no\"}");
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 502, 503, 504})
  void retryableStatusIsRetriedOnTheJitteredExponentialSchedule(int code) {
    server.otherwise(status(code, ""));
    HttpResult r = transport(builder(server.uri("/")).maxAttempts(5)).send(BODY, BODY.length);
    assertThat(r.outcome()).isEqualTo(HttpResult.Outcome.GAVE_UP);
    assertThat(r.reason()).isEqualTo("retries_exhausted");
    assertThat(r.attempts()).isEqualTo(5);
    assertThat(server.received).hasSize(5);
    assertThat(sleeps).hasSize(4);
    long[] schedule = {1_000, 1_500, 2_250, 3_375};
    for (int i = 0; i < 4; i++) {
      long ms = TimeUnit.NANOSECONDS.toMillis(sleeps.get(i));
      assertThat(ms).as("retry %d", i + 1).isBetween(schedule[i] * 8 / 10, schedule[i] * 12 / 10);
    }
    assertThat(failed("retries_exhausted")).isEqualTo(1);
  }

  @Test
  void backoffIsCappedAtTheMaximum() {
    HttpTransport t = transport(builder(server.uri("/")).backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), 2));
    assertThat(t.scheduledBackoffNanos(1)).isEqualTo(TimeUnit.SECONDS.toNanos(1));
    assertThat(t.scheduledBackoffNanos(3)).isEqualTo(TimeUnit.SECONDS.toNanos(4));
    assertThat(t.scheduledBackoffNanos(10)).isEqualTo(TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void retrySucceedsWhenTheBackendRecovers() {
    server.then(status(503, ""), status(429, ""));
    HttpResult r = transport().send(BODY, BODY.length);
    assertThat(r.isSuccess()).isTrue();
    assertThat(r.attempts()).isEqualTo(3);
    assertThat(server.received).extracting(x -> x.body).containsOnly(BODY);
  }

  @Test
  void retryAfterSecondsReplacesTheBackoff() {
    server.then(status(503, "", Map.of("Retry-After", "3")));
    HttpResult r = transport().send(BODY, BODY.length);
    assertThat(r.isSuccess()).isTrue();
    assertThat(sleeps).containsExactly(TimeUnit.SECONDS.toNanos(3));
  }

  @Test
  void retryAfterHttpDateIsHonoured() {
    String in5s =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(5));
    server.then(status(429, "", Map.of("Retry-After", in5s)));
    HttpResult r = transport().send(BODY, BODY.length);
    assertThat(r.isSuccess()).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(sleeps.get(0))).isBetween(3_000L, 5_000L);
  }

  @Test
  void malformedRetryAfterFallsBackToBackoff() {
    server.then(status(503, "", Map.of("Retry-After", "soon")));
    transport().send(BODY, BODY.length);
    assertThat(TimeUnit.NANOSECONDS.toMillis(sleeps.get(0))).isBetween(800L, 1_200L);
  }

  @Test
  void parseRetryAfterForms() {
    long now = ZonedDateTime.parse("Sun, 06 Nov 1994 08:49:37 GMT", DateTimeFormatter.RFC_1123_DATE_TIME)
        .toInstant().toEpochMilli();
    assertThat(HttpTransport.parseRetryAfter("120", now)).isEqualTo(TimeUnit.SECONDS.toNanos(120));
    assertThat(HttpTransport.parseRetryAfter("Sun, 06 Nov 1994 08:49:47 GMT", now))
        .isEqualTo(TimeUnit.SECONDS.toNanos(10));
    assertThat(HttpTransport.parseRetryAfter("Sun, 06 Nov 1994 08:49:00 GMT", now)).isZero();
    assertThat(HttpTransport.parseRetryAfter("-1", now)).isEqualTo(-1);
    assertThat(HttpTransport.parseRetryAfter("1.5", now)).isEqualTo(-1);
    assertThat(HttpTransport.parseRetryAfter("99999999999", now)).isEqualTo(-1);
    assertThat(HttpTransport.parseRetryAfter("", now)).isEqualTo(-1);
  }

  @Test
  void retryAfterBeyondTheTimeBudgetGivesUpWithoutWaiting() {
    server.otherwise(status(503, "", Map.of("Retry-After", "120")));
    HttpResult r = transport(builder(server.uri("/")).maxElapsed(Duration.ofSeconds(30))).send(BODY, BODY.length);
    assertThat(r.outcome()).isEqualTo(HttpResult.Outcome.GAVE_UP);
    assertThat(r.reason()).isEqualTo("deadline");
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void callersDeadlineBoundsTheSend() {
    server.otherwise(status(503, ""));
    HttpResult r = transport().send(BODY, BODY.length, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500));
    assertThat(r.reason()).isEqualTo("deadline");
    assertThat(r.attempts()).isEqualTo(1);
  }

  @Test
  void refusesRequestBodiesAboveTheCapWithoutSending() {
    byte[] big = new byte[1001];
    HttpResult r = transport(builder(server.uri("/")).maxRequestBytes(1000)).send(big, big.length);
    assertThat(r.outcome()).isEqualTo(HttpResult.Outcome.TOO_LARGE);
    assertThat(r.reason()).isEqualTo("request_too_large");
    assertThat(r.attempts()).isZero();
    assertThat(server.received).isEmpty();
    assertThat(failed("request_too_large")).isEqualTo(1);
  }

  @Test
  void requestCapCannotExceedTwentyMebibytes() {
    assertThatThrownBy(() -> HttpTransport.builder(server.uri("/")).maxRequestBytes(20 * 1024 * 1024 + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRequestBytes");
  }

  @Test
  void connectionRefusedIsRetriedThenGivenUp() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    HttpResult r =
        transport(builder(URI.create("http://127.0.0.1:" + port + "/")).maxAttempts(3))
            .send(BODY, BODY.length);
    assertThat(r.reason()).isEqualTo("retries_exhausted");
    assertThat(r.attempts()).isEqualTo(3);
    assertThat(r.status()).isZero();
    assertThat(r.lastError()).contains("Connect");
  }

  @Test
  void blackholeIsAbandonedAtTheRequestTimeout() throws Exception {
    try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = acceptForever(blackhole);
      HttpTransport t =
          transport(
              builder(URI.create("http://127.0.0.1:" + blackhole.getLocalPort() + "/"))
                  .requestTimeout(Duration.ofMillis(300))
                  .maxAttempts(2));
      HttpResult r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> t.send(BODY, BODY.length));
      assertThat(r.outcome()).isEqualTo(HttpResult.Outcome.GAVE_UP);
      assertThat(r.attempts()).isEqualTo(2);
      assertThat(r.lastError()).contains("timeout");
      closeAll(accepted);
    }
  }

  @Test
  void headersThenStalledBodyIsAbandonedAtTheRequestTimeout() {
    server.otherwise(
        ex -> {
          ex.sendResponseHeaders(200, 1000);
          ex.getResponseBody().write('{');
          ex.getResponseBody().flush();
          try {
            Thread.sleep(10_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.close();
        });
    HttpTransport t = transport(builder(server.uri("/")).requestTimeout(Duration.ofMillis(300)).maxAttempts(1));
    HttpResult r = assertTimeoutPreemptively(Duration.ofSeconds(8), () -> t.send(BODY, BODY.length));
    assertThat(r.reason()).isEqualTo("retries_exhausted");
    assertThat(r.lastError()).contains("timeout");
  }

  @Test
  void connectionResetMidRequestIsRetried() throws Exception {
    try (ServerSocket raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicInteger connections = new AtomicInteger();
      Thread t =
          daemon(
              () -> {
                while (!raw.isClosed()) {
                  try (Socket s = raw.accept()) {
                    InputStream in = s.getInputStream();
                    readHead(in);
                    if (connections.incrementAndGet() == 1) {
                      s.setSoLinger(true, 0); // RST instead of FIN
                    } else {
                      in.readNBytes(BODY.length);
                      OutputStream out = s.getOutputStream();
                      out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                          .getBytes(StandardCharsets.US_ASCII));
                      out.flush();
                    }
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      HttpResult r =
          transport(builder(URI.create("http://127.0.0.1:" + raw.getLocalPort() + "/")))
              .send(BODY, BODY.length);
      assertThat(r.isSuccess()).isTrue();
      assertThat(r.attempts()).isEqualTo(2);
      assertThat(connections.get()).isEqualTo(2);
      t.interrupt();
    }
  }

  @Test
  void responseBombIsReadOnlyUpToTheCap() {
    server.otherwise(
        ex -> {
          ex.sendResponseHeaders(200, 0); // chunked, endless as far as the client knows
          byte[] chunk = new byte[64 * 1024];
          try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < 1600; i++) { // up to 100 MiB unless the client hangs up
              out.write(chunk);
            }
          }
        });
    HttpResult r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () -> transport(builder(server.uri("/")).maxResponseBytes(16 * 1024)).send(BODY, BODY.length));
    assertThat(r.isSuccess()).isTrue();
    assertThat(r.bodyTruncated()).isTrue();
    assertThat(r.body()).hasSize(16 * 1024);
  }

  @Test
  void gzipResponseBombIsNeverDecompressed() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      byte[] zeros = new byte[1024 * 1024];
      for (int i = 0; i < 64; i++) { // 64 MiB of zeros -> ~64 KiB on the wire
        z.write(zeros);
      }
    }
    byte[] bomb = gz.toByteArray();
    server.otherwise(
        ex -> {
          ex.getResponseHeaders().add("Content-Encoding", "gzip");
          ex.sendResponseHeaders(400, bomb.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(bomb);
          }
        });
    HttpResult r = transport(builder(server.uri("/")).maxResponseBytes(4096)).send(BODY, BODY.length);
    assertThat(r.reason()).isEqualTo("http_400");
    assertThat(r.body()).hasSize(4096);
    assertThat(r.body()[0]).isEqualTo((byte) 0x1f); // still gzip bytes: nothing was inflated
    assertThat(r.bodyTruncated()).isTrue();
  }

  @Test
  void closeAbortsABackoffWaitAtOnce() throws Exception {
    server.otherwise(status(503, "", Map.of("Retry-After", "20")));
    HttpTransport t = HttpTransport.builder(server.uri("/")).name(name).maxElapsed(Duration.ofSeconds(60)).build();
    closeables.add(t);
    HttpResult[] result = new HttpResult[1];
    Thread worker = daemon(() -> result[0] = t.send(BODY, BODY.length));
    while (server.received.isEmpty()) {
      Thread.sleep(10);
    }
    Thread.sleep(100);
    t.close();
    worker.join(5_000);
    assertThat(worker.isAlive()).isFalse();
    assertThat(result[0].reason()).isEqualTo("closed");
    assertThat(t.send(BODY, BODY.length).reason()).isEqualTo("closed");
  }

  @Test
  void closeAbortsAnAttemptInFlight() throws Exception {
    try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = acceptForever(blackhole);
      HttpTransport t =
          HttpTransport.builder(URI.create("http://127.0.0.1:" + blackhole.getLocalPort() + "/"))
              .name(name)
              .requestTimeout(Duration.ofSeconds(30))
              .maxElapsed(Duration.ofSeconds(60))
              .build();
      closeables.add(t);
      HttpResult[] result = new HttpResult[1];
      Thread worker = daemon(() -> result[0] = t.send(BODY, BODY.length));
      while (accepted.isEmpty()) {
        Thread.sleep(10);
      }
      t.close();
      worker.join(5_000);
      assertThat(worker.isAlive()).isFalse();
      assertThat(result[0].isSuccess()).isFalse();
      closeAll(accepted);
    }
  }

  @Test
  void manyFailedAttemptsLeaveNoExtraThreadsBehind() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    HttpTransport t = transport(builder(URI.create("http://127.0.0.1:" + port + "/")).maxAttempts(10));
    for (int i = 0; i < 20; i++) {
      t.send(BODY, BODY.length);
    }
    assertThat(transportThreads()).isLessThanOrEqualTo(2);
    t.close();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (transportThreads() > 0 && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(transportThreads()).isZero();
  }

  @Test
  void refusesHeadersTheTransportOwnsAndInjectedLineBreaks() {
    HttpTransport.Builder b = HttpTransport.builder(server.uri("/"));
    assertThatThrownBy(() -> b.header("Content-Length", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Content-Length");
    assertThatThrownBy(() -> b.header("X-Evil", "a\r\nInjected: 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CR, LF");
    assertThatThrownBy(() -> b.header("bad name", "v")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesEndpointsThatAreNotHttp() {
    assertThatThrownBy(() -> HttpTransport.builder(URI.create("ftp://example/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://");
  }

  // ------------------------------------------------------------------ helpers

  private long transportThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(th -> th.getName().startsWith("cairn-http-" + name + "-"))
        .count();
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "test-helper");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static List<Socket> acceptForever(ServerSocket s) {
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    daemon(
        () -> {
          while (!s.isClosed()) {
            try {
              accepted.add(s.accept()); // and never read or answer
            } catch (IOException e) {
              return;
            }
          }
        });
    return accepted;
  }

  private static void closeAll(List<Socket> sockets) throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
  }

  private static void readHead(InputStream in) throws IOException {
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("eof");
      }
      state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
    }
  }
}
