package dev.cairn.metrics.observation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * A client observation on the JDK HttpClient calls a real loopback server whose requests are
 * observed as receiver contexts: the context crosses the wire in W3C headers.
 */
class ObservationHttpRoundTripTest {
  ObservationRegistry registry;
  HttpServer server;
  final AtomicReference<TraceContext> seenByServer = new AtomicReference<>();
  final AtomicReference<String> mdcTraceIdInHandler = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            CairnObservationHandler.builder()
                .echoCorrelationId(
                    "X-Request-ID",
                    (response, name, value) -> ((HttpExchange) response).getResponseHeaders().set(name, value))
                .build());
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws java.io.IOException {
    RequestReplyReceiverContext<HttpExchange, HttpExchange> ctx =
        new RequestReplyReceiverContext<>((carrier, key) -> carrier.getRequestHeaders().getFirst(key));
    ctx.setCarrier(exchange);
    ctx.setResponse(exchange);
    Observation o = Observation.start("http.server.requests", () -> ctx, registry);
    try (Observation.Scope ignored = o.openScope()) {
      seenByServer.set(TraceContext.current());
      mdcTraceIdInHandler.set(MDC.get("traceId"));
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    } finally {
      exchange.close();
      o.stop();
    }
  }

  @Test
  void serverContinuesTheClientsTrace_asChildOfTheClientCall_andEchoesTheCorrelationId() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/orders");
    TraceContext app = TraceContext.newRoot(true).withCorrelationId("order-42");
    HttpResponse<String> response;
    TraceContext clientCall;
    try (Scope ignored = app.makeCurrent()) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
      SenderContext<HttpRequest.Builder> ctx = new SenderContext<>((carrier, key, value) -> carrier.header(key, value));
      ctx.setCarrier(request);
      Observation o = Observation.start("http.client.requests", () -> ctx, registry);
      clientCall = CairnObservationHandler.contextOf(o.getContextView()).orElseThrow();
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } finally {
        o.stop();
      }
    }
    TraceContext server = seenByServer.get();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(server.traceIdHex()).isEqualTo(app.traceIdHex());
    assertThat(server.parentSpanId()).isEqualTo(clientCall.spanId());
    assertThat(clientCall.parentSpanId()).isEqualTo(app.spanId());
    assertThat(mdcTraceIdInHandler.get()).isEqualTo(app.traceIdHex());
    // The default propagators carry the correlation id as X-Request-ID; the server echoes it.
    assertThat(server.correlationIdOrEmpty()).isEqualTo("order-42");
    assertThat(response.headers().firstValue("X-Request-ID")).contains("order-42");
  }
}
