package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.context.TraceContext;
import dev.cairn.internal.SelfCounters;
import dev.cairn.logback.CairnEncoder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two real Spring Boot applications on random loopback ports, configured by properties only: a
 * Spring MVC application ("front", on Tomcat) calls a WebFlux application ("stock", on Boot's
 * default reactive server, Reactor Netty) through a {@code RestClient} and a {@code WebClient}
 * built from Boot's builders (Reactor Netty's client), and the WebFlux application calls the MVC
 * one through a non-blocking {@code WebClient}. Both
 * export spans as OTLP to a loopback receiver; the requests are parsed with OpenTelemetry's
 * protobuf definitions. Log lines are written by Cairn's encoder and read back with Jackson.
 */
class TwoApplicationsPropagationIntegrationTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dir;
  static Path logFile;
  static HttpServer collector;
  static final List<ExportTraceServiceRequest> exports = new CopyOnWriteArrayList<>();
  static final List<String> collectorErrors = new CopyOnWriteArrayList<>();
  static ConfigurableApplicationContext front;
  static ConfigurableApplicationContext stock;
  static FileAppender<ILoggingEvent> appender;
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The servlet application: calls the reactive one, hands work to an {@code @Async} method. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableAsync
  @EnableScheduling
  @Import({FrontController.class, Auditor.class})
  static class Front {}

  @RestController
  static class FrontController {
    private static final org.slf4j.Logger log = LoggerFactory.getLogger("front");
    private final RestClient restClient;
    private final WebClient webClient;
    private final Auditor auditor;

    FrontController(RestClient.Builder restClient, WebClient.Builder webClient, Auditor auditor, Environment env) {
      String base = env.getRequiredProperty("stock.url");
      this.restClient = restClient.baseUrl(base).build();
      this.webClient = webClient.baseUrl(base).build();
      this.auditor = auditor;
    }

    @GetMapping("/rest-client")
    String viaRestClient() {
      log.info("asking stock through RestClient");
      return restClient.get().uri("/stock").retrieve().body(String.class);
    }

    @GetMapping("/web-client")
    String viaWebClient() {
      log.info("asking stock through WebClient");
      return webClient.get().uri("/stock").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
    }

    /** Reactor inside a servlet request: work moved to Reactor's elastic threads, then awaited. */
    @GetMapping("/reactor-block")
    String viaReactor() {
      log.info("handing over to Reactor");
      return Mono.fromCallable(
              () -> {
                log.info("computing on {}", Thread.currentThread().getName());
                return TraceContext.current().traceIdHex();
              })
          .subscribeOn(Schedulers.boundedElastic())
          .block(Duration.ofSeconds(10));
    }

    /** Reactor work started in a servlet request and not awaited. */
    @GetMapping("/fire-and-forget")
    String fireAndForget() {
      log.info("starting background work");
      Mono.delay(Duration.ofMillis(5)).doOnNext(t -> log.info("background work on {}", Thread.currentThread().getName())).subscribe();
      return "started";
    }

    @GetMapping("/ping")
    String ping() {
      log.info("pinged");
      return "pong";
    }

    @GetMapping("/async")
    String viaAsync() throws Exception {
      log.info("handing over to the auditor");
      return auditor.audit().get();
    }
  }

  static class Auditor {
    private static final org.slf4j.Logger log = LoggerFactory.getLogger("front.auditor");

    @Async
    public CompletableFuture<String> audit() {
      log.info("auditing on {}", Thread.currentThread().getName());
      return CompletableFuture.completedFuture(TraceContext.current().traceIdHex());
    }

    @Scheduled(fixedDelay = 200)
    void sweep() {
      log.info("sweeping");
    }
  }

  /** The reactive application: logs before and after a thread hop. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(StockController.class)
  static class Stock {}

  @RestController
  static class StockController {
    private static final org.slf4j.Logger log = LoggerFactory.getLogger("stock");
    /** Set once the servlet application has started (the reactive one starts first). */
    static volatile String frontUrl;
    private final WebClient webClient;

    StockController(WebClient.Builder webClient) {
      this.webClient = webClient.build();
    }

    @GetMapping("/broken")
    Mono<String> broken() {
      return Mono.delay(Duration.ofMillis(1)).flatMap(t -> Mono.error(new IllegalStateException("stock ledger unavailable")));
    }

    /** Calls the servlet application without blocking, then logs on whichever thread the reply arrives. */
    @GetMapping("/reserve")
    Mono<String> reserve() {
      log.info("reserving");
      return webClient
          .get()
          .uri(frontUrl + "/ping")
          .retrieve()
          .bodyToMono(String.class)
          .map(
              body -> {
                log.info("reserved on {}", Thread.currentThread().getName());
                return body;
              });
    }

    @GetMapping("/stock")
    Mono<String> stock() {
      log.info("counting stock");
      return Mono.delay(Duration.ofMillis(5))
          .map(
              tick -> {
                log.info("counted on {}", Thread.currentThread().getName());
                return "42";
              });
    }
  }

  @BeforeAll
  static void start() throws Exception {
    collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream raw = exchange.getRequestBody()) {
            boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
            byte[] body = (gzip ? new GZIPInputStream(raw) : raw).readAllBytes();
            exports.add(parseOtlp(new String(body, StandardCharsets.UTF_8)));
            byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
          } catch (IOException | RuntimeException e) {
            collectorErrors.add(e.toString());
            exchange.sendResponseHeaders(400, -1);
          } finally {
            exchange.close();
          }
        });
    collector.start();
    String otlp = "--cairn.export.endpoint=http://127.0.0.1:" + collector.getAddress().getPort();
    stock =
        run(
            Stock.class,
            WebApplicationType.REACTIVE,
            "--spring.application.name=stock",
            otlp);
    front =
        run(
            Front.class,
            WebApplicationType.SERVLET,
            "--spring.application.name=front",
            otlp,
            "--stock.url=http://127.0.0.1:" + port(stock));
    StockController.frontUrl = "http://127.0.0.1:" + port(front);
    // Cairn's encoder behind a real file, attached once both applications have configured logging.
    logFile = dir.resolve("apps.log");
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    CairnEncoder encoder = new CairnEncoder();
    encoder.setContext(logback);
    encoder.start();
    appender = new FileAppender<>();
    appender.setContext(logback);
    appender.setFile(logFile.toString());
    appender.setEncoder(encoder);
    appender.setImmediateFlush(true);
    appender.start();
    logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
  }

  static ConfigurableApplicationContext run(Class<?> app, WebApplicationType type, String... args) {
    SpringApplication a = new SpringApplication(app);
    a.setWebApplicationType(type);
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--spring.main.banner-mode=off",
            "--cairn.export.flush-interval=100ms",
            "--cairn.export.logs.enabled=false"));
    return a.run(all.toArray(String[]::new));
  }

  static int port(ConfigurableApplicationContext app) {
    return Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
  }

  @AfterAll
  static void stop() {
    if (appender != null) {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
      appender.stop();
    }
    if (front != null) {
      front.close();
    }
    if (stock != null) {
      stock.close();
    }
    if (collector != null) {
      collector.stop(0);
    }
  }

  // ---- the OTLP receiver's view --------------------------------------------------------------

  /** OTLP/JSON is proto3 JSON with hex ids; rewrite those to base64 and let protobuf parse it. */
  static ExportTraceServiceRequest parseOtlp(String json) throws IOException {
    JsonNode root = JSON.readTree(json);
    for (JsonNode rs : root.path("resourceSpans")) {
      for (JsonNode ss : rs.path("scopeSpans")) {
        for (JsonNode span : ss.path("spans")) {
          for (String f : new String[] {"traceId", "spanId", "parentSpanId"}) {
            JsonNode v = span.get(f);
            if (v != null) {
              ((ObjectNode) span).put(f, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(v.stringValue())));
            }
          }
        }
      }
    }
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    JsonFormat.parser().merge(JSON.writeValueAsString(root), b);
    return b.build();
  }

  record Exported(String service, Span span) {
    String traceId() {
      return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    ByteString spanId() {
      return span.getSpanId();
    }
  }

  static String serviceOf(ResourceSpans rs) {
    for (KeyValue kv : rs.getResource().getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        return kv.getValue().getStringValue();
      }
    }
    return "";
  }

  static List<Exported> exported() {
    List<Exported> all = new ArrayList<>();
    for (ExportTraceServiceRequest r : exports) {
      for (ResourceSpans rs : r.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            all.add(new Exported(serviceOf(rs), s));
          }
        }
      }
    }
    return all;
  }

  /** Spans are exported in the background; wait (bounded) for one that matches. */
  static Exported awaitSpan(String what, Predicate<Exported> match) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      Optional<Exported> found = exported().stream().filter(match).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no exported span: " + what + "; received " + exported() + ", errors " + collectorErrors);
  }

  static Predicate<Exported> span(String service, String traceId, Span.SpanKind kind) {
    return e -> e.service().equals(service) && e.traceId().equals(traceId) && e.span().getKind() == kind;
  }

  // ---- the JSON log lines --------------------------------------------------------------------

  static List<JsonNode> logLines(String logger) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
      JsonNode n = JSON.readTree(l);
      if (n.path("logger").asString("").equals(logger)) {
        lines.add(n);
      }
    }
    return lines;
  }

  /** The one line with this message part, waiting (bounded) for lines written after the response. */
  static JsonNode awaitLine(String logger, String messagePart) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<JsonNode> lines = List.of();
    while (System.nanoTime() < deadline) {
      lines = logLines(logger).stream().filter(n -> n.path("message").asString("").contains(messagePart)).toList();
      if (!lines.isEmpty()) {
        return lines.get(lines.size() - 1);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no '" + messagePart + "' line from " + logger + " in " + Files.readString(logFile));
  }

  static HttpResponse<String> get(ConfigurableApplicationContext app, String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(app) + path)).timeout(Duration.ofSeconds(15));
    if (headers.length > 0) {
      b.headers(headers);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return r;
  }

  // ---- the behaviours ------------------------------------------------------------------------

  @Test
  void restClientCall_carriesOneTraceIdIntoBothApplicationsJsonLogs() throws Exception {
    assertThat(get(front, "/rest-client").body()).isEqualTo("42");
    String traceId = awaitLine("front", "through RestClient").path("traceId").asString();
    assertThat(traceId).hasSize(32);
    assertThat(awaitLine("stock", "counting stock").path("traceId").asString()).isEqualTo(traceId);
  }

  @Test
  void webClientCall_carriesOneTraceIdIntoBothApplicationsJsonLogs() throws Exception {
    assertThat(get(front, "/web-client").body()).isEqualTo("42");
    String traceId = awaitLine("front", "through WebClient").path("traceId").asString();
    assertThat(traceId).hasSize(32);
    assertThat(awaitLine("stock", "counting stock").path("traceId").asString()).isEqualTo(traceId);
  }

  @Test
  void restClientCall_exportsTheReactiveServerSpanAsAChildOfTheCallersClientSpan() throws Exception {
    get(front, "/rest-client");
    String traceId = awaitLine("front", "through RestClient").path("traceId").asString();
    assertChain(traceId);
  }

  @Test
  void webClientCall_exportsTheReactiveServerSpanAsAChildOfTheCallersClientSpan() throws Exception {
    get(front, "/web-client");
    String traceId = awaitLine("front", "through WebClient").path("traceId").asString();
    assertChain(traceId);
  }

  /** front SERVER -> front CLIENT -> stock SERVER, one trace, as received by the collector. */
  static void assertChain(String traceId) throws InterruptedException {
    Exported frontServer = awaitSpan("front server", span("front", traceId, Span.SpanKind.SPAN_KIND_SERVER));
    Exported frontClient = awaitSpan("front client", span("front", traceId, Span.SpanKind.SPAN_KIND_CLIENT));
    Exported stockServer = awaitSpan("stock server", span("stock", traceId, Span.SpanKind.SPAN_KIND_SERVER));
    assertThat(frontServer.span().getParentSpanId()).isEmpty();
    assertThat(frontClient.span().getParentSpanId()).isEqualTo(frontServer.spanId());
    assertThat(stockServer.span().getParentSpanId()).isEqualTo(frontClient.spanId());
    assertThat(stockServer.span().getName()).contains("/stock");
  }

  @Test
  void reactiveWebClientCall_continuesTheWebFluxRequestsTraceIntoTheServletApplication() throws Exception {
    assertThat(get(stock, "/reserve").body()).isEqualTo("pong");
    String traceId = awaitLine("stock", "reserving").path("traceId").asString();
    assertThat(traceId).hasSize(32);
    assertThat(awaitLine("front", "pinged").path("traceId").asString()).isEqualTo(traceId);
    Exported stockServer = awaitSpan("stock server", span("stock", traceId, Span.SpanKind.SPAN_KIND_SERVER));
    Exported stockClient = awaitSpan("stock client", span("stock", traceId, Span.SpanKind.SPAN_KIND_CLIENT));
    Exported frontServer = awaitSpan("front server", span("front", traceId, Span.SpanKind.SPAN_KIND_SERVER));
    assertThat(stockClient.span().getParentSpanId()).isEqualTo(stockServer.spanId());
    assertThat(frontServer.span().getParentSpanId()).isEqualTo(stockClient.spanId());
  }

  @Test
  void reactiveHandler_logsWithTheRequestsIdsAfterTheWebClientReplies() throws Exception {
    get(stock, "/reserve");
    JsonNode before = awaitLine("stock", "reserving");
    JsonNode after = awaitLine("stock", "reserved on");
    // No assertion on the thread: Reactor Netty's client usually delivers the reply on the event loop
    // that serves the request, the JDK's client on one of its own threads, and under load either may
    // differ. The ids must be the request's wherever the callback runs; thread hops have their own test.
    assertThat(after.path("traceId").asString()).hasSize(32).isEqualTo(before.path("traceId").asString());
    assertThat(after.path("spanId").asString()).isEqualTo(before.path("spanId").asString());
  }

  @Test
  void reactiveHandler_logsWithTheRequestsTraceIdAfterAThreadHop() throws Exception {
    get(stock, "/stock", "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    JsonNode before = awaitLine("stock", "counting stock");
    JsonNode after = awaitLine("stock", "counted on");
    assertThat(after.path("thread").asString()).isNotEqualTo(before.path("thread").asString());
    assertThat(before.path("traceId").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(after.path("traceId").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(after.path("spanId").asString()).isEqualTo(before.path("spanId").asString());
  }

  @Test
  void reactiveRequests_doNotLeakTheirContextIntoTheNextRequest() throws Exception {
    get(stock, "/stock", "traceparent", "00-6bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    for (int i = 0; i < 3; i++) {
      get(stock, "/stock");
      assertThat(awaitLine("stock", "counting stock").path("traceId").asString())
          .hasSize(32)
          .isNotEqualTo("6bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(awaitLine("stock", "counted on").path("traceId").asString())
          .isNotEqualTo("6bf92f3577b34da6a3ce929d0e0e4736");
    }
  }

  @Test
  void crossApplicationCalls_closeEveryScopeInOrderAndFailNothing() throws Exception {
    long misuse = SelfCounters.GLOBAL.total("cairn.scope.misuse");
    long errors = SelfCounters.GLOBAL.total("cairn.observation.errors");
    get(front, "/rest-client");
    get(front, "/web-client");
    get(stock, "/stock");
    get(stock, "/reserve");
    assertThat(SelfCounters.GLOBAL.total("cairn.scope.misuse")).isEqualTo(misuse);
    assertThat(SelfCounters.GLOBAL.total("cairn.observation.errors")).isEqualTo(errors);
  }

  @Test
  void reactiveServer_extractsTheCallersContextIntoItsServerSpan() throws Exception {
    get(stock, "/stock", "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    Exported server =
        awaitSpan("stock server", span("stock", "0af7651916cd43dd8448eb211c80319c", Span.SpanKind.SPAN_KIND_SERVER));
    assertThat(server.span().getParentSpanId())
        .isEqualTo(ByteString.copyFrom(HexFormat.of().parseHex("b7ad6b7169203331")));
  }

  @Test
  void reactiveHandlerFailure_isRecordedOnTheServerSpan() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(stock) + "/broken"))
                .header("traceparent", "00-7bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .timeout(Duration.ofSeconds(15))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(500);
    Exported server =
        awaitSpan("stock server", span("stock", "7bf92f3577b34da6a3ce929d0e0e4736", Span.SpanKind.SPAN_KIND_SERVER));
    assertThat(server.span().getStatus().getCode()).isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(server.span().getEventsList()).anyMatch(e -> e.getName().equals("exception"));
  }

  @Test
  void reactiveResponse_echoesTheCorrelationId() throws Exception {
    HttpResponse<String> r = get(stock, "/stock", "X-Request-ID", "order-7f3a");
    assertThat(r.headers().firstValue("X-Request-ID")).contains("order-7f3a");
  }

  @Test
  void reactiveResponse_echoesTheTraceIdWhenTheCallerSentNoCorrelationId() throws Exception {
    HttpResponse<String> r =
        get(stock, "/stock", "traceparent", "00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(r.headers().firstValue("X-Request-ID")).contains("5bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void asyncMethod_logsWithTheRequestsTraceId() throws Exception {
    String traceIdSeenByTask = get(front, "/async").body();
    String traceId = awaitLine("front", "handing over").path("traceId").asString();
    JsonNode task = awaitLine("front.auditor", "auditing on");
    assertThat(task.path("thread").asString()).isNotEqualTo(awaitLine("front", "handing over").path("thread").asString());
    assertThat(task.path("traceId").asString()).isEqualTo(traceId);
    assertThat(traceIdSeenByTask).isEqualTo(traceId);
  }

  @Test
  void reactorWorkAwaitedInAServletRequest_runsWithTheRequestsContextOnReactorThreads() throws Exception {
    String traceIdSeenByReactor = get(front, "/reactor-block").body();
    JsonNode request = awaitLine("front", "handing over to Reactor");
    JsonNode work = awaitLine("front", "computing on");
    assertThat(work.path("thread").asString()).startsWith("boundedElastic");
    assertThat(work.path("traceId").asString()).hasSize(32).isEqualTo(request.path("traceId").asString());
    assertThat(traceIdSeenByReactor).isEqualTo(request.path("traceId").asString());
  }

  @Test
  void reactorWorkSubscribedInAServletRequest_runsWithTheRequestsContextAfterTheResponse() throws Exception {
    get(front, "/fire-and-forget");
    JsonNode request = awaitLine("front", "starting background work");
    JsonNode work = awaitLine("front", "background work on");
    assertThat(work.path("thread").asString()).startsWith("parallel");
    assertThat(work.path("traceId").asString()).hasSize(32).isEqualTo(request.path("traceId").asString());
  }

  @Test
  void scheduledTask_runsInItsOwnTraceWithIdsInItsLogLines() throws Exception {
    JsonNode sweep = awaitLine("front.auditor", "sweeping");
    String traceId = sweep.path("traceId").asString();
    assertThat(traceId).hasSize(32);
    Exported span = awaitSpan("scheduled task", e -> e.service().equals("front") && e.traceId().equals(traceId));
    assertThat(span.span().getName()).containsIgnoringCase("sweep");
  }
}
