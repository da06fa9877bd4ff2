package dev.cairn.benchmarks;

import dev.cairn.internal.json.JsonWriter;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * One log-line-shaped JSON object (timestamp, level, logger, thread, message with quotes, trace
 * ids, a small MDC map) written to a fresh {@code byte[]}, as a log encoder returns it: Cairn's
 * {@link JsonWriter} (reused buffer, then a copy) against Jackson 3's streaming generator (a new
 * generator over a reused {@link ByteArrayOutputStream}, then a copy) — the way
 * logstash-logback-encoder uses Jackson.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JsonWriterBenchmark {
  private static final String TIMESTAMP = "2026-11-28T06:40:00.123Z";
  private static final String LOGGER = "dev.cairn.examples.storefront.OrderService";
  private static final String THREAD = "http-nio-8080-exec-7";
  private static final String MESSAGE = "Order 12345 placed for customer \"alice\" (3 items, total 42.50 EUR)";
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN_ID = "b7ad6b7169203331";

  private final JsonWriter writer = new JsonWriter(1024);
  private final JsonFactory jackson = new JsonFactory();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);

  @Benchmark
  public byte[] cairn_logLine() {
    JsonWriter w = writer.reset();
    w.beginObject()
        .field("@timestamp", TIMESTAMP)
        .field("level", "INFO")
        .field("logger", LOGGER)
        .field("thread", THREAD)
        .field("message", MESSAGE)
        .field("traceId", TRACE_ID)
        .field("spanId", SPAN_ID)
        .name("mdc")
        .beginObject()
        .field("requestId", "req-7f3a9c")
        .field("tenant", "acme")
        .endObject()
        .field("durationMs", 17L)
        .endObject()
        .newline();
    return w.toByteArray();
  }

  @Benchmark
  public byte[] jackson_logLine() {
    out.reset();
    try (JsonGenerator g = jackson.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringProperty("@timestamp", TIMESTAMP);
      g.writeStringProperty("level", "INFO");
      g.writeStringProperty("logger", LOGGER);
      g.writeStringProperty("thread", THREAD);
      g.writeStringProperty("message", MESSAGE);
      g.writeStringProperty("traceId", TRACE_ID);
      g.writeStringProperty("spanId", SPAN_ID);
      g.writeName("mdc");
      g.writeStartObject();
      g.writeStringProperty("requestId", "req-7f3a9c");
      g.writeStringProperty("tenant", "acme");
      g.writeEndObject();
      g.writeNumberProperty("durationMs", 17L);
      g.writeEndObject();
      g.writeRaw('\n');
    }
    return out.toByteArray();
  }
}
