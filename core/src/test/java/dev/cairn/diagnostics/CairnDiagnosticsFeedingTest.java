package dev.cairn.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.span.Span;
import dev.cairn.span.SpanKind;
import dev.cairn.span.StatusCode;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The user's side of "turn diagnostics on": a {@link Cairn} built with {@code diagnostics(...)} and
 * nothing else, spans recorded through its tracer, and the pages read over the loopback server with
 * the bearer token, byte for byte as curl would. No sink, ring or second {@code Diagnostics} is
 * wired by hand: that step is what users forgot (the demo's /traces said "0 spans kept of 0 seen").
 */
class CairnDiagnosticsFeedingTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();
  private static final String TOKEN = "feeding-test-token-0123456789";

  private static Cairn cairnWithDiagnostics() {
    return Cairn.builder()
        .serviceName("shop")
        .shutdownHook(false)
        .diagnostics(DiagnosticsSettings.builder().enabled(true).port(0).token(TOKEN).build())
        .build();
  }

  @Test
  void traces_whenDiagnosticsIsOnWithoutWiring_showsTheInstancesSpans() throws Exception {
    String name = "GET /orders/" + UUID.randomUUID();
    try (Cairn cairn = cairnWithDiagnostics()) {
      Span server = cairn.tracer().spanBuilder(name).setKind(SpanKind.SERVER).startSpan();
      server.end();
      int port = cairn.diagnosticsServer().orElseThrow().port();

      RawHttp.Answer page;
      RawHttp.Answer json;
      try (RawHttp http = new RawHttp(port)) {
        page = http.send(RawHttp.get("/traces", TOKEN)).read();
        json = http.send(RawHttp.get("/traces/json?traces=50", TOKEN)).read();
      }

      assertThat(page.status()).isEqualTo(200);
      assertThat(page.header("content-type")).startsWith("text/html");
      assertThat(page.text()).contains(name).doesNotContain("0 spans kept of 0 seen");
      assertThat(json.status()).isEqualTo(200);
      JsonNode traces = JACKSON.readTree(json.body());
      assertThat(traces.toString()).contains(name).contains(server.context().traceIdHex());
    }
  }

  @Test
  void slowSpansAndErrors_whenDiagnosticsIsOnWithoutWiring_showFailedSpans() throws Exception {
    String name = "POST /pay/" + UUID.randomUUID();
    try (Cairn cairn = cairnWithDiagnostics()) {
      long t0 = System.currentTimeMillis() * 1_000_000L;
      Span s = cairn.tracer().spanBuilder(name).setStartTimestamp(t0).startSpan();
      s.setStatus(StatusCode.ERROR, "card declined");
      s.end(t0 + 2_000_000_000L); // two seconds: over the default 500 ms slow threshold
      int port = cairn.diagnosticsServer().orElseThrow().port();

      RawHttp.Answer slow;
      RawHttp.Answer errors;
      try (RawHttp http = new RawHttp(port)) {
        slow = http.send(RawHttp.get("/spans/slow", TOKEN)).read();
        errors = http.send(RawHttp.get("/errors", TOKEN)).read();
      }

      assertThat(slow.status()).isEqualTo(200);
      assertThat(slow.text()).contains(name);
      assertThat(errors.status()).isEqualTo(200);
      assertThat(errors.text()).contains("span " + name).contains("card declined");
    }
  }

  @Test
  void close_stopsTheServerTheInstanceStarted() throws Exception {
    Cairn cairn = cairnWithDiagnostics();
    DiagnosticsServer server = cairn.diagnosticsServer().orElseThrow();
    int port = server.port();
    cairn.close();

    assertThat(canConnect(port)).isFalse();
  }

  @Test
  void diagnostics_whenNotEnabled_feedsTheRingsWithoutAServer() {
    String name = "GET /quiet/" + UUID.randomUUID();
    try (Cairn cairn =
        Cairn.builder().shutdownHook(false).diagnostics(DiagnosticsSettings.defaults()).build()) {
      cairn.tracer().spanBuilder(name).startSpan().end();

      assertThat(cairn.diagnosticsServer()).isEmpty();
      Diagnostics d = cairn.diagnostics().orElseThrow();
      assertThat(d.recentTraces().snapshot()).anyMatch(s -> s.name().equals(name));
    }
  }

  @Test
  void diagnosticsBuilderOverACairn_readsTheRingsThatCairnFeeds() {
    RecentTraces own = RecentTraces.create(16);
    String name = "GET /own/" + UUID.randomUUID();
    try (Cairn cairn =
        Cairn.builder()
            .shutdownHook(false)
            .diagnostics(DiagnosticsSettings.defaults(), d -> d.recentTraces(own))
            .build()) {
      cairn.tracer().spanBuilder(name).startSpan().end();
      Diagnostics second = Diagnostics.builder().cairn(cairn).discoverContributors(false).build();

      assertThat(second.recentTraces()).isSameAs(own);
      assertThat(own.snapshot()).anyMatch(s -> s.name().equals(name));
    }
  }

  @Test
  void fromEnvironment_whenDiagnosticsEnabledBySystemProperty_servesTheInstancesSpans() throws Exception {
    java.util.Properties saved = (java.util.Properties) System.getProperties().clone();
    String name = "GET /env/" + UUID.randomUUID();
    try {
      System.setProperty("cairn.diagnostics.enabled", "true");
      System.setProperty("cairn.diagnostics.port", "0");
      System.setProperty("cairn.diagnostics.token", TOKEN);
      try (Cairn cairn = Cairn.fromEnvironment().shutdownHook(false).build()) {
        cairn.tracer().spanBuilder(name).startSpan().end();
        int port = cairn.diagnosticsServer().orElseThrow().port();

        try (RawHttp http = new RawHttp(port)) {
          assertThat(http.send(RawHttp.get("/traces/json", TOKEN)).read().text()).contains(name);
        }
      }
    } finally {
      System.setProperties(saved);
    }
  }

  private static boolean canConnect(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
