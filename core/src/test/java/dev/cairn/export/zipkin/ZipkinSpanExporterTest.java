package dev.cairn.export.zipkin;

import static dev.cairn.internal.http.LoopbackServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.export.ExportResult;
import dev.cairn.internal.export.ExportConfig;
import dev.cairn.internal.export.TestSpans;
import dev.cairn.internal.http.LoopbackServer;
import dev.cairn.resource.Resource;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ZipkinSpanExporterTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final LoopbackServer server = new LoopbackServer().otherwise(status(202, ""));
  private final TestSpans spans = new TestSpans();

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void cairnDeliversSpansToAZipkinReceiver() {
    Resource resource = Resource.builder().serviceName("Storefront").build();
    ZipkinSpanExporter zipkin =
        ZipkinSpanExporter.builder().endpoint(server.uri("/api/v2/spans")).resource(resource).build();
    try (Cairn cairn = Cairn.builder().resource(resource).addSpanExporter(zipkin).shutdownHook(false).build()) {
      cairn.tracer().startSpan("Checkout").end();
      assertThat(cairn.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(cairn.exporterHealth().get(0).exported()).isEqualTo(1);
    }
    LoopbackServer.Received got = server.received.get(0);
    assertThat(got.path).isEqualTo("/api/v2/spans");
    assertThat(got.header("Content-Type")).isEqualTo("application/json");
    JsonNode span = JSON.readTree(got.bodyAsString()).get(0);
    assertThat(span.get("name").stringValue()).isEqualTo("checkout");
    assertThat(span.get("localEndpoint").get("serviceName").stringValue()).isEqualTo("storefront");
    assertThat(span.get("traceId").stringValue()).hasSize(32);
  }

  @Test
  void serverErrorsAreRetriedThenReportedAsFailure() {
    server.otherwise(status(503, ""));
    ZipkinSpanExporter z =
        ZipkinSpanExporter.builder()
            .endpoint(server.uri("/api/v2/spans"))
            .maxAttempts(2)
            .maxElapsed(Duration.ofSeconds(5))
            .resource(Resource.empty())
            .build();
    try {
      ExportResult r = z.export(List.of(spans.simple("x")));
      assertThat(r.isSuccess()).isFalse();
      assertThat(r.reason()).isEqualTo("retries_exhausted");
      assertThat(server.received).hasSize(2);
    } finally {
      z.close();
    }
  }

  @Test
  void endpointFromPropertyOrEnvironment() {
    assertThat(ZipkinSpanExporter.builder().applyEnvironment(new ExportConfig(Map.of(), Map.of())).endpoint())
        .isEqualTo(URI.create("http://localhost:9411/api/v2/spans"));
    assertThat(
            ZipkinSpanExporter.builder()
                .applyEnvironment(
                    new ExportConfig(
                        Map.of("cairn.export.zipkin.endpoint", "http://zipkin:9411/api/v2/spans"),
                        Map.of("OTEL_EXPORTER_ZIPKIN_ENDPOINT", "http://other:9411/api/v2/spans")))
                .endpoint())
        .isEqualTo(URI.create("http://zipkin:9411/api/v2/spans"));
    assertThatThrownBy(
            () ->
                ZipkinSpanExporter.builder()
                    .applyEnvironment(
                        new ExportConfig(Map.of("cairn.export.zipkin.endpoint", "zipkin:9411"), Map.of())))
        .hasMessageContaining("cairn.export.zipkin.endpoint");
  }
}
