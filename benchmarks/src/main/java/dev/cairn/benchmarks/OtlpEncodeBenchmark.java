package dev.cairn.benchmarks;

import dev.cairn.internal.export.OtlpTraceEncoder;
import dev.cairn.internal.export.ZipkinSpanEncoder;
import dev.cairn.internal.json.JsonWriter;
import dev.cairn.pipeline.Pipeline;
import dev.cairn.resource.Resource;
import dev.cairn.span.Attributes;
import dev.cairn.span.Span;
import dev.cairn.span.SpanData;
import dev.cairn.span.SpanKind;
import dev.cairn.span.Tracer;
import dev.cairn.span.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding a 512-span batch as an OTLP/JSON request body: Cairn's encoder on its JSON writer
 * against the OpenTelemetry SDK's own OTLP marshaler ({@code TraceRequestMarshaler} writing JSON,
 * what its OTLP/HTTP JSON exporter does). Same span shape on both sides: a server span with five
 * attributes and one event. Scores are per span ({@code @OperationsPerInvocation}); spans/s = 1e9
 * / score. Zipkin v2 encoding of the same batch is measured for reference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OtlpEncodeBenchmark {
  static final int BATCH = 512;

  private final List<SpanData> cairnSpans = new ArrayList<>();
  private final List<io.opentelemetry.sdk.trace.data.SpanData> otelSpans = new ArrayList<>();
  private final JsonWriter writer = new JsonWriter(1 << 20);
  private final ByteArrayOutputStream otelOut = new ByteArrayOutputStream(1 << 20);
  private OtlpTraceEncoder otlp;
  private ZipkinSpanEncoder zipkin;

  @Setup
  public void setUp() {
    Resource resource = Resource.builder().serviceName("storefront").put("service.version", "1.4.2").build();
    otlp = new OtlpTraceEncoder(resource);
    zipkin = new ZipkinSpanEncoder(resource);

    Tracing tracing =
        Tracing.builder().pipeline(Pipeline.<SpanData>builder("spans").addSink(cairnSpans::add).build()).build();
    Tracer tracer = tracing.tracer("dev.cairn.benchmarks", "1.0");
    for (int i = 0; i < BATCH; i++) {
      Span s =
          tracer
              .spanBuilder("GET /api/orders/{id}")
              .setKind(SpanKind.SERVER)
              .setAttribute("http.request.method", "GET")
              .setAttribute("url.path", "/api/orders/" + (10_000 + i))
              .setAttribute("http.response.status_code", 200L)
              .setAttribute("server.address", "shop.example.com")
              .setAttribute("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0")
              .startSpan();
      s.addEvent("cache.miss", Attributes.of("cache.key", "order:" + i));
      s.end();
    }

    SpanProcessor collect =
        new SpanProcessor() {
          @Override
          public void onStart(Context parentContext, ReadWriteSpan span) {}

          @Override
          public boolean isStartRequired() {
            return false;
          }

          @Override
          public void onEnd(ReadableSpan span) {
            otelSpans.add(span.toSpanData());
          }

          @Override
          public boolean isEndRequired() {
            return true;
          }
        };
    try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(collect).build()) {
      io.opentelemetry.api.trace.Tracer tracer2 = provider.get("dev.cairn.benchmarks", "1.0");
      for (int i = 0; i < BATCH; i++) {
        io.opentelemetry.api.trace.Span s =
            tracer2
                .spanBuilder("GET /api/orders/{id}")
                .setSpanKind(io.opentelemetry.api.trace.SpanKind.SERVER)
                .setAttribute("http.request.method", "GET")
                .setAttribute("url.path", "/api/orders/" + (10_000 + i))
                .setAttribute("http.response.status_code", 200L)
                .setAttribute("server.address", "shop.example.com")
                .setAttribute("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0")
                .startSpan();
        s.addEvent(
            "cache.miss",
            io.opentelemetry.api.common.Attributes.of(AttributeKey.stringKey("cache.key"), "order:" + i));
        s.end();
      }
    }
    if (cairnSpans.size() != BATCH || otelSpans.size() != BATCH) {
      throw new IllegalStateException("spans not collected: " + cairnSpans.size() + " / " + otelSpans.size());
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int cairn_otlpJsonEncode() {
    writer.reset();
    otlp.encode(cairnSpans, writer);
    return writer.size();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int otel_otlpJsonEncode() throws IOException {
    otelOut.reset();
    TraceRequestMarshaler.create(otelSpans).writeJsonTo(otelOut);
    return otelOut.size();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int cairn_zipkinJsonEncode() {
    writer.reset();
    zipkin.encode(cairnSpans, writer);
    return writer.size();
  }
}
