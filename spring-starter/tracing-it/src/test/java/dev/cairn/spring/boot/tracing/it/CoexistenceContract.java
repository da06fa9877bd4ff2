package dev.cairn.spring.boot.tracing.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.jfr.testing.JfrCapture;
import dev.cairn.metrics.observation.CairnObservationHandler;
import jdk.jfr.consumer.RecordedEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What an application with the starter and Micrometer Tracing gets with no Cairn setting, whatever
 * the bridge: one request carrying a W3C {@code traceparent}, answered by a handler that logs, reads
 * both libraries' context and calls a downstream server. One application per bridge (started once,
 * the behaviours checked one per test).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CoexistenceContract {
  // A fresh id per application: JFR can lose a string it pooled in an earlier recording of the
  // same JVM (the field then reads N/A), and each bridge's test records its own.
  final String traceId = String.format("%032x", new java.math.BigInteger(127, new java.util.Random())).replace(' ', '0');
  static final String CALLER_SPAN_ID = "b7ad6b7169203331";

  /** A span as the bridge reported it. */
  record Reported(String kind, String traceId, String spanId, String parentId) {}

  CoexistenceApp app;
  HttpResponse<String> response;
  JsonNode seen;
  List<RecordedEvent> scopeEvents;

  /** Starts the application with this bridge's span collector. */
  abstract CoexistenceApp start(Path dir) throws Exception;

  /** Every span the bridge has reported so far. */
  abstract List<Reported> reported();

  @BeforeAll
  void startAndCall(@TempDir Path dir) throws Exception {
    app = start(dir);
    try (JfrCapture jfr = JfrCapture.start()) {
      response = app.order("traceparent", "00-" + traceId + "-" + CALLER_SPAN_ID + "-01");
      seen = CoexistenceApp.JSON.readTree(response.body());
      // The server span is reported after its observation's scope closed, so its JFR event is in.
      CoexistenceApp.await(() -> ofKind("SERVER").size() >= 1 && ofKind("CLIENT").size() >= 1);
      scopeEvents = jfr.stop().stream().filter(e -> e.getEventType().getName().equals("cairn.Scope")).toList();
    }
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  /** The reported spans of this kind in the inbound trace. */
  List<Reported> ofKind(String kind) {
    return reported().stream().filter(r -> r.kind().equals(kind) && r.traceId().equals(traceId)).toList();
  }

  /** The downstream request made while handling the inbound trace. */
  Map<String, List<String>> downstreamOfTheTrace() {
    return app.downstreamRequests.stream()
        .filter(h -> String.valueOf(h.get("Traceparent")).contains(traceId))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void micrometerTracingOwnsTheSpans_cairnsObservationHandlerIsNotRegistered() {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(app.context.getBeansOfType(CairnObservationHandler.class)).isEmpty();
  }

  @Test
  void cairnsContextInTheHandler_isMicrometerTracingsCurrentSpan() {
    assertThat(seen.get("micrometerTraceId").asString()).isEqualTo(traceId);
    assertThat(seen.get("cairnTraceId").asString()).isEqualTo(traceId);
    assertThat(seen.get("cairnSpanId").asString()).isEqualTo(seen.get("micrometerSpanId").asString());
    assertThat(seen.get("cairnSampled").asString()).isEqualTo("true").isEqualTo(seen.get("micrometerSampled").asString());
  }

  @Test
  void onlyOneServerSpanIsReported_byTheBridge_andNoneByCairn() {
    assertThat(ofKind("SERVER")).hasSize(1);
    assertThat(ofKind("CLIENT")).hasSize(1);
    Reported server = ofKind("SERVER").get(0);
    assertThat(server.traceId()).isEqualTo(traceId);
    assertThat(server.parentId()).isEqualTo(CALLER_SPAN_ID);
    assertThat(server.spanId()).isEqualTo(seen.get("micrometerSpanId").asString());
    assertThat(CoexistenceApp.CAIRN_SPANS).isEmpty();
  }

  @Test
  void logLineInTheHandler_carriesOneTraceId_theInboundOne() throws Exception {
    JsonNode line = app.logLine(CoexistenceApp.LOG_MESSAGE);
    Set<String> traceIds = new HashSet<>();
    Set<String> spanIds = new HashSet<>();
    collect(line, "", traceIds, spanIds);
    assertThat(traceIds).containsExactly(traceId);
    assertThat(spanIds).containsExactly(seen.get("micrometerSpanId").asString());
  }

  @Test
  void jfrScopeEventOfTheRequest_namesMicrometerTracingsTraceAndSpan() {
    assertThat(scopeEvents)
        .anySatisfy(
            e -> {
              assertThat(e.getString("traceId")).isEqualTo(traceId);
              assertThat(e.getString("spanId")).isEqualTo(seen.get("micrometerSpanId").asString());
            });
    assertThat(scopeEvents).allSatisfy(e -> assertThat(e.getString("traceId")).isEqualTo(traceId));
  }

  @Test
  void mdcInTheHandler_holdsTheSameIdsFromBothLibraries() {
    assertThat(seen.get("mdcTraceId").asString()).isEqualTo(traceId);
    assertThat(seen.get("mdcSpanId").asString()).isEqualTo(seen.get("micrometerSpanId").asString());
  }

  @Test
  void outgoingCall_carriesExactlyOneTraceparent_theClientSpans() {
    List<String> traceparents = downstreamOfTheTrace().get("Traceparent");
    assertThat(traceparents).hasSize(1);
    assertThat(traceparents.get(0)).isEqualTo("00-" + traceId + "-" + ofKind("CLIENT").get(0).spanId() + "-01");
  }

  @Test
  void correlationId_isTheTraceId_echoedToTheCallerAndSentDownstream() {
    assertThat(seen.get("cairnCorrelationId").asString()).isEqualTo(traceId);
    assertThat(response.headers().allValues("X-Request-ID")).containsExactly(traceId);
    assertThat(downstreamOfTheTrace().get("X-request-id")).containsExactly(traceId);
  }

  @Test
  void nextRequestOnThePooledThread_findsNothingLeftBehind_andGetsItsOwnTrace() throws Exception {
    HttpResponse<String> next = app.order();
    JsonNode nextSeen = CoexistenceApp.JSON.readTree(next.body());
    assertThat(next.headers().firstValue("X-Thread-Before")).hasValue("cairn=;mdc=null");
    String trace = nextSeen.get("micrometerTraceId").asString();
    assertThat(trace).hasSize(32).isNotEqualTo(traceId);
    assertThat(nextSeen.get("cairnTraceId").asString()).isEqualTo(trace);
    assertThat(nextSeen.get("mdcTraceId").asString()).isEqualTo(trace);
  }

  @Test
  void spanMadeCurrentByHand_isMirroredToo_andTheRequestsComesBackAfter() throws Exception {
    String otherTrace = String.format("%032x", new java.math.BigInteger(127, new java.util.Random()));
    JsonNode manual =
        CoexistenceApp.JSON.readTree(
            app.get("/manual", "traceparent", "00-" + otherTrace + "-" + CALLER_SPAN_ID + "-01", "X-Request-ID", "order-7")
                .body());
    assertThat(manual.get("cairnTraceId").asString()).isEqualTo(otherTrace);
    assertThat(manual.get("cairnSpanId").asString())
        .isEqualTo(manual.get("manualSpanId").asString())
        .isEqualTo(manual.get("mdcSpanId").asString())
        .isNotEqualTo(manual.get("requestSpanId").asString());
    assertThat(manual.get("cairnCorrelationId").asString()).isEqualTo("order-7");
    assertThat(manual.get("cairnSpanIdAfter").asString())
        .isEqualTo(manual.get("requestSpanId").asString())
        .isEqualTo(manual.get("mdcSpanIdAfter").asString());
  }

  @Test
  void asyncTask_logsWithTheRequestsTraceId() throws Exception {
    String trace = String.format("%032x", new java.math.BigInteger(127, new java.util.Random()));
    JsonNode async =
        CoexistenceApp.JSON.readTree(app.get("/async", "traceparent", "00-" + trace + "-" + CALLER_SPAN_ID + "-01").body());
    assertThat(async.get("asyncThread").asString()).isNotEqualTo(async.get("requestThread").asString());
    assertThat(async.get("asyncCairnTraceId").asString()).isEqualTo(trace);
    assertThat(async.get("asyncMdcTraceId").asString()).isEqualTo(trace);
  }

  /** Every string field whose name ends in trace id or span id (any spelling), at any depth. */
  static void collect(JsonNode node, String path, Set<String> traceIds, Set<String> spanIds) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        collect(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), traceIds, spanIds);
      }
    } else if (node.isString()) {
      String key = path.toLowerCase(Locale.ROOT).replace("_", "").replace(".", "");
      if (key.endsWith("traceid")) {
        traceIds.add(node.asString());
      } else if (key.endsWith("spanid")) {
        spanIds.add(node.asString());
      }
    }
  }
}
