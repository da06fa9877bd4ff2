package dev.cairn.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.internal.json.JsonWriter;
import dev.cairn.resource.Resource;
import dev.cairn.span.SpanData;
import dev.cairn.span.SpanKind;
import dev.cairn.span.StatusCode;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Zipkin v2 bodies read back field by field with Jackson (strict about duplicate keys). */
class ZipkinSpanEncoderTest {
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final TestSpans spans = new TestSpans();

  private JsonNode encode(List<SpanData> batch) {
    JsonWriter w = new JsonWriter();
    new ZipkinSpanEncoder(Resource.builder().serviceName("Checkout").build()).encode(batch, w);
    return JSON.readTree(w.toString());
  }

  @Test
  void mapsIdsKindTimesEndpointsTagsAndAnnotations() {
    SpanData data = spans.rich();
    JsonNode s = encode(List.of(data)).get(0);
    assertThat(s.get("traceId").stringValue()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(s.get("id").stringValue()).isEqualTo(data.context().spanIdHex()).hasSize(16);
    assertThat(s.get("parentId").stringValue()).isEqualTo("b7ad6b7169203331");
    assertThat(s.get("kind").stringValue()).isEqualTo("SERVER");
    assertThat(s.get("name").stringValue()).isEqualTo("get /orders/{id}");
    assertThat(s.get("timestamp").longValue()).isEqualTo(1_700_000_000_123_456L);
    assertThat(s.get("duration").longValue()).isEqualTo(400_000L);
    assertThat(s.get("localEndpoint").get("serviceName").stringValue()).isEqualTo("checkout");

    JsonNode tags = s.get("tags");
    assertThat(tags.get("http.request.method").stringValue()).isEqualTo("GET");
    assertThat(tags.get("http.response.status_code").stringValue()).isEqualTo("500");
    assertThat(tags.get("ratio").stringValue()).isEqualTo("0.25");
    assertThat(tags.get("cached").stringValue()).isEqualTo("false");
    assertThat(tags.get("tags").stringValue()).isEqualTo("[\"a\",\"b\\\"quoted\\\"\"]");
    assertThat(tags.get("sizes").stringValue()).isEqualTo("[1,2,3]");
    assertThat(tags.get("otel.status_code").stringValue()).isEqualTo("ERROR");
    assertThat(tags.get("error").stringValue()).isEqualTo("database down");
    assertThat(tags.get("otel.scope.name").stringValue()).isEqualTo("dev.cairn.test");
    assertThat(tags.get("otel.scope.version").stringValue()).isEqualTo("1.2.3");
    tags.properties().forEach(e -> assertThat(e.getValue().isString()).as(e.getKey()).isTrue());

    JsonNode annotation = s.get("annotations").get(0);
    assertThat(annotation.get("timestamp").longValue()).isEqualTo(1_700_000_000_200_000L);
    assertThat(annotation.get("value").stringValue()).isEqualTo("cache.miss: {\"key\":\"order:42\"}");
  }

  @Test
  void internalSpansHaveNoKindAndRootSpansNoParent() {
    JsonNode s = encode(List.of(spans.simple("Work"))).get(0);
    assertThat(s.has("kind")).isFalse();
    assertThat(s.has("parentId")).isFalse();
    assertThat(s.has("annotations")).isFalse();
    assertThat(s.get("name").stringValue()).isEqualTo("work");
  }

  @Test
  void durationIsAtLeastOneMicrosecond() {
    spans.tracer("t", "").spanBuilder("instant").setStartTimestamp(5_000_000L).startSpan().end(5_000_100L);
    JsonNode s = encode(List.of(spans.last())).get(0);
    assertThat(s.get("duration").longValue()).isEqualTo(1L);
    assertThat(s.get("timestamp").longValue()).isEqualTo(5_000L);
  }

  @Test
  void remoteEndpointFromPeerAttributes() {
    spans.tracer("t", "")
        .spanBuilder("call")
        .setKind(SpanKind.CLIENT)
        .setAttribute("peer.service", "Payments")
        .setAttribute("server.address", "10.1.2.3")
        .setAttribute("server.port", 8443L)
        .startSpan()
        .end();
    JsonNode remote = encode(List.of(spans.last())).get(0).get("remoteEndpoint");
    assertThat(remote.get("serviceName").stringValue()).isEqualTo("payments");
    assertThat(remote.get("ipv4").stringValue()).isEqualTo("10.1.2.3");
    assertThat(remote.get("port").intValue()).isEqualTo(8443);
  }

  @Test
  void userTagsNamedLikeStatusTagsDoNotDuplicateKeys() {
    dev.cairn.span.Span span = spans.tracer("t", "").startSpan("x");
    span.setAttribute("error", "user value").setStatus(StatusCode.ERROR, "real");
    span.end();
    JsonNode tags = encode(List.of(spans.last())).get(0).get("tags"); // strict parser: no duplicates
    assertThat(tags.get("error").stringValue()).isEqualTo("real");
  }

  @Test
  void encodesSeveralSpansAsOneArray() {
    spans.simple("a");
    spans.simple("b");
    assertThat(encode(spans.ended)).hasSize(2);
  }
}
