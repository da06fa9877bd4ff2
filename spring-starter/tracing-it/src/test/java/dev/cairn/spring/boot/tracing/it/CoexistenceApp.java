package dev.cairn.spring.boot.tracing.it;

import com.sun.net.httpserver.HttpServer;
import dev.cairn.context.TraceContext;
import dev.cairn.span.SpanData;
import dev.cairn.span.SpanListener;
import dev.cairn.spring.boot.autoconfigure.CairnBuilderCustomizer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One real application with the Cairn starter and Micrometer Tracing, on a random loopback port: a
 * controller that logs a line, reads both libraries' current context and calls a loopback
 * downstream server through a {@code RestClient} from Boot's builder. What the handler saw, the
 * downstream request headers, the spans Cairn recorded and the JSON log file are kept for the
 * tests.
 */
final class CoexistenceApp implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String LOG_MESSAGE = "handling order";

  /** Spans Cairn's tracer recorded (every span, sampled or not, before any exporter). */
  static final List<SpanData> CAIRN_SPANS = new CopyOnWriteArrayList<>();

  final ConfigurableApplicationContext context;
  final HttpServer downstream;
  final List<Map<String, List<String>>> downstreamRequests = new CopyOnWriteArrayList<>();
  final Path logFile;

  CoexistenceApp(Path dir, Class<?> tracingConfiguration, String... extra) throws IOException {
    CAIRN_SPANS.clear();
    downstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    downstream.createContext(
        "/stock",
        ex -> {
          downstreamRequests.add(new LinkedHashMap<>(ex.getRequestHeaders()));
          byte[] body = "in stock".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    downstream.start();
    logFile = dir.resolve("app.log");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--management.tracing.sampling.probability=1.0",
                // One request thread: a context left behind by one request would meet the next.
                "--server.tomcat.threads.max=1",
                "--cairn.logging.format=ecs",
                "--logging.file.name=" + logFile));
    args.addAll(List.of(extra));
    SpringApplication app = new SpringApplication(App.class, tracingConfiguration);
    try {
      context = app.run(args.toArray(new String[0]));
    } catch (RuntimeException e) {
      downstream.stop(0);
      throw e;
    }
  }

  int port() {
    return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
  }

  /** GET /orders with the given headers; the body is what the handler saw, as JSON. */
  HttpResponse<String> order(String... headers) throws Exception {
    return get("/orders?downstream=" + downstream.getAddress().getPort(), headers);
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + pathAndQuery)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The JSON log line carrying {@code message}, parsed. */
  JsonNode logLine(String message) throws IOException {
    for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
      if (line.startsWith("{") && line.contains(message)) {
        return JSON.readTree(line);
      }
    }
    throw new AssertionError("no log line with '" + message + "' in " + logFile);
  }

  /** Waits (bounded) for a condition reported asynchronously, such as a span ending after the response. */
  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    try {
      context.close();
    } finally {
      downstream.stop(0);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableAsync
  @Import({Orders.class, Worker.class})
  static class App {
    @Bean
    RestClient restClient(RestClient.Builder builder) {
      return builder.build();
    }

    /**
     * Runs before Boot's observation filter, on the pooled request thread: reports in a response
     * header what that thread carried before the request was observed (should be nothing).
     */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> threadStateBeforeObservation() {
      OncePerRequestFilter f =
          new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
                throws ServletException, IOException {
              TraceContext leftOver = TraceContext.current();
              res.setHeader(
                  "X-Thread-Before",
                  "cairn=" + (leftOver.isValid() ? leftOver.traceIdHex() : "") + ";mdc=" + MDC.get("traceId"));
              chain.doFilter(req, res);
            }
          };
      FilterRegistrationBean<OncePerRequestFilter> r = new FilterRegistrationBean<>(f);
      r.setOrder(Ordered.HIGHEST_PRECEDENCE);
      return r;
    }

    @Bean
    CairnBuilderCustomizer recordCairnSpans() {
      return b ->
          b.addSpanListener(
              new SpanListener() {
                @Override
                public void onEnd(SpanData span, Object state) {
                  CAIRN_SPANS.add(span);
                }
              });
    }
  }

  /** An {@code @Async} task on Boot's task executor: what its thread sees of the request. */
  static class Worker {
    @Async
    public CompletableFuture<Map<String, String>> work() {
      Map<String, String> seen = new LinkedHashMap<>();
      seen.put("asyncThread", Thread.currentThread().getName());
      seen.put("asyncCairnTraceId", TraceContext.current().traceIdHex());
      seen.put("asyncMdcTraceId", String.valueOf(MDC.get("traceId")));
      return CompletableFuture.completedFuture(seen);
    }
  }

  @RestController
  static class Orders {
    private static final Logger LOG = LoggerFactory.getLogger(Orders.class);
    private final RestClient client;
    private final Tracer tracer;
    private final Worker worker;

    Orders(RestClient client, Tracer tracer, Worker worker) {
      this.client = client;
      this.tracer = tracer;
      this.worker = worker;
    }

    @GetMapping("/async")
    Map<String, String> async() throws Exception {
      Map<String, String> seen = new LinkedHashMap<>(worker.work().get(10, java.util.concurrent.TimeUnit.SECONDS));
      seen.put("requestThread", Thread.currentThread().getName());
      return seen;
    }

    @GetMapping("/orders")
    Map<String, String> orders(@RequestParam int downstream) {
      LOG.info(LOG_MESSAGE);
      Map<String, String> seen = new LinkedHashMap<>();
      TraceContext cairn = TraceContext.current();
      seen.put("cairnTraceId", cairn.traceIdHex());
      seen.put("cairnSpanId", cairn.spanIdHex());
      seen.put("cairnSampled", String.valueOf(cairn.isSampled()));
      seen.put("cairnCorrelationId", cairn.correlationIdOrEmpty());
      Span span = tracer.currentSpan();
      seen.put("micrometerTraceId", span == null ? "" : span.context().traceId());
      seen.put("micrometerSpanId", span == null ? "" : span.context().spanId());
      seen.put("micrometerSampled", span == null ? "" : String.valueOf(span.context().sampled()));
      seen.put("mdcTraceId", String.valueOf(MDC.get("traceId")));
      seen.put("mdcSpanId", String.valueOf(MDC.get("spanId")));
      seen.put("downstream", client.get().uri("http://127.0.0.1:" + downstream + "/stock").retrieve().body(String.class));
      return seen;
    }

    /** A span made current by hand, outside any observation, inside the request's. */
    @GetMapping("/manual")
    Map<String, String> manual() {
      Map<String, String> seen = new LinkedHashMap<>();
      String requestSpan = TraceContext.current().spanIdHex();
      Span span = tracer.nextSpan().name("manual-work").start();
      try (Tracer.SpanInScope ws = tracer.withSpan(span)) {
        TraceContext cairn = TraceContext.current();
        seen.put("manualSpanId", span.context().spanId());
        seen.put("cairnSpanId", cairn.spanIdHex());
        seen.put("cairnTraceId", cairn.traceIdHex());
        seen.put("cairnCorrelationId", cairn.correlationIdOrEmpty());
        seen.put("mdcSpanId", String.valueOf(MDC.get("spanId")));
      } finally {
        span.end();
      }
      seen.put("requestSpanId", requestSpan);
      seen.put("cairnSpanIdAfter", TraceContext.current().spanIdHex());
      seen.put("mdcSpanIdAfter", String.valueOf(MDC.get("spanId")));
      return seen;
    }
  }
}
