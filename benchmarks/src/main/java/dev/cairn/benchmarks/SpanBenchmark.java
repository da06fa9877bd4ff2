package dev.cairn.benchmarks;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import dev.cairn.Cairn;
import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import dev.cairn.pipeline.ExporterHealth;
import dev.cairn.pipeline.Pipeline;
import dev.cairn.span.Span;
import dev.cairn.span.SpanData;
import dev.cairn.span.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Span start + one attribute + end, with an asynchronous exporter attached that does nothing:
 * Cairn (bounded queue + batching worker), OpenTelemetry SDK (BatchSpanProcessor with a no-op
 * SpanExporter) and Brave (a span handler that keeps every span and does nothing with it). Each
 * span is a new root, so id generation and the sampling decision are included. Also the cost of
 * handing a finished span to Cairn's export queue alone ({@code cairn_enqueue}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpanBenchmark {
  private Cairn cairn;
  private Tracer cairnTracer;
  private Pipeline<SpanData> enqueueOnly;
  private SpanData finished;

  private SdkTracerProvider otelProvider;
  private io.opentelemetry.api.trace.Tracer otelTracer;

  private brave.Tracing braveTracing;
  private brave.Tracer braveTracer;

  /** Cairn's exporter that accepts every batch and does nothing. */
  static final class NothingExporter implements Exporter<SpanData> {
    @Override
    public String name() {
      return "nothing";
    }

    @Override
    public ExportResult export(List<SpanData> batch) {
      return ExportResult.success();
    }
  }

  /** OpenTelemetry's exporter that accepts every batch and does nothing. */
  static final class OtelNothingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    cairn = Cairn.builder().serviceName("bench").shutdownHook(false)
        .addSpanExporter(new NothingExporter()).build();
    cairnTracer = cairn.tracer("bench");
    enqueueOnly = Pipeline.<SpanData>builder("bench").addExporter(new NothingExporter()).build();
    Span s = cairnTracer.startSpan("finished");
    s.end();
    finished = (SpanData) s;

    otelProvider =
        SdkTracerProvider.builder()
            .addSpanProcessor(BatchSpanProcessor.builder(new OtelNothingExporter()).build())
            .build();
    otelTracer = otelProvider.get("bench");

    braveTracing =
        brave.Tracing.newBuilder()
            .localServiceName("bench")
            .addSpanHandler(
                new SpanHandler() {
                  @Override
                  public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                    return true;
                  }
                })
            .build();
    braveTracer = braveTracing.tracer();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (ExporterHealth h : cairn.exporterHealth()) {
      System.out.println("\n[cairn health] " + h);
    }
    for (ExporterHealth h : enqueueOnly.health()) {
      System.out.println("[cairn enqueue health] " + h);
    }
    cairn.close(Duration.ofSeconds(5));
    enqueueOnly.close(Duration.ofSeconds(5));
    otelProvider.close();
    braveTracing.close();
  }

  @Benchmark
  public Span cairn_startEndSpan() {
    Span s = cairnTracer.spanBuilder("GET /orders").setAttribute("http.method", "GET").startSpan();
    s.end();
    return s;
  }

  @Benchmark
  public io.opentelemetry.api.trace.Span otel_startEndSpan() {
    io.opentelemetry.api.trace.Span s =
        otelTracer.spanBuilder("GET /orders").setAttribute("http.method", "GET").startSpan();
    s.end();
    return s;
  }

  @Benchmark
  public brave.Span brave_startEndSpan() {
    brave.Span s = braveTracer.newTrace().name("GET /orders").tag("http.method", "GET").start();
    s.finish();
    return s;
  }

  @Benchmark
  public void cairn_enqueue() {
    enqueueOnly.emit(finished);
  }
}
