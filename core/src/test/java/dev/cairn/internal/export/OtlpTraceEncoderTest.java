package dev.cairn.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.cairn.internal.json.JsonWriter;
import dev.cairn.resource.Resource;
import dev.cairn.span.SpanData;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The encoder's output is read back with OpenTelemetry's own protobuf definitions and protobuf's
 * JsonFormat: the OTLP specification's JSON is proto3 JSON except that ids are hex instead of
 * base64, so the test rewrites those (and only those) before parsing.
 */
public class OtlpTraceEncoderTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final TestSpans spans = new TestSpans();
  private final Resource resource =
      Resource.builder().serviceName("checkout").put("process.pid", 4242L).put("weight", 1.5).put("canary", true).build();

  public static ExportTraceServiceRequest parseOtlp(String json) throws InvalidProtocolBufferException {
    JsonNode root = JSON.readTree(json);
    for (JsonNode rs : root.path("resourceSpans")) {
      for (JsonNode ss : rs.path("scopeSpans")) {
        for (JsonNode span : ss.path("spans")) {
          hexToBase64((ObjectNode) span, "traceId", "spanId", "parentSpanId");
          for (JsonNode link : span.path("links")) {
            hexToBase64((ObjectNode) link, "traceId", "spanId");
          }
        }
      }
    }
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    JsonFormat.parser().merge(JSON.writeValueAsString(root), b); // strict: unknown fields fail
    return b.build();
  }

  private static void hexToBase64(ObjectNode node, String... fields) {
    for (String f : fields) {
      JsonNode v = node.get(f);
      if (v != null) {
        String hex = v.stringValue();
        assertThat(hex).as(f).matches("[0-9a-f]+");
        node.put(f, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)));
      }
    }
  }

  private String encode(List<SpanData> batch) {
    JsonWriter w = new JsonWriter();
    new OtlpTraceEncoder(resource).encode(batch, w);
    return w.toString();
  }

  private static Map<String, AnyValue> attrs(List<KeyValue> kvs) {
    return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  private static ByteString hex(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  @Test
  void everySpanFieldSurvivesTheOfficialProtobufParser() throws Exception {
    SpanData data = spans.rich();
    ExportTraceServiceRequest req = parseOtlp(encode(List.of(data)));

    ResourceSpans rs = req.getResourceSpans(0);
    ScopeSpans ss = rs.getScopeSpans(0);
    assertThat(ss.getScope().getName()).isEqualTo("dev.cairn.test");
    assertThat(ss.getScope().getVersion()).isEqualTo("1.2.3");
    Span s = ss.getSpans(0);
    assertThat(s.getTraceId()).isEqualTo(hex("0af7651916cd43dd8448eb211c80319c"));
    assertThat(s.getSpanId()).isEqualTo(hex(data.context().spanIdHex()));
    assertThat(s.getParentSpanId()).isEqualTo(hex("b7ad6b7169203331"));
    assertThat(s.getTraceState()).isEqualTo("congo=t61rcWkgMzE");
    assertThat(s.getName()).isEqualTo("GET /orders/{id}");
    assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(s.getStartTimeUnixNano()).isEqualTo(1_700_000_000_123_456_789L);
    assertThat(s.getEndTimeUnixNano()).isEqualTo(1_700_000_000_523_456_789L);
    assertThat(s.getFlags()).isEqualTo(0x01 | 0x100 | 0x200); // sampled, parent is remote

    Map<String, AnyValue> a = attrs(s.getAttributesList());
    assertThat(a.get("http.request.method").getStringValue()).isEqualTo("GET");
    assertThat(a.get("http.response.status_code").getIntValue()).isEqualTo(500L);
    assertThat(a.get("ratio").getDoubleValue()).isEqualTo(0.25);
    assertThat(a.get("cached").getBoolValue()).isFalse();
    assertThat(a.get("tags").getArrayValue().getValuesList())
        .extracting(AnyValue::getStringValue)
        .containsExactly("a", "b\"quoted\"");
    assertThat(a.get("sizes").getArrayValue().getValuesList())
        .extracting(AnyValue::getIntValue)
        .containsExactly(1L, 2L, 3L);
    assertThat(a.get("weird").getStringValue()).isEqualTo("line\nbreak \u2028 \uFFFD end");

    assertThat(s.getEvents(0).getName()).isEqualTo("cache.miss");
    assertThat(s.getEvents(0).getTimeUnixNano()).isEqualTo(1_700_000_000_200_000_000L);
    assertThat(attrs(s.getEvents(0).getAttributesList()).get("key").getStringValue()).isEqualTo("order:42");

    assertThat(s.getLinks(0).getTraceId()).isEqualTo(hex(data.links().get(0).context().traceIdHex()));
    assertThat(s.getLinks(0).getSpanId()).isEqualTo(hex(data.links().get(0).context().spanIdHex()));
    assertThat(attrs(s.getLinks(0).getAttributesList()).get("link.kind").getStringValue()).isEqualTo("follows");

    assertThat(s.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(s.getStatus().getMessage()).isEqualTo("database down");
  }

  @Test
  void resourceAttributesKeepTheirTypes() throws Exception {
    ExportTraceServiceRequest req = parseOtlp(encode(List.of(spans.simple("a"))));
    Map<String, AnyValue> r = attrs(req.getResourceSpans(0).getResource().getAttributesList());
    assertThat(r.get("service.name").getStringValue()).isEqualTo("checkout");
    assertThat(r.get("process.pid").getIntValue()).isEqualTo(4242L);
    assertThat(r.get("weight").getDoubleValue()).isEqualTo(1.5);
    assertThat(r.get("canary").getBoolValue()).isTrue();
  }

  @Test
  void spansAreGroupedByInstrumentationScope() throws Exception {
    spans.tracer("a", "1").startSpan("a1").end();
    spans.tracer("b", "").startSpan("b1").end();
    spans.tracer("a", "1").startSpan("a2").end();
    spans.tracer("a", "2").startSpan("a3").end();
    ExportTraceServiceRequest req = parseOtlp(encode(spans.ended));
    List<ScopeSpans> scopes = req.getResourceSpans(0).getScopeSpansList();
    assertThat(req.getResourceSpansCount()).isEqualTo(1);
    assertThat(scopes).hasSize(3);
    assertThat(scopes.get(0).getScope().getName()).isEqualTo("a");
    assertThat(scopes.get(0).getSpansList()).extracting(Span::getName).containsExactly("a1", "a2");
    assertThat(scopes.get(1).getScope().getName()).isEqualTo("b");
    assertThat(scopes.get(1).getScope().getVersion()).isEmpty();
    assertThat(scopes.get(2).getScope().getVersion()).isEqualTo("2");
  }

  @Test
  void rootSpanHasNoParentAndUnsetStatusIsOmitted() throws Exception {
    String json = encode(List.of(spans.simple("root")));
    assertThat(json).doesNotContain("parentSpanId").doesNotContain("\"status\"");
    Span s = parseOtlp(json).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
    assertThat(s.getParentSpanId()).isEmpty();
    assertThat(s.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
  }

  @Test
  void followsTheOtlpJsonEncodingRules() {
    String json = encode(List.of(spans.rich()));
    assertThat(json).contains("\"kind\":2"); // enums as integers
    assertThat(json).contains("\"startTimeUnixNano\":\"1700000000123456789\""); // int64 as strings
    assertThat(json).contains("\"intValue\":\"500\"");
    assertThat(json).contains("\"traceId\":\"0af7651916cd43dd8448eb211c80319c\""); // hex ids
    assertThat(json).doesNotContain("trace_id", "start_time_unix_nano"); // lowerCamelCase only
  }

  @Test
  void encodesAnEmptyBatch() throws Exception {
    ExportTraceServiceRequest req = parseOtlp(encode(List.of()));
    assertThat(req.getResourceSpans(0).getScopeSpansList()).isEmpty();
  }
}
