package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.boot.tomcat.reactive.TomcatReactiveWebServerFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebFlux application on Boot's default reactive server, Reactor Netty (NIO transport), with the
 * starter and Boot's auto-configured {@code WebClient.Builder} (Reactor Netty's client), tried as a
 * new user would: the handler logs, calls another endpoint of the application through the
 * {@code WebClient}, and logs the answer; another handler logs after a hop to another thread.
 * Requests are written on a raw loopback socket with a {@code traceparent}; the log lines are read
 * from the file Boot writes, once in Boot's plain format (the correlation column) and once with
 * {@code cairn.logging.format=cairn} (parsed with Jackson). The same application on Tomcat's
 * reactive server with the JDK's {@code HttpClient} behind the {@code WebClient} is checked too.
 */
class WebFluxLogCorrelationIntegrationTest {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT_SPAN_ID = "00f067aa0ba902b7";

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(ShopController.class)
  static class Shop {}

  @RestController
  static class ShopController {
    private static final org.slf4j.Logger log = LoggerFactory.getLogger("shop");
    private final WebClient.Builder webClient;
    private final Environment env;

    ShopController(WebClient.Builder webClient, Environment env) {
      this.webClient = webClient;
      this.env = env;
    }

    /** The downstream endpoint, called by {@link #order()} through the WebClient. */
    @GetMapping("/price")
    Mono<String> price() {
      log.info("pricing");
      return Mono.just("42");
    }

    @GetMapping("/order")
    Mono<String> order() {
      log.info("ordering");
      return webClient
          .build()
          .get()
          .uri("http://127.0.0.1:" + env.getRequiredProperty("local.server.port") + "/price")
          .retrieve()
          .bodyToMono(String.class)
          .doOnNext(body -> log.info("priced at {}", body));
    }

    @GetMapping("/hop")
    Mono<String> hop() {
      log.info("hopping");
      return Mono.just("hopped")
          .publishOn(HOP)
          .doOnNext(v -> log.info("hopped on {}", Thread.currentThread().getName()));
    }
  }

  /** A thread that is certainly not Netty's event loop: the operator after it runs there. */
  static Scheduler HOP;

  enum Server {
    /** Boot's default reactive server and WebClient connector. */
    NETTY,
    /** Tomcat's reactive server, chosen by its factory bean, and the JDK's HttpClient. */
    TOMCAT
  }

  static ConfigurableApplicationContext start(Path logFile, String... args) {
    return start(Server.NETTY, logFile, args);
  }

  static ConfigurableApplicationContext start(Server server, Path logFile, String... args) {
    BootLoggingProperties.clear();
    HOP = Schedulers.newSingle("cairn-test-hop");
    SpringApplication app = new SpringApplication(Shop.class);
    app.setWebApplicationType(WebApplicationType.REACTIVE);
    if (server == Server.TOMCAT) {
      // Boot's server auto-configurations back off when the application defines the factory.
      ApplicationContextInitializer<ConfigurableApplicationContext> tomcat =
          c -> ((GenericApplicationContext) c).registerBean(TomcatReactiveWebServerFactory.class);
      app.addInitializers(tomcat);
    }
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--spring.main.banner-mode=off",
            "--spring.application.name=shop",
            "--logging.file.name=" + logFile,
            "--cairn.export.logs.enabled=false"));
    if (server == Server.TOMCAT) {
      all.add("--spring.http.clients.reactive.connector=jdk");
    }
    ConfigurableApplicationContext c = app.run(all.toArray(String[]::new));
    assertThat(((ReactiveWebServerApplicationContext) c).getWebServer().getClass().getSimpleName())
        .as("the server serving the application")
        .startsWith(server == Server.NETTY ? "Netty" : "Tomcat");
    return c;
  }

  static void stop(ConfigurableApplicationContext c) {
    if (c != null) {
      c.close();
    }
    if (HOP != null) {
      HOP.dispose();
    }
    BootLoggingProperties.clear();
  }

  /** An HTTP/1.1 GET written byte by byte on a loopback socket, answered in full before it returns. */
  static String get(ConfigurableApplicationContext app, String path, String traceId) throws IOException {
    int port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\ntraceparent: 00-" + traceId + "-"
                  + PARENT_SPAN_ID + "-01\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(response).as(path).startsWith("HTTP/1.1 200");
      return response;
    }
  }

  /** The last line of the file containing this text, waiting (bounded) for lines written after the response. */
  static String awaitLine(Path logFile, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(logFile)) {
        List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8).stream().filter(l -> l.contains(text)).toList();
        if (!lines.isEmpty()) {
          return lines.get(lines.size() - 1);
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no line with '" + text + "' in " + (Files.exists(logFile) ? Files.readString(logFile) : "(no file)"));
  }

  /** Boot's plain format: {@code ... [thread] [traceId-spanId] logger : message}. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class PlainFormat {
    /** Boot's correlation column as the starter sets it: 32 and 16 characters, padded when absent. */
    final Pattern column = Pattern.compile("\\[([0-9a-f ]{32})-([0-9a-f ]{16})\\] ");

    Path logFile;
    ConfigurableApplicationContext app;

    @BeforeAll
    void startApp(@TempDir Path dir) {
      logFile = dir.resolve("shop.log");
      app = start(logFile);
    }

    @AfterAll
    void stopApp() {
      stop(app);
    }

    String[] ids(String text) throws Exception {
      String line = awaitLine(logFile, text);
      Matcher m = column.matcher(line);
      assertThat(m.find()).as("correlation column in: " + line).isTrue();
      return new String[] {m.group(1).trim(), m.group(2).trim()};
    }

    @Test
    void handler_logsTheIncomingTraceIdInTheCorrelationColumn() throws Exception {
      String trace = "1bf92f3577b34da6a3ce929d0e0e4736";
      get(app, "/hop", trace);
      String[] ids = ids("hopping");
      assertThat(ids[0]).isEqualTo(trace);
      assertThat(ids[1]).hasSize(16).isNotEqualTo(PARENT_SPAN_ID);
    }

    @Test
    void operatorAfterAThreadHop_logsTheIncomingTraceIdInTheCorrelationColumn() throws Exception {
      String trace = "2bf92f3577b34da6a3ce929d0e0e4736";
      get(app, "/hop", trace);
      String line = awaitLine(logFile, "hopped on cairn-test-hop");
      assertThat(line).contains("[" + trace + "-" + ids("hopping")[1] + "]");
    }

    @Test
    void webClientCallbackAndDownstreamHandler_logTheIncomingTraceIdInTheCorrelationColumn() throws Exception {
      String trace = "3bf92f3577b34da6a3ce929d0e0e4736";
      get(app, "/order", trace);
      String[] handler = ids("ordering");
      String[] downstream = ids("pricing");
      String[] callback = ids("priced at 42");
      assertThat(handler[0]).isEqualTo(trace);
      assertThat(downstream[0]).isEqualTo(trace);
      assertThat(downstream[1]).hasSize(16).isNotEqualTo(handler[1]);
      assertThat(callback).containsExactly(handler);
    }
  }

  /** {@code cairn.logging.format=cairn} on Reactor Netty. */
  @Nested
  class CairnFormat extends JsonLines {
    CairnFormat() {
      super(Server.NETTY);
    }
  }

  /** {@code cairn.logging.format=cairn} on Tomcat's reactive server. */
  @Nested
  class CairnFormatOnTomcat extends JsonLines {
    CairnFormatOnTomcat() {
      super(Server.TOMCAT);
    }
  }

  /** {@code cairn.logging.format=cairn}: one JSON object a line, with {@code traceId}/{@code spanId}. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract class JsonLines {
    final Server server;
    final JsonMapper json = JsonMapper.builder().build();

    Path logFile;
    ConfigurableApplicationContext app;

    JsonLines(Server server) {
      this.server = server;
    }

    @BeforeAll
    void startApp(@TempDir Path dir) {
      logFile = dir.resolve("shop.json");
      app = start(server, logFile, "--cairn.logging.format=cairn");
    }

    @AfterAll
    void stopApp() {
      stop(app);
    }

    JsonNode line(String message) throws Exception {
      JsonNode n = json.readTree(awaitLine(logFile, "\"" + message));
      assertThat(n.path("message").asString()).startsWith(message);
      return n;
    }

    @Test
    void handler_logsTheIncomingTraceId() throws Exception {
      String trace = "5bf92f3577b34da6a3ce929d0e0e4736";
      get(app, "/hop", trace);
      JsonNode handler = line("hopping");
      assertThat(handler.path("traceId").asString()).isEqualTo(trace);
      assertThat(handler.path("spanId").asString()).hasSize(16).isNotEqualTo(PARENT_SPAN_ID);
    }

    @Test
    void operatorAfterAThreadHop_logsTheIncomingTraceId() throws Exception {
      String trace = "6bf92f3577b34da6a3ce929d0e0e4736";
      get(app, "/hop", trace);
      JsonNode handler = line("hopping");
      JsonNode hopped = line("hopped on cairn-test-hop");
      assertThat(hopped.path("traceId").asString()).isEqualTo(trace);
      assertThat(hopped.path("spanId").asString()).isEqualTo(handler.path("spanId").asString());
    }

    @Test
    void webClientCallbackAndDownstreamHandler_logTheIncomingTraceId() throws Exception {
      String trace = "7bf92f3577b34da6a3ce929d0e0e4736";
      get(app, "/order", trace);
      JsonNode handler = line("ordering");
      JsonNode downstream = line("pricing");
      JsonNode callback = line("priced at 42");
      assertThat(handler.path("traceId").asString()).isEqualTo(trace);
      assertThat(downstream.path("traceId").asString()).isEqualTo(trace);
      assertThat(downstream.path("spanId").asString()).hasSize(16).isNotEqualTo(handler.path("spanId").asString());
      assertThat(callback.path("traceId").asString()).isEqualTo(trace);
      assertThat(callback.path("spanId").asString()).isEqualTo(handler.path("spanId").asString());
    }
  }
}
