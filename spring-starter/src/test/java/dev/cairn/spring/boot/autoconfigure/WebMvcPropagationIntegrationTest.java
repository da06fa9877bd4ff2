package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import dev.cairn.Cairn;
import dev.cairn.span.SpanData;
import dev.cairn.span.SpanKind;
import dev.cairn.span.SpanListener;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * A real Spring MVC application on a random loopback port, calling a real loopback downstream
 * server through a RestClient and a RestTemplate built from Boot's builders.
 */
class WebMvcPropagationIntegrationTest {
  static final String REMOTE_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String REMOTE_SPAN = "00f067aa0ba902b7";

  static HttpServer downstream;
  static final List<Map<String, List<String>>> downstreamHeaders = new CopyOnWriteArrayList<>();
  static ConfigurableApplicationContext app;
  static int port;
  static ListAppender<ILoggingEvent> logs;
  static final List<SpanData> spans = new CopyOnWriteArrayList<>();
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @SpringBootApplication
  @RestController
  static class App {
    private static final org.slf4j.Logger log = LoggerFactory.getLogger("orders");
    private final RestClient restClient;
    private final RestTemplate restTemplate;

    App(RestClient.Builder restClient, RestTemplateBuilder restTemplate, Environment env) {
      String base = env.getRequiredProperty("downstream.url");
      this.restClient = restClient.baseUrl(base).build();
      this.restTemplate = restTemplate.rootUri(base).build();
    }

    /** The application's own Cairn, with a listener that keeps every ended span. */
    @Bean
    Cairn cairn() {
      return Cairn.builder()
          .shutdownHook(false)
          .addSpanListener(
              new SpanListener() {
                @Override
                public void onEnd(SpanData span, Object state) {
                  spans.add(span);
                }
              })
          .build();
    }

    @GetMapping("/rest-client")
    String viaRestClient() {
      log.info("placing order");
      return restClient.get().uri("/stock").retrieve().body(String.class);
    }

    @GetMapping("/rest-template")
    String viaRestTemplate() {
      log.info("placing order");
      return restTemplate.getForObject("/stock", String.class);
    }
  }

  static dev.cairn.logging.MdcSettings mdcBefore;

  @BeforeAll
  static void start() throws Exception {
    mdcBefore = dev.cairn.logging.CorrelationMdc.settings();
    BootLoggingProperties.clear(); // Boot's plain console pattern, whatever ran before
    downstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    downstream.createContext(
        "/",
        exchange -> {
          downstreamHeaders.add(Map.copyOf(exchange.getRequestHeaders()));
          byte[] body = "42".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    downstream.start();
    app =
        new SpringApplication(App.class)
            .run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--cairn.mdc.baggage-keys=tenant",
                "--downstream.url=http://127.0.0.1:" + downstream.getAddress().getPort());
    port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger("orders")).addAppender(logs);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (downstream != null) {
      downstream.stop(0);
    }
    if (mdcBefore != null) {
      dev.cairn.logging.CorrelationMdc.install(mdcBefore); // the starter installs process-wide
    }
  }

  @BeforeEach
  void clear() {
    downstreamHeaders.clear();
    logs.list.clear();
    spans.clear();
  }

  static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String traceparentSentDownstream() {
    return sentDownstream("traceparent");
  }

  static String sentDownstream(String header) {
    assertThat(downstreamHeaders).hasSize(1);
    Map<String, List<String>> h = downstreamHeaders.get(0);
    return h.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(header))
        .map(e -> e.getValue().get(0))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + header + " downstream: " + h.keySet()));
  }

  @Test
  void restClient_carriesTheIncomingTraceDownstream_asAChildOfTheServerSpan() throws Exception {
    HttpResponse<String> r = get("/rest-client", "traceparent", "00-" + REMOTE_TRACE + "-" + REMOTE_SPAN + "-01");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("42");
    String[] sent = traceparentSentDownstream().split("-");
    assertThat(sent[1]).isEqualTo(REMOTE_TRACE);
    String serverSpan = logs.list.get(0).getMDCPropertyMap().get("spanId");
    assertThat(sent[2]).isNotEqualTo(REMOTE_SPAN).isNotEqualTo(serverSpan);
    assertThat(sent[3]).isEqualTo("01");
  }

  /** The server span ends when the filter returns, which may be just after the client has the response. */
  static SpanData awaitSpan(SpanKind kind, long parentSpanId) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (SpanData s : spans) {
        if (s.kind() == kind && s.context().parentSpanId() == parentSpanId) {
          return s;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no " + kind + " span ended; spans: " + spans);
  }

  @Test
  void serverAndClientSpans_formOneTraceWithTheCaller() throws Exception {
    String callerSpan = "00f067aa0ba9cafe"; // unique to this test: earlier requests' spans may still be ending
    get("/rest-client", "traceparent", "00-" + REMOTE_TRACE + "-" + callerSpan + "-01");
    String[] sent = traceparentSentDownstream().split("-");
    SpanData server = awaitSpan(SpanKind.SERVER, Long.parseUnsignedLong(callerSpan, 16));
    SpanData client = awaitSpan(SpanKind.CLIENT, server.context().spanId());
    assertThat(server.context().traceIdHex()).isEqualTo(REMOTE_TRACE);
    assertThat(server.parentIsRemote()).isTrue();
    assertThat(sent[2]).isEqualTo(client.context().spanIdHex());
    assertThat(server.name()).contains("/rest-client");
  }

  @Test
  void restTemplate_carriesTheIncomingTraceDownstream() throws Exception {
    get("/rest-template", "traceparent", "00-" + REMOTE_TRACE + "-" + REMOTE_SPAN + "-01");
    assertThat(traceparentSentDownstream().split("-")[1]).isEqualTo(REMOTE_TRACE);
  }

  @Test
  void logLinesDuringTheRequest_carryTheTraceIdsInMdc() throws Exception {
    get("/rest-client", "traceparent", "00-" + REMOTE_TRACE + "-" + REMOTE_SPAN + "-01");
    assertThat(logs.list).hasSize(1);
    Map<String, String> mdc = logs.list.get(0).getMDCPropertyMap();
    assertThat(mdc).containsEntry("traceId", REMOTE_TRACE);
    assertThat(mdc.get("spanId")).hasSize(16).isNotEqualTo(REMOTE_SPAN);
    assertThat(mdc).containsEntry("correlationId", REMOTE_TRACE);
  }

  @Test
  void bootsPlainConsolePattern_printsTheRequestsIds() throws Exception {
    get("/rest-client", "traceparent", "00-" + REMOTE_TRACE + "-" + REMOTE_SPAN + "-01");
    ILoggingEvent line = logs.list.get(0);
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.encoder.Encoder<ILoggingEvent> console =
        ((ch.qos.logback.core.OutputStreamAppender<ILoggingEvent>) root.getAppender("CONSOLE"))
            .getEncoder();
    String printed = new String(console.encode(line), StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("[" + REMOTE_TRACE + "-" + line.getMDCPropertyMap().get("spanId") + "]");
  }

  @Test
  void correlationId_isEchoedInTheResponseHeader() throws Exception {
    HttpResponse<String> r = get("/rest-client", "traceparent", "00-" + REMOTE_TRACE + "-" + REMOTE_SPAN + "-01");
    assertThat(r.headers().firstValue("X-Request-ID")).contains(REMOTE_TRACE);
  }

  @Test
  void requestWithoutTraceHeaders_startsANewTraceSharedWithDownstreamAndLogs() throws Exception {
    HttpResponse<String> r = get("/rest-client");
    String traceId = logs.list.get(0).getMDCPropertyMap().get("traceId");
    assertThat(traceId).hasSize(32);
    assertThat(traceparentSentDownstream().split("-")[1]).isEqualTo(traceId);
    assertThat(r.headers().firstValue("X-Request-ID")).contains(traceId);
  }

  @Test
  void incomingRequestId_isEchoedLoggedAndForwarded() throws Exception {
    HttpResponse<String> r = get("/rest-client", "X-Request-ID", "order-7f3a");
    assertThat(r.headers().firstValue("X-Request-ID")).contains("order-7f3a");
    assertThat(logs.list.get(0).getMDCPropertyMap()).containsEntry("correlationId", "order-7f3a");
    assertThat(sentDownstream("x-request-id")).isEqualTo("order-7f3a");
  }

  @Test
  void incomingBaggage_isForwardedDownstream() throws Exception {
    get("/rest-client", "traceparent", "00-" + REMOTE_TRACE + "-" + REMOTE_SPAN + "-01", "baggage", "tenant=acme");
    assertThat(sentDownstream("baggage")).contains("tenant=acme");
  }

  @Test
  void mdcIsClearedAfterTheRequest() throws Exception {
    get("/rest-client", "traceparent", "00-" + REMOTE_TRACE + "-" + REMOTE_SPAN + "-01");
    // The next request without headers must not inherit the previous trace on a reused thread.
    get("/rest-client");
    assertThat(logs.list).hasSize(2);
    assertThat(logs.list.get(1).getMDCPropertyMap().get("traceId")).isNotEqualTo(REMOTE_TRACE);
  }

  @Test
  void forgingBaggage_isForwardedAsReceivedButLoggedOnOneLine() throws Exception {
    // An unauthenticated client tries to end the log line and write a fake ERROR line after it.
    String hostile = "tenant=acme%0D%0A2026-12-07%20ERROR%20forged%1B[2J";
    get("/rest-client", "traceparent", "00-" + REMOTE_TRACE + "-" + REMOTE_SPAN + "-01", "baggage", hostile);

    ILoggingEvent line = logs.list.get(0);
    assertThat(line.getMDCPropertyMap().get("tenant"))
        .isEqualTo("acme\\u000d\\u000a2026-12-07 ERROR forged\\u001b[2J");
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.encoder.Encoder<ILoggingEvent> console =
        ((ch.qos.logback.core.OutputStreamAppender<ILoggingEvent>) root.getAppender("CONSOLE"))
            .getEncoder();
    ch.qos.logback.classic.encoder.PatternLayoutEncoder plain =
        new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
    plain.setContext(((Logger) LoggerFactory.getLogger("orders")).getLoggerContext());
    plain.setPattern("%level %X{tenant} %msg%n");
    plain.start();
    for (byte[] printed : List.of(console.encode(line), plain.encode(line))) {
      String text = new String(printed, StandardCharsets.UTF_8);
      assertThat(text.lines()).hasSize(1);
      assertThat(text).doesNotContain("\r").doesNotContain("\u001b");
    }
    assertThat(sentDownstream("baggage")).isEqualTo(hostile);
  }
}
