package dev.cairn.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.cairn.context.TraceContext;
import dev.cairn.internal.json.JsonWriter;
import dev.cairn.logging.LogLevel;
import dev.cairn.logging.LogRecord;
import dev.cairn.resource.Resource;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** OTLP logs read back with the official protobuf definitions; Loki and bulk bodies with Jackson. */
public class LogEncodersTest {
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final TraceContext CONTEXT =
      TraceContext.builder()
          .traceId(0x0af7651916cd43ddL, 0x8448eb211c80319cL)
          .spanId(0xb7ad6b7169203331L)
          .traceFlags(TraceContext.FLAG_SAMPLED)
          .build();
  private static final Resource RESOURCE = Resource.builder().serviceName("shop").build();

  public static LogRecord error() {
    return LogRecord.builder()
        .epochNanos(1_764_311_999_123_456_789L)
        .level(LogLevel.ERROR)
        .loggerName("com.shop.Orders")
        .threadName("http-1")
        .message("payment \"failed\"\nfor order 42")
        .context(CONTEXT)
        .attribute("orderId", 42L)
        .attribute("amount", 9.5)
        .attribute("retry", true)
        .mdc("tenant", "acme")
        .mdc("orderId", "shadowed")
        .tag("AUDIT")
        .exception("java.io.IOException", "reset", "java.io.IOException: reset\n\tat A.b(A.java:1)")
        .build();
  }

  public static LogRecord info(String logger, String message) {
    return LogRecord.builder()
        .epochNanos(1_764_311_999_000_000_000L)
        .level(LogLevel.INFO)
        .loggerName(logger)
        .message(message)
        .build();
  }

  public static ExportLogsServiceRequest parseOtlpLogs(String json) throws Exception {
    JsonNode root = JSON.readTree(json);
    for (JsonNode rl : root.path("resourceLogs")) {
      for (JsonNode sl : rl.path("scopeLogs")) {
        for (JsonNode rec : sl.path("logRecords")) {
          for (String f : new String[] {"traceId", "spanId"}) {
            JsonNode v = rec.get(f);
            if (v != null) {
              ((ObjectNode) rec).put(f, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(v.stringValue())));
            }
          }
        }
      }
    }
    ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
    JsonFormat.parser().merge(JSON.writeValueAsString(root), b);
    return b.build();
  }

  private static Map<String, AnyValue> attrs(List<KeyValue> kvs) {
    return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  @Test
  void otlpLogsCarryEveryFieldThroughTheOfficialParser() throws Exception {
    JsonWriter w = new JsonWriter();
    new OtlpLogEncoder(RESOURCE).encode(List.of(error()), w);
    ExportLogsServiceRequest req = parseOtlpLogs(w.toString());
    ScopeLogs scope = req.getResourceLogs(0).getScopeLogs(0);
    assertThat(scope.getScope().getName()).isEqualTo("com.shop.Orders");
    io.opentelemetry.proto.logs.v1.LogRecord r = scope.getLogRecords(0);
    assertThat(r.getTimeUnixNano()).isEqualTo(1_764_311_999_123_456_789L);
    assertThat(r.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_ERROR);
    assertThat(r.getSeverityText()).isEqualTo("ERROR");
    assertThat(r.getBody().getStringValue()).isEqualTo("payment \"failed\"\nfor order 42");
    assertThat(HexFormat.of().formatHex(r.getTraceId().toByteArray())).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(HexFormat.of().formatHex(r.getSpanId().toByteArray())).isEqualTo("b7ad6b7169203331");
    assertThat(r.getFlags()).isEqualTo(1);
    Map<String, AnyValue> a = attrs(r.getAttributesList()); // toMap fails on a duplicate key
    assertThat(a.get("orderId").getIntValue()).isEqualTo(42L); // the call's value wins over MDC
    assertThat(a.get("amount").getDoubleValue()).isEqualTo(9.5);
    assertThat(a.get("retry").getBoolValue()).isTrue();
    assertThat(a.get("tenant").getStringValue()).isEqualTo("acme");
    assertThat(a.get("thread.name").getStringValue()).isEqualTo("http-1");
    assertThat(a.get("exception.type").getStringValue()).isEqualTo("java.io.IOException");
    assertThat(a.get("exception.stacktrace").getStringValue()).contains("A.b(A.java:1)");
    assertThat(a.get("log.tags").getArrayValue().getValues(0).getStringValue()).isEqualTo("AUDIT");
    assertThat(attrs(req.getResourceLogs(0).getResource().getAttributesList()).get("service.name").getStringValue())
        .isEqualTo("shop");
  }

  @Test
  void otlpLogsAreGroupedByLoggerAndOmitIdsWithoutContext() throws Exception {
    JsonWriter w = new JsonWriter();
    new OtlpLogEncoder(RESOURCE).encode(List.of(info("a", "1"), info("b", "2"), info("a", "3")), w);
    ExportLogsServiceRequest req = parseOtlpLogs(w.toString());
    List<ScopeLogs> scopes = req.getResourceLogs(0).getScopeLogsList();
    assertThat(scopes).extracting(s -> s.getScope().getName()).containsExactly("a", "b");
    assertThat(scopes.get(0).getLogRecordsList()).extracting(r -> r.getBody().getStringValue()).containsExactly("1", "3");
    assertThat(scopes.get(0).getLogRecords(0).getTraceId().isEmpty()).isTrue();
  }

  @Test
  void lokiStreamsAreLabelledByServiceAndLevelOnlyWithJsonLines() {
    JsonWriter w = new JsonWriter();
    new LokiEncoder("shop", Map.of("env", "prod")).encode(List.of(info("a", "hello"), error(), info("b", "bye")), w);
    JsonNode streams = JSON.readTree(w.toString()).get("streams");
    assertThat(streams).hasSize(2);
    JsonNode infoStream = streams.get(0);
    assertThat(infoStream.get("stream").get("service_name").stringValue()).isEqualTo("shop");
    assertThat(infoStream.get("stream").get("level").stringValue()).isEqualTo("info");
    assertThat(infoStream.get("stream").get("env").stringValue()).isEqualTo("prod");
    assertThat(infoStream.get("values")).hasSize(2);
    JsonNode errorValue = streams.get(1).get("values").get(0);
    assertThat(errorValue.get(0).stringValue()).isEqualTo("1764311999123456789");
    JsonNode line = JSON.readTree(errorValue.get(1).stringValue());
    assertThat(line.get("message").stringValue()).isEqualTo("payment \"failed\"\nfor order 42");
    assertThat(line.get("trace.id").stringValue()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(line.get("@timestamp").stringValue()).isEqualTo("2025-11-28T06:39:59.123Z");
  }

  @Test
  void bulkBodyIsNdjsonOfCreateActionsAndEcsDocuments() {
    JsonWriter w = new JsonWriter();
    new ElasticsearchBulkEncoder("logs-cairn-default", "shop").encode(List.of(error(), info("a", "x")), w);
    String body = w.toString();
    assertThat(body).endsWith("\n");
    String[] lines = body.split("\n", -1);
    assertThat(lines).hasSize(5); // 2 × (action + document) + the empty string after the last \n
    assertThat(JSON.readTree(lines[0]).get("create").get("_index").stringValue()).isEqualTo("logs-cairn-default");
    JsonNode doc = JSON.readTree(lines[1]);
    assertThat(doc.get("log.level").stringValue()).isEqualTo("ERROR");
    assertThat(doc.get("log.logger").stringValue()).isEqualTo("com.shop.Orders");
    assertThat(doc.get("service.name").stringValue()).isEqualTo("shop");
    assertThat(doc.get("error.type").stringValue()).isEqualTo("java.io.IOException");
    assertThat(doc.get("labels").get("tenant").stringValue()).isEqualTo("acme");
    assertThat(doc.get("attributes").get("orderId").longValue()).isEqualTo(42L);
    assertThat(doc.get("tags").get(0).stringValue()).isEqualTo("AUDIT");
    assertThat(doc.get("span.id").stringValue()).isEqualTo("b7ad6b7169203331");
  }
}
