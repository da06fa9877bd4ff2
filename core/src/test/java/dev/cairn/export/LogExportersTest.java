package dev.cairn.export;

import static dev.cairn.internal.http.LoopbackServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.export.elasticsearch.ElasticsearchLogExporter;
import dev.cairn.export.loki.LokiLogExporter;
import dev.cairn.export.otlp.OtlpLogExporter;
import dev.cairn.internal.export.LogEncodersTest;
import dev.cairn.internal.http.LoopbackServer;
import dev.cairn.logging.LogRecord;
import dev.cairn.pipeline.ExporterHealth;
import dev.cairn.pipeline.Pipeline;
import dev.cairn.resource.Resource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The log exporters against a real HTTP receiver on loopback. */
class LogExportersTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Resource RESOURCE = Resource.builder().serviceName("shop").build();
  private final LoopbackServer server = new LoopbackServer();

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void otlpLogsFlowThroughALogsPipelineToTheReceiver() throws Exception {
    Pipeline<LogRecord> logs =
        Pipeline.<LogRecord>builder("logs")
            .addExporter(OtlpLogExporter.builder().endpoint(server.uri("/v1/logs")).resource(RESOURCE).build())
            .build();
    for (int i = 0; i < 5; i++) {
      logs.emit(LogEncodersTest.info("app", "line " + i));
    }
    assertThat(logs.flush(Duration.ofSeconds(10))).isTrue();
    ExporterHealth h = logs.health().get(0);
    assertThat(h.exported()).isEqualTo(5);
    logs.close(Duration.ofSeconds(5));
    int received = 0;
    for (LoopbackServer.Received r : server.received) {
      assertThat(r.path).isEqualTo("/v1/logs");
      received += LogEncodersTest.parseOtlpLogs(r.bodyAsString()).getResourceLogs(0).getScopeLogs(0).getLogRecordsCount();
    }
    assertThat(received).isEqualTo(5);
  }

  @Test
  void otlpLogsPartialSuccessCountsRejectedLogRecords() {
    server.otherwise(status(200, "{\"partialSuccess\":{\"rejectedLogRecords\":\"1\"}}"));
    OtlpLogExporter e = OtlpLogExporter.builder().endpoint(server.uri("/v1/logs")).resource(RESOURCE).build();
    try {
      ExportResult r = e.export(List.of(LogEncodersTest.error(), LogEncodersTest.info("a", "b")));
      assertThat(r.rejected()).isEqualTo(1);
    } finally {
      e.close();
    }
  }

  @Test
  void lokiReceivesAPushRequest() {
    server.otherwise(status(204, ""));
    LokiLogExporter e =
        LokiLogExporter.builder()
            .endpoint(server.uri("/loki/api/v1/push"))
            .label("env", "prod")
            .resource(RESOURCE)
            .build();
    try {
      assertThat(e.export(List.of(LogEncodersTest.error())).isSuccess()).isTrue();
    } finally {
      e.close();
    }
    LoopbackServer.Received got = server.received.get(0);
    assertThat(got.path).isEqualTo("/loki/api/v1/push");
    assertThat(got.header("Content-Type")).isEqualTo("application/json");
    JsonNode stream = JSON.readTree(got.bodyAsString()).get("streams").get(0).get("stream");
    assertThat(stream.get("level").stringValue()).isEqualTo("error");
    assertThat(stream.get("env").stringValue()).isEqualTo("prod");
  }

  @Test
  void lokiRefusesLabelsItCannotStoreOrThatTheExporterOwns() {
    assertThatThrownBy(() -> LokiLogExporter.builder().label("bad-name", "x")).hasMessageContaining("bad-name");
    assertThatThrownBy(() -> LokiLogExporter.builder().label("level", "x")).hasMessageContaining("level");
  }

  @Test
  void elasticsearchBulkPostsNdjsonAndAsksForAFilteredReply() {
    server.otherwise(status(200, "{\"errors\":false}"));
    ElasticsearchLogExporter e =
        ElasticsearchLogExporter.builder().endpoint(server.uri("")).index("logs-shop-prod").resource(RESOURCE).build();
    try {
      assertThat(e.export(List.of(LogEncodersTest.error())).isSuccess()).isTrue();
    } finally {
      e.close();
    }
    LoopbackServer.Received got = server.received.get(0);
    assertThat(got.path).isEqualTo("/_bulk");
    assertThat(got.header("Content-Type")).isEqualTo("application/x-ndjson");
    assertThat(got.bodyAsString()).startsWith("{\"create\":{\"_index\":\"logs-shop-prod\"}}\n");
  }

  @Test
  void elasticsearchItemErrorsAreCountedAsRejectedRecords() {
    server.otherwise(
        status(
            200,
            "{\"errors\":true,\"items\":[{\"create\":{\"status\":201}},"
                + "{\"create\":{\"status\":400,\"error\":{\"reason\":\"mapper_parsing_exception\"}}},"
                + "{\"create\":{\"status\":429}}]}"));
    ElasticsearchLogExporter e =
        ElasticsearchLogExporter.builder().endpoint(server.uri("")).resource(RESOURCE).build();
    try {
      ExportResult r =
          e.export(List.of(LogEncodersTest.error(), LogEncodersTest.info("a", "1"), LogEncodersTest.info("a", "2")));
      assertThat(r.isSuccess()).isTrue();
      assertThat(r.rejected()).isEqualTo(2);
      assertThat(r.message()).contains("mapper_parsing_exception");
    } finally {
      e.close();
    }
  }

  @Test
  void elasticsearchRefusesInvalidIndexNames() {
    assertThatThrownBy(() -> ElasticsearchLogExporter.builder().index("Logs")).hasMessageContaining("Logs");
    assertThatThrownBy(() -> ElasticsearchLogExporter.builder().index("a,b")).isInstanceOf(IllegalArgumentException.class);
  }
}
