package dev.cairn.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.context.TraceContext;
import dev.cairn.pipeline.Pipeline;
import dev.cairn.resource.Resource;
import dev.cairn.span.Attributes;
import dev.cairn.span.Span;
import dev.cairn.span.SpanData;
import dev.cairn.span.SpanKind;
import dev.cairn.span.StatusCode;
import dev.cairn.span.Tracing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class NdjsonExporterTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final List<SpanData> finished = new CopyOnWriteArrayList<>();
  private final Tracing tracing =
      Tracing.builder()
          .pipeline(Pipeline.<SpanData>builder("spans").addSink(finished::add).build())
          .build();

  private SpanData span(String name) {
    Span s =
        tracing
            .tracer("ndjson-test")
            .spanBuilder(name)
            .setKind(SpanKind.CLIENT)
            .setAttribute("http.method", "GET")
            .setAttribute("retries", 2L)
            .setAttribute("ratio", Double.NaN)
            .startSpan();
    s.setAttribute("tags", new String[] {"a", "b"});
    s.addEvent("cache miss", Attributes.of("key", "k1"));
    s.addLink(TraceContext.newRoot(true));
    s.recordException(new IllegalStateException("line1\nline2 \u2028 \"quoted\""));
    s.setStatus(StatusCode.ERROR, "failed");
    s.end();
    return finished.get(finished.size() - 1);
  }

  @Test
  void eachSpan_isOneLineOfJsonThatJacksonParsesBackField() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    NdjsonExporter<SpanData> exporter =
        NdjsonExporter.builder(SpanNdjson.encoder(Resource.builder().serviceName("shop").build()))
            .stream(new PrintStream(bytes, true, StandardCharsets.UTF_8))
            .build();
    SpanData a = span("GET /a");
    SpanData b = span("GET /b");
    assertThat(exporter.export(List.of(a, b)).isSuccess()).isTrue();

    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n", -1);
    assertThat(lines).hasSize(3);
    assertThat(lines[2]).isEmpty();
    JsonNode n = JSON.readTree(lines[0]);
    assertThat(n.get("traceId").asString()).isEqualTo(a.context().traceIdHex());
    assertThat(n.get("spanId").asString()).isEqualTo(a.context().spanIdHex());
    assertThat(n.has("parentSpanId")).isFalse();
    assertThat(n.get("name").asString()).isEqualTo("GET /a");
    assertThat(n.get("kind").asString()).isEqualTo("client");
    assertThat(n.get("startTimeUnixNano").asLong()).isEqualTo(a.startEpochNanos());
    assertThat(n.get("endTimeUnixNano").asLong()).isEqualTo(a.endEpochNanos());
    assertThat(n.get("durationNanos").asLong()).isEqualTo(a.durationNanos());
    assertThat(n.get("sampled").asBoolean()).isTrue();
    assertThat(n.get("status").asString()).isEqualTo("error");
    assertThat(n.get("statusMessage").asString()).isEqualTo("failed");
    assertThat(n.get("scope").asString()).isEqualTo("ndjson-test");
    assertThat(n.get("resource").get("service.name").asString()).isEqualTo("shop");
    assertThat(n.get("attributes").get("http.method").asString()).isEqualTo("GET");
    assertThat(n.get("attributes").get("retries").asLong()).isEqualTo(2);
    assertThat(n.get("attributes").get("ratio").asString()).isEqualTo("NaN");
    assertThat(n.get("attributes").get("tags").get(1).asString()).isEqualTo("b");
    assertThat(n.get("events").get(0).get("name").asString()).isEqualTo("cache miss");
    JsonNode exception = n.get("events").get(1).get("attributes");
    assertThat(exception.get("exception.message").asString())
        .isEqualTo("line1\nline2 \u2028 \"quoted\"");
    assertThat(n.get("links").get(0).get("traceId").asString()).hasSize(32);
    assertThat(JSON.readTree(lines[1]).get("name").asString()).isEqualTo("GET /b");
  }

  @Test
  void hostileStrings_stayOnOneLineAndRoundTrip() throws Exception {
    String[] hostile = {
      "\r\n", "\u0000\u001b[31m", "\u0085\u2028\u2029", "\"},\"level\":\"ERROR", "\\", "\uD800 alone",
      "ok \uD83D\uDE00"
    };
    for (String h : hostile) {
      StringBuilder sb = new StringBuilder();
      Span s = tracing.tracer("t").startSpan(h).setAttribute(h, h);
      s.end();
      SpanNdjson.encoder().encode(finished.get(finished.size() - 1), sb);
      assertThat(sb.toString()).doesNotContain("\n", "\r", "\u2028", "\u2029", "\u0085");
      JsonNode n = JSON.readTree(sb.toString());
      String expected = h.replace('\uD800', '\uFFFD');
      assertThat(n.get("name").asString()).isEqualTo(expected);
      assertThat(n.get("attributes").get(expected).asString()).isEqualTo(expected);
    }
  }

  @Test
  void file_rotatesBeyondTheSizeLimitAndKeepsMaxFiles(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("logs/spans.ndjson");
    NdjsonExporter<String> exporter =
        NdjsonExporter.<String>builder((s, out) -> out.append("{\"v\":\"").append(s).append("\"}"))
            .file(file)
            .maxFileBytes(1024)
            .maxFiles(2)
            .build();
    String payload = "x".repeat(400);
    for (int i = 0; i < 10; i++) {
      assertThat(exporter.export(List.of(payload + i)).isSuccess()).isTrue();
    }
    exporter.close();
    assertThat(Files.exists(file)).isTrue();
    assertThat(Files.exists(dir.resolve("logs/spans.ndjson.1"))).isTrue();
    assertThat(Files.exists(dir.resolve("logs/spans.ndjson.2"))).isTrue();
    assertThat(Files.exists(dir.resolve("logs/spans.ndjson.3"))).isFalse();
    List<String> all = new ArrayList<>();
    for (String f : new String[] {"spans.ndjson.2", "spans.ndjson.1", "spans.ndjson"}) {
      for (String line : Files.readAllLines(dir.resolve("logs").resolve(f))) {
        all.add(JSON.readTree(line).get("v").asString());
        assertThat(Files.size(dir.resolve("logs").resolve(f))).isLessThanOrEqualTo(1024);
      }
    }
    assertThat(all).last().isEqualTo(payload + 9);
    assertThat(all).isSortedAccordingTo((x, y) -> Character.compare(x.charAt(400), y.charAt(400)));
  }

  @Test
  void anItemThatCannotBeEncoded_isSkippedAndReportedAsRejected() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    NdjsonExporter<String> exporter =
        NdjsonExporter.<String>builder(
                (s, out) -> {
                  out.append("{\"partial\":");
                  if (s.equals("bad")) {
                    throw new IllegalArgumentException("cannot encode");
                  }
                  out.append("\"").append(s).append("\"}");
                })
            .stream(new PrintStream(bytes, true, StandardCharsets.UTF_8))
            .build();
    ExportResult r = exporter.export(List.of("a", "bad", "c"));
    assertThat(r.isSuccess()).isTrue();
    assertThat(r.rejected()).isEqualTo(1);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"partial\":\"a\"}\n{\"partial\":\"c\"}\n");
  }

  @Test
  void unwritableFile_failsTheBatchWithReasonIo(@TempDir Path dir) throws Exception {
    Path blocker = dir.resolve("not-a-dir");
    Files.writeString(blocker, "x");
    NdjsonExporter<String> exporter =
        NdjsonExporter.<String>builder((s, out) -> out.append("{}"))
            .file(blocker.resolve("spans.ndjson"))
            .build();
    ExportResult r = exporter.export(List.of("a"));
    assertThat(r.isSuccess()).isFalse();
    assertThat(r.reason()).isEqualTo("io");
  }
}
