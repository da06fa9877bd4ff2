package dev.cairn.export.otlp;

import static dev.cairn.internal.http.LoopbackServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.export.ExportResult;
import dev.cairn.internal.export.ExportConfig;
import dev.cairn.internal.export.OtlpTraceEncoderTest;
import dev.cairn.internal.export.TestSpans;
import dev.cairn.internal.http.LoopbackServer;
import dev.cairn.pipeline.ExporterHealth;
import dev.cairn.resource.Resource;
import dev.cairn.span.SpanData;
import dev.cairn.span.Tracer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpSpanExporterTest {
  private final LoopbackServer server = new LoopbackServer();
  private final TestSpans spans = new TestSpans();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    server.close();
  }

  private OtlpSpanExporter exporter(OtlpSpanExporter.Builder b) {
    OtlpSpanExporter e = b.resource(Resource.builder().serviceName("shop").build()).build();
    closeables.add(e::close);
    return e;
  }

  private OtlpSpanExporter.Builder builder() {
    return OtlpSpanExporter.builder().endpoint(server.uri("/v1/traces")).maxAttempts(1);
  }

  private static List<Span> spansOf(ExportTraceServiceRequest req) {
    List<Span> out = new ArrayList<>();
    req.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList())));
    return out;
  }

  @Test
  void cairnDeliversSpansToARealReceiverAsValidOtlp() throws Exception {
    Resource resource = Resource.builder().serviceName("storefront").build();
    OtlpSpanExporter otlp =
        OtlpSpanExporter.builder().endpoint(server.uri("/v1/traces")).resource(resource).build();
    try (Cairn cairn = Cairn.builder().resource(resource).addSpanExporter(otlp).shutdownHook(false).build()) {
      Tracer tracer = cairn.tracer("orders");
      for (int i = 0; i < 10; i++) {
        tracer.startSpan("op-" + i).end();
      }
      assertThat(cairn.flush(Duration.ofSeconds(10))).isTrue();
      ExporterHealth h = cairn.exporterHealth().get(0);
      assertThat(h.exporter()).isEqualTo("otlp");
      assertThat(h.exported()).isEqualTo(10);
      assertThat(h.dropped()).isZero();
    }
    LoopbackServer.Received got = server.received.get(0);
    assertThat(got.path).isEqualTo("/v1/traces");
    assertThat(got.header("Content-Type")).isEqualTo("application/json");
    List<Span> received = new ArrayList<>();
    for (LoopbackServer.Received r : server.received) {
      ExportTraceServiceRequest req = OtlpTraceEncoderTest.parseOtlp(r.bodyAsString());
      assertThat(req.getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue())
          .isEqualTo("storefront");
      received.addAll(spansOf(req));
    }
    assertThat(received).extracting(Span::getName).containsExactlyInAnyOrder(
        "op-0", "op-1", "op-2", "op-3", "op-4", "op-5", "op-6", "op-7", "op-8", "op-9");
  }

  @Test
  void gzipBodiesArriveIntact() throws Exception {
    ExportResult r = exporter(builder().gzip(true)).export(List.of(spans.rich()));
    assertThat(r.isSuccess()).isTrue();
    assertThat(server.received.get(0).header("Content-Encoding")).isEqualTo("gzip");
    assertThat(spansOf(OtlpTraceEncoderTest.parseOtlp(server.received.get(0).bodyAsString()))).hasSize(1);
  }

  @Test
  void partialSuccessIsNotRetriedAndReportsTheRejectedSpans() {
    server.otherwise(status(200, "{\"partialSuccess\":{\"rejectedSpans\":\"5\",\"errorMessage\":\"too old\"}}"));
    List<SpanData> batch = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      batch.add(spans.simple("s" + i));
    }
    ExportResult r = exporter(builder().maxAttempts(5)).export(batch);
    assertThat(r.isSuccess()).isTrue();
    assertThat(r.rejected()).isEqualTo(5);
    assertThat(r.message()).isEqualTo("too old");
    assertThat(server.received).hasSize(1);
  }

  @Test
  void partialSuccessWithANumericCountIsReadToo() {
    server.otherwise(status(200, "{\"partialSuccess\":{\"rejectedSpans\":2}}"));
    ExportResult r = exporter(builder()).export(List.of(spans.simple("a"), spans.simple("b")));
    assertThat(r.rejected()).isEqualTo(2);
  }

  @Test
  void emptyOrUnparseableSuccessRepliesMeanFullSuccess() {
    server.then(status(200, ""), status(200, "not json"), status(200, "{\"partialSuccess\":{}}"));
    OtlpSpanExporter e = exporter(builder());
    for (int i = 0; i < 3; i++) {
      ExportResult r = e.export(List.of(spans.simple("x")));
      assertThat(r.isSuccess()).isTrue();
      assertThat(r.rejected()).isZero();
    }
  }

  @Test
  void badRequestFailsTheBatchWithItsStatusAsReason() {
    server.otherwise(status(400, "{\"code\":3,\"message\":\"bad\"}"));
    ExportResult r = exporter(builder().maxAttempts(5)).export(List.of(spans.simple("x")));
    assertThat(r.isSuccess()).isFalse();
    assertThat(r.reason()).isEqualTo("http_400");
    assertThat(server.received).hasSize(1);
  }

  @Test
  void failedExportsAreCountedExactlyByThePipeline() throws Exception {
    server.otherwise(status(413, ""));
    OtlpSpanExporter otlp = exporter(builder());
    try (Cairn cairn = Cairn.builder().addSpanExporter(otlp).shutdownHook(false).build()) {
      for (int i = 0; i < 7; i++) {
        cairn.tracer().startSpan("x").end();
      }
      cairn.flush(Duration.ofSeconds(10));
      ExporterHealth h = cairn.exporterHealth().get(0);
      assertThat(h.dropped()).isEqualTo(7);
      assertThat(h.produced()).isEqualTo(h.exported() + h.dropped() + h.queued());
      assertThat(h.failedByReason()).containsKey("http_413");
    }
  }

  @Test
  void batchesLargerThanTheRequestCapAreSplitAndAllDelivered() throws Exception {
    List<SpanData> batch = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      batch.add(spans.rich());
    }
    ExportResult r = exporter(builder().maxRequestBytes(8 * 1024)).export(batch);
    assertThat(r.isSuccess()).isTrue();
    assertThat(r.rejected()).isZero();
    assertThat(server.received.size()).isGreaterThan(1);
    int delivered = 0;
    for (LoopbackServer.Received got : server.received) {
      assertThat(got.body.length).isLessThanOrEqualTo(8 * 1024);
      delivered += spansOf(OtlpTraceEncoderTest.parseOtlp(got.bodyAsString())).size();
    }
    assertThat(delivered).isEqualTo(16);
  }

  @Test
  void whenOnlySomePartsOfASplitBatchFailThoseAreReportedAsRejected() throws Exception {
    server.then(status(200, "")).otherwise(status(400, ""));
    List<SpanData> batch = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      batch.add(spans.rich());
    }
    ExportResult r = exporter(builder().maxRequestBytes(3 * 1024)).export(batch);
    int delivered = spansOf(OtlpTraceEncoderTest.parseOtlp(server.received.get(0).bodyAsString())).size();
    assertThat(server.received.size()).isGreaterThan(1);
    assertThat(r.isSuccess()).isTrue();
    assertThat(r.rejected()).isEqualTo(4 - delivered).isPositive();
  }

  // ------------------------------------------------------------------ configuration

  private static OtlpSpanExporter.Builder configured(Map<String, String> props, Map<String, String> env) {
    return OtlpSpanExporter.builder().applyEnvironment(new ExportConfig(props, env));
  }

  @Test
  void defaultsToTheLocalCollector() {
    assertThat(configured(Map.of(), Map.of()).endpoint()).isEqualTo(URI.create("http://localhost:4318/v1/traces"));
  }

  @Test
  void baseEndpointGetsTheSignalPathAppended() {
    assertThat(configured(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")).endpoint())
        .isEqualTo(URI.create("http://collector:4318/v1/traces"));
    assertThat(configured(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://gw.example/otlp/")).endpoint())
        .isEqualTo(URI.create("https://gw.example/otlp/v1/traces"));
  }

  @Test
  void signalEndpointIsUsedAsIsAndWinsOverTheBase() {
    Map<String, String> env =
        Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:9999/custom");
    assertThat(configured(Map.of(), env).endpoint()).isEqualTo(URI.create("http://traces:9999/custom"));
  }

  @Test
  void cairnPropertyWinsOverTheEnvironment() {
    assertThat(
            configured(
                    Map.of("cairn.export.otlp.endpoint", "http://prop:4318"),
                    Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4318"))
                .endpoint())
        .isEqualTo(URI.create("http://prop:4318/v1/traces"));
  }

  @Test
  void headersArePercentDecodedAndSignalHeadersOverrideGenericOnes() {
    Map<String, String> env =
        Map.of(
            "OTEL_EXPORTER_OTLP_HEADERS", "api-key=abc%20def,x-tenant=one",
            "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-tenant=two");
    assertThat(configured(Map.of(), env).headers())
        .containsEntry("api-key", "abc def")
        .containsEntry("x-tenant", "two");
  }

  @Test
  void headersReachTheReceiver() {
    exporter(builder().header("Authorization", "Bearer t0ken")).export(List.of(spans.simple("x")));
    assertThat(server.received.get(0).header("Authorization")).isEqualTo("Bearer t0ken");
  }

  @Test
  void malformedSettingsFailWithTheSettingsName() {
    assertThatThrownBy(() -> configured(Map.of(), Map.of("OTEL_EXPORTER_OTLP_HEADERS", "novalue")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS");
    assertThatThrownBy(() -> configured(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT");
    assertThatThrownBy(() -> configured(Map.of(), Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_TIMEOUT");
    assertThatThrownBy(() -> configured(Map.of("cairn.export.otlp.compression", "zstd"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cairn.export.otlp.compression");
  }

  @Test
  void timeoutAndCompressionFromTheEnvironmentApply() {
    server.otherwise(status(200, ""));
    OtlpSpanExporter e =
        exporter(
            configured(
                    Map.of(),
                    Map.of(
                        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", server.uri("/v1/traces").toString(),
                        "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip",
                        "OTEL_EXPORTER_OTLP_TIMEOUT", "2000"))
                .maxAttempts(1));
    assertThat(e.export(List.of(spans.simple("x"))).isSuccess()).isTrue();
    assertThat(server.received.get(0).header("Content-Encoding")).isEqualTo("gzip");
  }
}
