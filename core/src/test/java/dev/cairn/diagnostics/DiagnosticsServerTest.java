package dev.cairn.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.internal.SelfCounters;
import dev.cairn.metrics.CairnMetrics;
import dev.cairn.metrics.MetricsSettings;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class DiagnosticsServerTest {
  private static final String TOKEN = "test-token-0123456789abcdef";
  private static final ObjectMapper JACKSON = new ObjectMapper();

  @TempDir Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private DiagnosticsServer start(DiagnosticsSettings.Builder settings, Diagnostics.Builder builder) throws Exception {
    DiagnosticsServer s =
        DiagnosticsServer.start(
            builder
                .settings(settings.enabled(true).dumpDirectory(dir.resolve("dumps")).build())
                .discoverContributors(false)
                .build());
    closeables.add(s);
    return s;
  }

  private Http client(DiagnosticsSettings.Builder settings, Diagnostics.Builder builder) throws Exception {
    return new Http(start(settings.token(TOKEN), builder), TOKEN);
  }

  private Http readOnly() throws Exception {
    return client(DiagnosticsSettings.builder(), Diagnostics.builder());
  }

  @Test
  void refusesRequestsWithoutTokenWith401() throws Exception {
    Http http = readOnly();

    HttpResponse<String> r = http.send("GET", "/threads", null);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(r.body()).doesNotContain("java.lang.Thread.State");
  }

  @Test
  void refusesWrongTokensOfAnyLengthWith401() throws Exception {
    Http http = readOnly();

    assertThat(http.send("GET", "/threads", TOKEN.substring(0, TOKEN.length() - 1) + "X").statusCode()).isEqualTo(401);
    assertThat(http.send("GET", "/threads", "short").statusCode()).isEqualTo(401);
    assertThat(http.send("GET", "/threads", TOKEN + "-longer").statusCode()).isEqualTo(401);
    assertThat(http.send("GET", "/threads", TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void generatesATokenIntoAnOwnerOnlyFileWhenNoneIsConfigured() throws Exception {
    Path tokenFile = dir.resolve("token");
    DiagnosticsServer s = start(DiagnosticsSettings.builder().tokenFile(tokenFile), Diagnostics.builder());

    String token = Files.readString(tokenFile).trim();

    assertThat(token).hasSizeGreaterThanOrEqualTo(40);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
    assertThat(new Http(s, token).get("/fingerprint").statusCode()).isEqualTo(200);
    s.close();
    assertThat(tokenFile).doesNotExist();
  }

  @Test
  void tokenFile_inADirectoryThatDoesNotExistYet_createsThatDirectoryOwnerOnly() throws Exception {
    Path tokenFile = dir.resolve("run").resolve("cairn").resolve("token");
    DiagnosticsServer s = start(DiagnosticsSettings.builder().tokenFile(tokenFile), Diagnostics.builder());
    try {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile.getParent())))
          .isEqualTo("rwx------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("run"))))
          .isEqualTo("rwx------");
    } finally {
      s.close();
    }
  }

  @Test
  void generatedTokens_whenTwoServersRunInOneJvm_goToAFileOfEachServersOwn() throws Exception {
    DiagnosticsServer a = start(DiagnosticsSettings.builder(), Diagnostics.builder());
    DiagnosticsServer b = start(DiagnosticsSettings.builder(), Diagnostics.builder());
    Path fileA = a.generatedTokenFile().orElseThrow();
    Path fileB = b.generatedTokenFile().orElseThrow();
    String tokenA = Files.readString(fileA).trim();
    String tokenB = Files.readString(fileB).trim();

    assertThat(fileA).isNotEqualTo(fileB);
    assertThat(fileA.getFileName().toString())
        .isEqualTo("cairn-diagnostics-" + ProcessHandle.current().pid() + "-" + a.port() + ".token");
    assertThat(tokenA).isNotEqualTo(tokenB);
    assertThat(new Http(a, tokenA).get("/fingerprint").statusCode()).isEqualTo(200);
    assertThat(new Http(b, tokenB).get("/fingerprint").statusCode()).isEqualTo(200);
    assertThat(new Http(a, tokenB).get("/fingerprint").statusCode()).isEqualTo(401);

    a.close();

    assertThat(fileA).doesNotExist();
    assertThat(Files.readString(fileB).trim()).isEqualTo(tokenB);
    assertThat(new Http(b, tokenB).get("/fingerprint").statusCode()).isEqualTo(200);
  }

  @Test
  void secondServer_whenGivenTheTokenFileOfARunningOne_refusesToStartAndLeavesTheFile() throws Exception {
    Path tokenFile = dir.resolve("shared.token");
    DiagnosticsServer first = start(DiagnosticsSettings.builder().tokenFile(tokenFile), Diagnostics.builder());
    String token = Files.readString(tokenFile).trim();

    assertThatThrownBy(() -> start(DiagnosticsSettings.builder().tokenFile(tokenFile), Diagnostics.builder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cairn.diagnostics.token-file");
    assertThat(Files.readString(tokenFile).trim()).isEqualTo(token);
    assertThat(new Http(first, token).get("/fingerprint").statusCode()).isEqualTo(200);
  }

  @Test
  void bindsLoopbackByDefaultAndRefusesOtherAddressesUnlessAllowed() throws Exception {
    DiagnosticsServer s = start(DiagnosticsSettings.builder().token(TOKEN), Diagnostics.builder());

    assertThat(s.address().getAddress().isLoopbackAddress()).isTrue();
    assertThatThrownBy(
            () -> DiagnosticsServer.start(
                Diagnostics.builder()
                    .settings(DiagnosticsSettings.builder().bindAddress("0.0.0.0").token(TOKEN).build())
                    .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cairn.diagnostics.allow-non-loopback");
  }

  @Test
  void startIfEnabledDoesNothingByDefault() {
    assertThat(DiagnosticsServer.startIfEnabled(Diagnostics.builder().build())).isEmpty();
  }

  @Test
  void indexPageListsEveryEndpointWithoutScriptsOrExternalAssets() throws Exception {
    HttpResponse<String> r = readOnly().get("/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(r.body())
        .contains("href=\"./threads\"")
        .contains("href=\"./fingerprint\"")
        .contains("/heap/dump")
        .doesNotContain("<script")
        .doesNotContain("src=");
  }

  @Test
  void fingerprintEndpointServesJsonJacksonReads() throws Exception {
    HttpResponse<String> r = readOnly().get("/fingerprint");

    JsonNode n = JACKSON.readTree(r.body());
    assertThat(n.get("schema").asString()).isEqualTo(Fingerprint.SCHEMA);
    assertThat(n.get("environment").get("java.version").asString()).isEqualTo(System.getProperty("java.version"));
  }

  @Test
  void threadDumpShowsADeadlockOnOwnableSynchronizersWithLockOwners() throws Exception {
    Http http = readOnly();
    try (Deadlock d = Deadlock.onReentrantLocks()) {
      JsonNode dl = waitForDeadlock(http);

      assertThat(dl.get("count").asInt()).isGreaterThanOrEqualTo(2);
      List<String> names = new ArrayList<>();
      for (JsonNode t : dl.get("threads")) {
        names.add(t.get("name").asString());
        if (t.get("name").asString().equals("cairn-test-deadlock-a")) {
          assertThat(t.get("lockOwner").asString()).isEqualTo("cairn-test-deadlock-b");
          assertThat(t.get("waitingOn").asString()).contains("ReentrantLock");
        }
      }
      assertThat(names).contains("cairn-test-deadlock-a", "cairn-test-deadlock-b");
      String text = http.get("/threads").body();
      assertThat(text).contains("deadlocked threads:").contains("Locked ownable synchronizers:");
      JsonNode json = JACKSON.readTree(http.get("/threads/json").body());
      assertThat(json.get("deadlocked").size()).isGreaterThanOrEqualTo(2);
    }
  }

  private static JsonNode waitForDeadlock(Http http) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      JsonNode n = JACKSON.readTree(http.get("/threads/deadlocks").body());
      if (n.get("count").asInt() >= 2 || System.nanoTime() > deadline) {
        return n;
      }
      Thread.sleep(20);
    }
  }

  @Test
  void fullThreadDumpIncludesVirtualThreadsOnJdk21AndLater() throws Exception {
    Http http = readOnly();
    if (Runtime.version().feature() < 21) {
      assertThat(http.get("/threads/all").statusCode()).isEqualTo(404);
      return;
    }
    CountDownLatch stop = new CountDownLatch(1);
    // Thread.ofVirtual() is JDK 21 API; reflection keeps this test compiling on 17.
    Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
    Class<?> builderType = Class.forName("java.lang.Thread$Builder");
    builder = builderType.getMethod("name", String.class).invoke(builder, "cairn-test-virtual");
    java.lang.reflect.Method start = builderType.getMethod("start", Runnable.class);
    Thread vt = (Thread) start.invoke(builder, (Runnable) () -> {
      try {
        stop.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      HttpResponse<String> r = http.get("/threads/all");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(JACKSON.readTree(r.body()).toString()).contains("cairn-test-virtual");
    } finally {
      stop.countDown();
      vt.join(5000);
    }
  }

  @Test
  void heapHistogramListsTheTopClassesByBytes() throws Exception {
    HttpResponse<String> r = readOnly().get("/heap/histogram?top=5");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode n = JACKSON.readTree(r.body());
    assertThat(n.get("classes").size()).isEqualTo(5);
    JsonNode first = n.get("classes").get(0);
    assertThat(first.get("bytes").asLong()).isPositive();
    assertThat(first.get("bytes").asLong()).isGreaterThanOrEqualTo(n.get("classes").get(4).get("bytes").asLong());
    assertThat(n.get("totalBytes").asLong()).isGreaterThanOrEqualTo(first.get("bytes").asLong());
  }

  @Test
  void jvmEndpointShowsMemoryPoolsGcUptimeAndFlags() throws Exception {
    JsonNode n = JACKSON.readTree(readOnly().get("/jvm").body());

    assertThat(n.get("uptime.ms").asLong()).isPositive();
    assertThat(n.get("memoryPools").size()).isPositive();
    assertThat(n.get("garbageCollectors").size()).isPositive();
    assertThat(n.get("heap").get("used").asLong()).isPositive();
    assertThat(n.get("flags").toString()).contains("-XX:");
  }

  @Test
  void plantedSecretsInSystemPropertiesNeverAppear() throws Exception {
    System.setProperty("cairn.test.password", "planted-sysprop-secret-1");
    System.setProperty("cairn.test.db.url", "jdbc:postgresql://app:planted-url-secret-2@db/x");
    try {
      Http http = readOnly();
      String props = http.get("/system-properties").body();

      assertThat(props).doesNotContain("planted-sysprop-secret-1").doesNotContain("planted-url-secret-2");
      JsonNode n = JACKSON.readTree(props);
      assertThat(n.get("cairn.test.password").asString()).isEqualTo(Redactor.REDACTED);
      assertThat(n.get("cairn.test.db.url").asString()).contains("@db/x");
    } finally {
      System.clearProperty("cairn.test.password");
      System.clearProperty("cairn.test.db.url");
    }
  }

  @Test
  void writeAndDumpEndpointsAreRefusedWhenNotEnabled() throws Exception {
    DiagnosticsContributor c =
        contributor(DiagnosticsEndpoint.of("/test/write", "POST", Access.WRITE, "writes", r -> DiagnosticsResponse.text("done")));
    Http http = client(DiagnosticsSettings.builder(), Diagnostics.builder().contributor(c));

    assertThat(http.post("/test/write").statusCode()).isEqualTo(403);
    assertThat(http.post("/heap/dump").statusCode()).isEqualTo(403);
    assertThat(http.post("/heap/dump").body()).contains("cairn.diagnostics.dumps.enabled");
    assertThat(http.get("/heap/dump").statusCode()).isEqualTo(405);
  }

  @Test
  void writeEndpointsAnswerWhenWriteIsEnabled() throws Exception {
    DiagnosticsContributor c =
        contributor(DiagnosticsEndpoint.of("/test/write", "POST", Access.WRITE, "writes", r -> DiagnosticsResponse.text("done")));
    Http http = client(DiagnosticsSettings.builder().writeEnabled(true), Diagnostics.builder().contributor(c));

    assertThat(http.post("/test/write").body()).isEqualTo("done");
  }

  @Test
  void concurrentDumpsRunOneAtATimeAndTheRestGet429() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    DiagnosticsContributor c =
        contributor(
            DiagnosticsEndpoint.of("/test/dump", "POST", Access.DUMP, "slow dump", r -> {
              entered.countDown();
              release.await(30, TimeUnit.SECONDS);
              return DiagnosticsResponse.text("dumped");
            }));
    Http http =
        client(DiagnosticsSettings.builder().dumpsEnabled(true).threads(4).queueSize(32), Diagnostics.builder().contributor(c));

    CompletableFuture<HttpResponse<String>> first = async(http, "/test/dump");
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<HttpResponse<String>>> others = new ArrayList<>();
    for (int i = 0; i < 19; i++) {
      others.add(async(http, "/test/dump"));
    }
    for (CompletableFuture<HttpResponse<String>> f : others) {
      assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(429);
    }
    // The class histogram is exclusive too: it waits its turn like the dumps.
    assertThat(http.get("/heap/histogram").statusCode()).isEqualTo(429);
    release.countDown();

    assertThat(first.get(30, TimeUnit.SECONDS).body()).isEqualTo("dumped");
    assertThat(http.post("/test/dump").statusCode()).isEqualTo(200);
  }

  private static CompletableFuture<HttpResponse<String>> async(Http http, String path) {
    HttpRequest r =
        HttpRequest.newBuilder(http.uri(path))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.noBody())
            .header("Authorization", "Bearer " + TOKEN)
            .build();
    return http.client().sendAsync(r, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void heapDumpIsAnHprofDownloadThatIsDeletedAfterSending() throws Exception {
    Http http = client(DiagnosticsSettings.builder().dumpsEnabled(true), Diagnostics.builder());

    HttpResponse<byte[]> r = http.getBytes("POST", "/heap/dump");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), 0, 18, StandardCharsets.US_ASCII)).isEqualTo("JAVA PROFILE 1.0.2");
    assertThat(r.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).contains(".hprof"));
    try (var files = Files.list(dir.resolve("dumps"))) {
      assertThat(files).isEmpty();
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("dumps")))).isEqualTo("rwx------");
  }

  @Test
  void dumpsLargerThanTheCapAreRefused() throws Exception {
    Http http = client(DiagnosticsSettings.builder().dumpsEnabled(true).maxDumpBytes(4096), Diagnostics.builder());

    HttpResponse<String> r = http.post("/heap/dump");

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("cairn.diagnostics.dumps.max-bytes");
  }

  @Test
  void answersLargerThanTheResponseCapAreRefusedNotCut() throws Exception {
    Http http = client(DiagnosticsSettings.builder().maxResponseBytes(2048), Diagnostics.builder());

    HttpResponse<String> r = http.get("/threads/json");

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(JACKSON.readTree(r.body()).get("error").asString()).contains("max-response-bytes");
  }

  @Test
  void requestBodiesOverTheCapAreRefused() throws Exception {
    Http http = client(DiagnosticsSettings.builder().maxRequestBytes(16), Diagnostics.builder());
    HttpRequest req =
        HttpRequest.newBuilder(http.uri("/fingerprint"))
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString("x".repeat(10_000)))
            .build();

    assertThat(http.client().send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
  }

  @Test
  void recentErrorsAndSlowSpansAreServedNewestFirst() throws Exception {
    RecentErrors errors = RecentErrors.create(4);
    SlowSpans slow = SlowSpans.create(4, Duration.ofMillis(100));
    errors.record("orders", "first", new IllegalStateException("boom"));
    errors.record("orders", "second token=abc123secret", null);
    slow.offer(new SlowSpans.Entry("GET /fast", "server", "t1", "s1", Instant.now(), 1_000_000, false, Map.of()));
    slow.offer(new SlowSpans.Entry("GET /slow", "server", "t2", "s2", Instant.now(), 250_000_000, true, Map.of("http.route", "/slow")));
    Http http = client(DiagnosticsSettings.builder(), Diagnostics.builder().recentErrors(errors).slowSpans(slow));

    JsonNode e = JACKSON.readTree(http.get("/errors").body());
    JsonNode s = JACKSON.readTree(http.get("/spans/slow").body());

    assertThat(e.get("errors").get(0).get("message").asString()).startsWith("second").doesNotContain("abc123secret");
    assertThat(e.get("errors").get(1).get("errorType").asString()).isEqualTo("java.lang.IllegalStateException");
    assertThat(s.get("spans").size()).isEqualTo(1);
    assertThat(s.get("spans").get(0).get("name").asString()).isEqualTo("GET /slow");
    assertThat(s.get("spans").get(0).get("attributes").get("http.route").asString()).isEqualTo("/slow");
  }

  @Test
  void healthGroupsPropagationRejectionsAndCardinalityOverflows() throws Exception {
    SelfCounters counters = new SelfCounters();
    counters.counter("cairn.propagation.rejected", "test", "headers", "format", "w3c", "reason", "cairn_test").add(7);
    counters.counter("cairn.metrics.cardinality.overflow", "test", "registrations", "meter", "orders.placed").add(3);
    counters.counter("cairn.export.dropped", "test", "items", "exporter", "otlp", "reason", "queue_full").add(2);
    Http http = client(DiagnosticsSettings.builder(), Diagnostics.builder().selfCounters(counters));

    JsonNode n = JACKSON.readTree(http.get("/health").body());

    assertThat(n.get("propagationRejections").get(0).get("tags").get("reason").asString()).isEqualTo("cairn_test");
    assertThat(n.get("propagationRejections").get(0).get("count").asLong()).isEqualTo(7);
    assertThat(n.get("cardinalityOverflows").get(0).get("tags").get("meter").asString()).isEqualTo("orders.placed");
    assertThat(n.get("exporters").get(0).get("count").asLong()).isEqualTo(2);
    assertThat(n.get("counters").size()).isEqualTo(3);
  }

  @Test
  void metersAreServedAsJsonAndPrometheusText() throws Exception {
    CairnMetrics metrics = CairnMetrics.create(MetricsSettings.builder().build());
    closeables.add(metrics);
    metrics.registry().counter("orders.placed", "region", "eu").increment(3);
    Http http = client(DiagnosticsSettings.builder(), Diagnostics.builder().metrics(metrics));

    JsonNode json = JACKSON.readTree(http.get("/metrics").body());
    HttpResponse<String> prom = http.get("/metrics/prometheus");

    assertThat(json.get("meters").toString()).contains("orders.placed");
    assertThat(prom.statusCode()).isEqualTo(200);
    assertThat(prom.body()).contains("orders_placed_total{region=\"eu\"} 3.0");
  }

  @Test
  void requestsRunOnTheServersOwnThreadsNeverTheCallers() throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    DiagnosticsContributor c =
        contributor(DiagnosticsEndpoint.of("/test/who", "GET", Access.READ, "thread name", r -> {
          threads.add(Thread.currentThread().getName());
          return DiagnosticsResponse.text("ok");
        }));
    Http http = client(DiagnosticsSettings.builder().threads(2).queueSize(64), Diagnostics.builder().contributor(c));
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      HttpRequest r = HttpRequest.newBuilder(http.uri("/test/who")).header("Authorization", "Bearer " + TOKEN).build();
      all.add(http.client().sendAsync(r, HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> f : all) {
      f.exceptionally(t -> null).get(30, TimeUnit.SECONDS);
    }

    assertThat(threads).isNotEmpty().allMatch(n -> n.startsWith("cairn-diagnostics-"));
    assertThat(threads.size()).isLessThanOrEqualTo(2);
  }

  @Test
  void unknownPathsAre404AndContributorsCannotTakeBuiltinPaths() throws Exception {
    DiagnosticsContributor c =
        contributor(DiagnosticsEndpoint.of("/threads", "GET", Access.READ, "hijack", r -> DiagnosticsResponse.text("hijacked")));
    Http http = client(DiagnosticsSettings.builder(), Diagnostics.builder().contributor(c));

    assertThat(http.get("/nope").statusCode()).isEqualTo(404);
    assertThat(http.get("/threads").body()).doesNotContain("hijacked").contains("Thread dump");
  }

  private static DiagnosticsContributor contributor(DiagnosticsEndpoint... endpoints) {
    return new DiagnosticsContributor() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public List<DiagnosticsEndpoint> endpoints() {
        return List.of(endpoints);
      }
    };
  }
}
