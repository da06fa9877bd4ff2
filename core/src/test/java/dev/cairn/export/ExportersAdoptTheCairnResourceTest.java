package dev.cairn.export;

import static dev.cairn.internal.http.LoopbackServer.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.export.loki.LokiLogExporter;
import dev.cairn.export.otlp.OtlpSpanExporter;
import dev.cairn.export.zipkin.ZipkinSpanExporter;
import dev.cairn.internal.export.LogEncodersTest;
import dev.cairn.internal.http.LoopbackServer;
import dev.cairn.logging.LogRecord;
import dev.cairn.pipeline.Pipeline;
import dev.cairn.resource.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A service named once on {@code Cairn.builder()} is named so in every backend. */
class ExportersAdoptTheCairnResourceTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final LoopbackServer server = new LoopbackServer();

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void anOtlpSpanExporterBuiltWithoutAResource_sendsTheInstancesServiceName() throws Exception {
    try (Cairn cairn =
        Cairn.builder()
            .shutdownHook(false)
            .serviceName("checkout")
            .addSpanExporter(OtlpSpanExporter.builder().endpoint(server.uri("/v1/traces")).build())
            .build()) {
      cairn.tracer().startSpan("pay").end();
      assertThat(cairn.flush(Duration.ofSeconds(10))).isTrue();
    }
    JsonNode body = JSON.readTree(server.received.get(0).bodyAsString());
    assertThat(serviceNameOf(body.get("resourceSpans").get(0).get("resource")))
        .isEqualTo("checkout");
  }

  @Test
  void anNdjsonSpanFile_carriesTheInstancesServiceNameOnEveryLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spans.ndjson");
    try (Cairn cairn =
        Cairn.builder()
            .shutdownHook(false)
            .serviceName("checkout")
            .addSpanExporter(NdjsonExporter.spansToFile(file))
            .build()) {
      cairn.tracer().startSpan("pay").end();
      cairn.tracer().startSpan("ship").end();
      assertThat(cairn.flush(Duration.ofSeconds(10))).isTrue();
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    for (String line : lines) {
      assertThat(JSON.readTree(line).get("resource").get("service.name").asString()).isEqualTo("checkout");
    }
  }

  @Test
  void anExporterGivenItsOwnResource_keepsIt() throws Exception {
    server.otherwise(status(202, ""));
    try (Cairn cairn =
        Cairn.builder()
            .shutdownHook(false)
            .serviceName("checkout")
            .addSpanExporter(
                ZipkinSpanExporter.builder()
                    .endpoint(server.uri("/api/v2/spans").toString())
                    .resource(Resource.builder().serviceName("payments-edge").build())
                    .build())
            .build()) {
      cairn.tracer().startSpan("pay").end();
      assertThat(cairn.flush(Duration.ofSeconds(10))).isTrue();
    }
    JsonNode spans = JSON.readTree(server.received.get(0).bodyAsString());
    assertThat(spans.get(0).get("localEndpoint").get("serviceName").asString())
        .isEqualTo("payments-edge");
  }

  @Test
  void aLogsPipelineAddedToTheInstance_labelsLinesWithItsServiceName() throws Exception {
    server.otherwise(status(204, ""));
    Pipeline<LogRecord> logs =
        Pipeline.<LogRecord>builder("logs")
            .addExporter(LokiLogExporter.builder().endpoint(server.uri("/loki/api/v1/push")).build())
            .build();
    try (Cairn cairn =
        Cairn.builder().shutdownHook(false).serviceName("checkout").addPipeline(logs).build()) {
      logs.emit(LogEncodersTest.info("app", "paid"));
      assertThat(cairn.flush(Duration.ofSeconds(10))).isTrue();
    }
    JsonNode push = JSON.readTree(server.received.get(0).bodyAsString());
    assertThat(push.get("streams").get(0).get("stream").get("service_name").asString())
        .isEqualTo("checkout");
  }

  private static String serviceNameOf(JsonNode resource) {
    for (JsonNode a : resource.get("attributes")) {
      if (a.get("key").asString().equals("service.name")) {
        return a.get("value").get("stringValue").asString();
      }
    }
    return null;
  }
}
