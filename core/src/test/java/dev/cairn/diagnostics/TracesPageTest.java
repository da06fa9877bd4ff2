package dev.cairn.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.span.Span;
import dev.cairn.span.SpanKind;
import dev.cairn.span.StatusCode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** A known request (server span, a failing client call, an internal step) drawn over real HTTP. */
class TracesPageTest {
  private static final String TOKEN = "test-token-0123456789abcdef";
  private static final ObjectMapper JACKSON = new ObjectMapper();

  @TempDir Path dir;
  private Cairn cairn;
  private DiagnosticsServer server;
  private Http http;
  private Span root;
  private Span pay;
  private Span render;

  @BeforeEach
  void knownRequest() throws Exception {
    RecentTraces traces = RecentTraces.create(64);
    cairn = Cairn.builder().serviceName("shop").shutdownHook(false).addSpanSink(traces.sink()).build();
    long t0 = 1_700_000_000_000_000_000L;
    root = cairn.tracer().spanBuilder("GET /checkout").setKind(SpanKind.SERVER).setNoParent()
        .setStartTimestamp(t0).startSpan();
    pay = cairn.tracer().spanBuilder("POST /pay").setKind(SpanKind.CLIENT).setParent(root.context())
        .setAttribute("peer.service", "payments").setStartTimestamp(t0 + 10_000_000).startSpan();
    pay.setStatus(StatusCode.ERROR, "declined");
    pay.end(t0 + 60_000_000);
    render = cairn.tracer().spanBuilder("render").setParent(root.context())
        .setStartTimestamp(t0 + 60_000_000).startSpan();
    render.end(t0 + 100_000_000);
    root.end(t0 + 100_000_000);
    server = DiagnosticsServer.start(
        Diagnostics.builder()
            .settings(DiagnosticsSettings.builder().token(TOKEN).dumpDirectory(dir).build())
            .recentTraces(traces)
            .discoverContributors(false)
            .build());
    http = new Http(server, TOKEN);
  }

  @AfterEach
  void stop() {
    server.close();
    cairn.close();
  }

  @Test
  void waterfallDrawsEverySpanOfTheRequestWithOffsetsAndWidthsFromItsTimes() throws Exception {
    HttpResponse<String> r = http.get("/traces");

    assertThat(r.statusCode()).isEqualTo(200);
    String html = r.body();
    String trace = root.context().traceIdHex();
    assertThat(html).contains("id=\"trace-" + trace + "\"").doesNotContain("<script").doesNotContain("src=");
    List<String> rows = new ArrayList<>();
    for (String part : html.split("data-span-id=\"")) {
      if (part.length() >= 16 && part.charAt(16) == '"') {
        rows.add(part.substring(0, 16));
      }
    }
    // Root first, then its children by start time.
    assertThat(rows).containsExactly(root.context().spanIdHex(), pay.context().spanIdHex(), render.context().spanIdHex());
    assertThat(html).contains("class=\"bar error\" style=\"left:10.00%;width:50.00%\"");
    assertThat(html).contains("style=\"left:60.00%;width:40.00%\"");
    assertThat(html).contains("style=\"left:0.00%;width:100.00%\"");
  }

  @Test
  void serviceMapShowsServedOperationsAndCalledPeersWithErrorRateAndLatency() throws Exception {
    String html = http.get("/traces").body();

    String in = html.substring(html.indexOf("id=\"service-map-in\""), html.indexOf("id=\"service-map-out\""));
    String out = html.substring(html.indexOf("id=\"service-map-out\""));
    assertThat(in).contains("<td>GET /checkout</td><td>1</td><td>0.0%</td><td>100.0</td>");
    assertThat(out).contains("<td>payments</td><td>1</td><td>100.0%</td><td>50.0</td>");
  }

  @Test
  void jsonGroupsTheSpansOfTheTraceWithTheirParents() throws Exception {
    JsonNode n = JACKSON.readTree(http.get("/traces/json").body());

    JsonNode t = n.get("traces").get(0);
    assertThat(t.get("traceId").asString()).isEqualTo(root.context().traceIdHex());
    assertThat(t.get("spans").size()).isEqualTo(3);
    assertThat(t.get("spans").get(1).get("parentSpanId").asString()).isEqualTo(root.context().spanIdHex());
    assertThat(t.get("spans").get(1).get("peer").asString()).isEqualTo("payments");
  }
}
