package dev.cairn.logback;

import static dev.cairn.logback.Lines.event;
import static dev.cairn.logback.Lines.kv;
import static dev.cairn.logback.Lines.mdc;
import static dev.cairn.logback.Lines.parse;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MarkerFactory;
import tools.jackson.databind.JsonNode;

class CairnEncoderFormatsTest {
  private static final TraceContext CTX =
      TraceContext.builder()
          .traceId("4bf92f3577b34da6a3ce929d0e0e4736")
          .spanId("00f067aa0ba902b7")
          .sampled(true)
          .build();

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.propertyNames().iterator(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  private static JsonNode encode(CairnEncoder enc, LoggingEvent e) {
    enc.start();
    return parse(enc.encode(e));
  }

  @Test
  void cairnFormatWritesItsDocumentedFields() {
    LoggingEvent e = event(Level.WARN, "order {} failed", null, 42);
    mdc(e, Map.of("tenant", "acme"));
    kv(e, "amount", 12.5);
    e.addMarker(MarkerFactory.getMarker("AUDIT"));
    CairnEncoder enc = Lines.encoder("cairn");
    enc.setServiceName("orders");
    JsonNode n = encode(enc, e);
    assertThat(names(n).subList(0, 5)).containsExactly("time", "level", "message", "logger", "thread");
    assertThat(n.get("time").asString()).isEqualTo("2026-11-28T06:01:02.123Z");
    assertThat(n.get("level").asString()).isEqualTo("WARN");
    assertThat(n.get("message").asString()).isEqualTo("order 42 failed");
    assertThat(n.get("logger").asString()).isEqualTo("com.example.Orders");
    assertThat(n.get("thread").asString()).isEqualTo("main");
    assertThat(n.get("service").asString()).isEqualTo("orders");
    assertThat(n.get("tenant").asString()).isEqualTo("acme");
    assertThat(n.get("amount").isNumber()).isTrue();
    assertThat(n.get("tags").get(0).asString()).isEqualTo("AUDIT");
  }

  @Test
  void correlationIdsComeFromTheCurrentContextWithTheRealSampledFlag() {
    JsonNode n;
    try (Scope ignored = CTX.withSampled(false).makeCurrent()) {
      n = encode(Lines.encoder("cairn"), event("hello"));
    }
    assertThat(n.get("traceId").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(n.get("spanId").asString()).isEqualTo("00f067aa0ba902b7");
    assertThat(n.get("sampled").asBoolean()).isFalse();
    assertThat(n.has("tenant")).isFalse();
  }

  @Test
  void correlationIdsComeFromTheEventsMdcWhenEncodedOnAnotherThread() {
    LoggingEvent e = mdc(event("hello"), Map.of("traceId", "aaaabbbbccccddddeeeeffff00001111", "spanId", "1111222233334444"));
    JsonNode n = encode(Lines.encoder("cairn"), e);
    assertThat(n.get("traceId").asString()).isEqualTo("aaaabbbbccccddddeeeeffff00001111");
    assertThat(n.get("spanId").asString()).isEqualTo("1111222233334444");
    assertThat(n.has("sampled")).as("MDC does not carry the flag").isFalse();
  }

  @Test
  void keyValuesKeepTheirJsonTypes() {
    LoggingEvent e = event("typed");
    kv(e, "int", 7);
    kv(e, "long", 9_000_000_000L);
    kv(e, "bool", true);
    kv(e, "nothing", null);
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("a", List.of(1, "two"));
    kv(e, "map", nested);
    kv(e, "array", new int[] {1, 2});
    kv(e, "nan", Double.NaN);
    JsonNode n = encode(Lines.encoder("cairn"), e);
    assertThat(n.get("int").asInt()).isEqualTo(7);
    assertThat(n.get("long").asLong()).isEqualTo(9_000_000_000L);
    assertThat(n.get("bool").isBoolean()).isTrue();
    assertThat(n.get("nothing").isNull()).isTrue();
    assertThat(n.get("map").get("a").get(0).asInt()).isEqualTo(1);
    assertThat(n.get("map").get("a").get(1).asString()).isEqualTo("two");
    assertThat(n.get("array").size()).isEqualTo(2);
    assertThat(n.get("nan").asString()).isEqualTo("NaN");
  }

  @Test
  void reservedNamesFromMdcAndKeyValuesAreRenamedNotDuplicated() {
    LoggingEvent e = mdc(event("real"), Map.of("message", "fake", "level", "ERROR"));
    kv(e, "message", "also fake");
    kv(e, "time", 0);
    JsonNode n = encode(Lines.encoder("cairn"), e);
    assertThat(n.get("message").asString()).isEqualTo("real");
    assertThat(n.get("level").asString()).isEqualTo("INFO");
    assertThat(n.get("_message").asString()).isEqualTo("also fake");
    assertThat(n.get("__message").asString()).isEqualTo("fake");
    assertThat(n.get("_level").asString()).isEqualTo("ERROR");
    assertThat(n.get("_time").asInt()).isZero();
  }

  @Test
  void ecsPutsTimestampLevelMessageFirstAsDottedTopLevelKeys() {
    CairnEncoder enc = Lines.encoder("ecs");
    enc.setServiceName("Order Service");
    JsonNode n;
    try (Scope ignored = CTX.makeCurrent()) {
      n = encode(enc, event(Level.ERROR, "boom", new IllegalStateException("bad state")));
    }
    assertThat(names(n).subList(0, 3)).containsExactly("@timestamp", "log.level", "message");
    assertThat(n.get("log.level").asString()).isEqualTo("ERROR");
    assertThat(n.get("ecs.version").asString()).matches("8\\.\\d+\\.\\d+");
    assertThat(n.get("trace.id").asString()).isEqualTo(CTX.traceIdHex());
    assertThat(n.get("span.id").asString()).isEqualTo(CTX.spanIdHex());
    assertThat(n.get("service.name").asString()).isEqualTo("Order Service");
    assertThat(n.get("event.dataset").asString()).isEqualTo("order_service.log");
    assertThat(n.get("log.logger").asString()).isEqualTo("com.example.Orders");
    assertThat(n.get("process.thread.name").asString()).isEqualTo("main");
    assertThat(n.get("error.type").asString()).isEqualTo("java.lang.IllegalStateException");
    assertThat(n.get("error.message").asString()).isEqualTo("bad state");
    assertThat(n.get("error.stack_trace").asString())
        .startsWith("java.lang.IllegalStateException: bad state\n\tat ");
    assertThat(n.has("log")).as("no nested log object").isFalse();
  }

  @Test
  void ecsTimestampIsUtcIso8601() {
    JsonNode n = encode(Lines.encoder("ecs"), event("t"));
    assertThat(n.get("@timestamp").asString()).isEqualTo("2026-11-28T06:01:02.123Z");
  }

  @Test
  void logstashUsesTheFieldNamesItsDashboardsExpect() {
    LoggingEvent e = event(Level.ERROR, "failed", new RuntimeException("x"));
    e.addMarker(MarkerFactory.getMarker("billing"));
    JsonNode n = encode(Lines.encoder("logstash"), e);
    assertThat(names(n).subList(0, 3)).containsExactly("@timestamp", "@version", "message");
    assertThat(n.get("@version").asString()).isEqualTo("1");
    assertThat(n.get("logger_name").asString()).isEqualTo("com.example.Orders");
    assertThat(n.get("thread_name").asString()).isEqualTo("main");
    assertThat(n.get("level").asString()).isEqualTo("ERROR");
    assertThat(n.get("level_value").asInt()).isEqualTo(40000);
    assertThat(n.get("stack_trace").asString()).startsWith("java.lang.RuntimeException: x");
    assertThat(n.get("tags").get(0).asString()).isEqualTo("billing");
  }

  @Test
  void gcpWritesTraceAsResourceNameWithSpanAndRealSampledFlag() {
    CairnEncoder enc = Lines.encoder("gcp");
    enc.setProjectId("my-proj");
    JsonNode n;
    try (Scope ignored = CTX.withSampled(false).makeCurrent()) {
      n = encode(enc, event("hi"));
    }
    assertThat(n.get("severity").asString()).isEqualTo("INFO");
    assertThat(n.get("logging.googleapis.com/trace").asString())
        .isEqualTo("projects/my-proj/traces/" + CTX.traceIdHex());
    assertThat(n.get("logging.googleapis.com/spanId").asString()).isEqualTo(CTX.spanIdHex());
    assertThat(n.get("logging.googleapis.com/trace_sampled").asBoolean()).isFalse();
    // Google's agents take LogEntry.timestamp from a {seconds, nanos} object, not from a string.
    assertThat(n.get("timestamp").get("seconds").asLong()).isEqualTo(Lines.T0.getEpochSecond());
    assertThat(n.get("timestamp").get("nanos").asLong()).isEqualTo(123_000_000L);
  }

  @Test
  void gcpSeverityFollowsTheDocumentedMapping() {
    Map<Level, String> table = new LinkedHashMap<>();
    table.put(Level.TRACE, "DEBUG");
    table.put(Level.DEBUG, "DEBUG");
    table.put(Level.INFO, "INFO");
    table.put(Level.WARN, "WARNING");
    table.put(Level.ERROR, "ERROR");
    CairnEncoder enc = Lines.encoder("gcp");
    enc.start();
    table.forEach(
        (level, severity) ->
            assertThat(parse(enc.encode(event(level, "m", null))).get("severity").asString())
                .as(level.levelStr)
                .isEqualTo(severity));
  }

  @Test
  void gcpErrorsAreShapedForErrorReporting() {
    CairnEncoder enc = Lines.encoder("gcp");
    enc.setServiceName("orders");
    enc.setServiceVersion("1.2.3");
    JsonNode n = encode(enc, event(Level.ERROR, "failed", new IllegalArgumentException("bad")));
    assertThat(n.get("@type").asString()).isEqualTo(CairnEncoder.GCP_ERROR_TYPE);
    assertThat(n.get("stack_trace").asString()).startsWith("java.lang.IllegalArgumentException: bad\n\tat ");
    assertThat(n.get("serviceContext").get("service").asString()).isEqualTo("orders");
    assertThat(n.get("serviceContext").get("version").asString()).isEqualTo("1.2.3");
  }

  @Test
  void gcpWritesSourceLocationWhenCallerDataIsOn() {
    CairnEncoder enc = Lines.encoder("gcp");
    enc.setIncludeCallerData(true);
    LoggingEvent e = event("here");
    e.setCallerData(new StackTraceElement[] {new StackTraceElement("com.example.Orders", "place", "Orders.java", 42)});
    JsonNode loc = encode(enc, e).get("logging.googleapis.com/sourceLocation");
    assertThat(loc.get("file").asString()).isEqualTo("Orders.java");
    assertThat(loc.get("line").asString()).isEqualTo("42");
    assertThat(loc.get("function").asString()).isEqualTo("com.example.Orders.place");
  }

  @Test
  void gcpPutsMdcIntoLabels() {
    JsonNode n = encode(Lines.encoder("gcp"), mdc(event("x"), Map.of("tenant", "acme")));
    assertThat(n.get("logging.googleapis.com/labels").get("tenant").asString()).isEqualTo("acme");
  }

  @Test
  void gelfWritesVersionHostShortMessageAndUnderscoredAdditionalFields() {
    CairnEncoder enc = Lines.encoder("gelf");
    enc.setHost("pod-1");
    LoggingEvent e = mdc(event(Level.WARN, "careful", new RuntimeException("r")), Map.of("user id", "u1", "id", "7"));
    JsonNode n = encode(enc, e);
    assertThat(n.get("version").asString()).isEqualTo("1.1");
    assertThat(n.get("host").asString()).isEqualTo("pod-1");
    assertThat(n.get("short_message").asString()).isEqualTo("careful");
    assertThat(n.get("full_message").asString()).contains("java.lang.RuntimeException: r");
    assertThat(n.get("timestamp").decimalValue()).isEqualByComparingTo("1795845662.123");
    assertThat(n.get("level").asInt()).isEqualTo(4);
    assertThat(n.get("_user_id").asString()).isEqualTo("u1");
    assertThat(n.get("__id").asString()).as("_id is not allowed in GELF").isEqualTo("7");
    for (String name : names(n)) {
      assertThat(name).matches("version|host|short_message|full_message|timestamp|level|_[\\w.\\-]*");
    }
  }

  @Test
  void datadogAndXrayRenderingsAreOptIn() {
    CairnEncoder enc = Lines.encoder("cairn");
    enc.setDatadog(true);
    enc.setXray(true);
    JsonNode n;
    try (Scope ignored = CTX.makeCurrent()) {
      n = encode(enc, event("dd"));
    }
    assertThat(n.get("dd.trace_id").asString()).isEqualTo(Long.toUnsignedString(CTX.traceIdLow()));
    assertThat(n.get("dd.span_id").asString()).isEqualTo(Long.toUnsignedString(CTX.spanId()));
    assertThat(n.get("AWS-XRAY-TRACE-ID").asString()).isEqualTo("1-4bf92f35-77b34da6a3ce929d0e0e4736");
  }

  @Test
  void timestampPrecisionCanBeNanos() {
    CairnEncoder enc = Lines.encoder("cairn");
    enc.setTimestampPrecision("nanos");
    assertThat(encode(enc, event("t")).get("time").asString()).isEqualTo("2026-11-28T06:01:02.123456789Z");
  }

  @Test
  void layoutProducesTheSameLineAsTheEncoder() {
    CairnEncoder enc = Lines.encoder("ecs");
    enc.start();
    LoggingEvent e = event("same");
    assertThat(enc.doLayout(e)).isEqualTo(new String(enc.encode(e), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void unknownFormatIsReportedAndTheDefaultKept() {
    CairnEncoder enc = Lines.encoder("xml");
    assertThat(encode(enc, event("x")).has("time")).isTrue();
  }
}
