package dev.cairn.export.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.context.Scope;
import dev.cairn.resource.Resource;
import dev.cairn.span.Attributes;
import dev.cairn.span.Span;
import dev.cairn.span.SpanKind;
import dev.cairn.span.StatusCode;
import dev.cairn.span.Tracer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Zipkin server (the {@code zipkin-server} exec jar from Maven Central, in-memory storage,
 * bound to 127.0.0.1 on a free port, in a forked JVM) receives Cairn's spans and returns them by
 * trace id through its own API.
 */
class ZipkinServerTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Process zipkin;
  private static int port;

  @TempDir static Path logs;

  @BeforeAll
  static void startZipkin() throws Exception {
    Path jar = Paths.get("target", "zipkin", "zipkin-server.jar");
    assertThat(jar).as("copied by the build (maven-dependency-plugin)").exists();
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Path log = logs.resolve("zipkin.log");
    zipkin =
        new ProcessBuilder(
                java.toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString(),
                "--armeria.ports[0].port=" + port,
                "--armeria.ports[0].ip=127.0.0.1",
                "--armeria.ports[0].protocols[0]=http",
                "--zipkin.storage.type=mem",
                "--logging.level.root=WARN")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (System.nanoTime() < deadline) {
      if (!zipkin.isAlive()) {
        throw new IllegalStateException("zipkin exited: " + Files.readString(log));
      }
      try {
        HttpResponse<String> r = get("/health");
        if (r.statusCode() == 200 && r.body().contains("UP")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("zipkin did not start in 240 s: " + Files.readString(log));
  }

  @AfterAll
  static void stopZipkin() throws InterruptedException {
    if (zipkin != null) {
      zipkin.destroy();
      if (!zipkin.waitFor(10, TimeUnit.SECONDS)) {
        zipkin.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void zipkinStoresCairnsSpansAndReturnsThemByTraceId() throws Exception {
    Resource resource = Resource.builder().serviceName("Storefront").build();
    ZipkinSpanExporter exporter =
        ZipkinSpanExporter.builder()
            .endpoint("http://127.0.0.1:" + port + "/api/v2/spans")
            .resource(resource)
            .build();
    String traceId;
    String serverSpanId;
    try (Cairn cairn =
        Cairn.builder().resource(resource).addSpanExporter(exporter).shutdownHook(false).build()) {
      Tracer tracer = cairn.tracer("shop", "1.0");
      Span server = tracer.spanBuilder("GET /orders").setKind(SpanKind.SERVER).startSpan();
      traceId = server.context().traceIdHex();
      serverSpanId = server.context().spanIdHex();
      try (Scope ignored = server.makeCurrent()) {
        Span client =
            tracer
                .spanBuilder("SELECT orders")
                .setKind(SpanKind.CLIENT)
                .setAttribute("peer.service", "orders-db")
                .setAttribute("db.rows", 3L)
                .startSpan();
        client.addEvent("connection.acquired", Attributes.of("pool", "main"));
        client.setStatus(StatusCode.ERROR, "timeout");
        client.end();
      }
      server.end();
      assertThat(cairn.flush(Duration.ofSeconds(20))).isTrue();
      assertThat(cairn.exporterHealth().get(0).exported()).isEqualTo(2);
    }

    JsonNode trace = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get("/api/v2/trace/" + traceId);
      if (r.statusCode() == 200) {
        trace = JSON.readTree(r.body());
        if (trace.size() == 2) {
          break;
        }
      }
      Thread.sleep(200);
    }
    assertThat(trace).isNotNull();
    assertThat(trace).hasSize(2);
    Map<String, JsonNode> byName = new HashMap<>();
    trace.forEach(s -> byName.put(s.get("name").stringValue(), s));
    JsonNode server = byName.get("get /orders");
    JsonNode client = byName.get("select orders");
    assertThat(server.get("kind").stringValue()).isEqualTo("SERVER");
    assertThat(server.get("id").stringValue()).isEqualTo(serverSpanId);
    assertThat(server.get("localEndpoint").get("serviceName").stringValue()).isEqualTo("storefront");
    assertThat(client.get("parentId").stringValue()).isEqualTo(serverSpanId);
    assertThat(client.get("kind").stringValue()).isEqualTo("CLIENT");
    assertThat(client.get("remoteEndpoint").get("serviceName").stringValue()).isEqualTo("orders-db");
    assertThat(client.get("tags").get("db.rows").stringValue()).isEqualTo("3");
    assertThat(client.get("tags").get("error").stringValue()).isEqualTo("timeout");
    assertThat(client.get("annotations").get(0).get("value").stringValue()).startsWith("connection.acquired");
    assertThat(client.get("duration").longValue()).isPositive();

    JsonNode services = JSON.readTree(get("/api/v2/services").body());
    assertThat(services.toString()).contains("storefront");
  }
}
