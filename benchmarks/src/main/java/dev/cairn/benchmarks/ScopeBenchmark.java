package dev.cairn.benchmarks;

import brave.context.slf4j.MDCScopeDecorator;
import brave.propagation.CurrentTraceContext;
import brave.propagation.ThreadLocalCurrentTraceContext;
import dev.cairn.context.TraceContext;
import dev.cairn.logging.CorrelationMdc;
import dev.cairn.logging.MdcSettings;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.MDC;

/**
 * Making a context current for a region of code with {@code traceId}/{@code spanId} mirrored into
 * SLF4J's MDC (Logback's adapter), then restoring: Cairn's scope with its MDC bridge; OpenTelemetry
 * {@code Context.makeCurrent()} plus the same two {@code MDC.put}/{@code MDC.remove} calls by hand;
 * Brave's {@code ThreadLocalCurrentTraceContext} with its SLF4J {@code MDCScopeDecorator}; and the
 * bare MDC calls alone ({@code mdc_putRemove}) as the floor. The contexts exist beforehand: only
 * the scope is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScopeBenchmark {
  private TraceContext cairn;
  private TraceContext cairnChild;
  private Context otel;
  private Context otelChild;
  private String otelTraceId;
  private String otelSpanId;
  private String otelChildSpanId;
  private CurrentTraceContext braveCurrent;
  private brave.propagation.TraceContext braveContext;

  @Setup
  public void setup() {
    CorrelationMdc.install(MdcSettings.defaults());
    cairn = TraceContext.newRoot(true);
    cairnChild = cairn.newChild();
    cairn.traceIdHex(); // rendered once per context, as in an application after its first log line
    cairn.spanIdHex();
    cairnChild.spanIdHex();

    SpanContext sc =
        SpanContext.create(cairn.traceIdHex(), cairn.spanIdHex(), TraceFlags.getSampled(), TraceState.getDefault());
    SpanContext child =
        SpanContext.create(cairn.traceIdHex(), cairnChild.spanIdHex(), TraceFlags.getSampled(), TraceState.getDefault());
    otel = Context.root().with(Span.wrap(sc));
    otelChild = otel.with(Span.wrap(child));
    otelTraceId = sc.getTraceId();
    otelSpanId = sc.getSpanId();
    otelChildSpanId = child.getSpanId();

    braveCurrent = ThreadLocalCurrentTraceContext.newBuilder().addScopeDecorator(MDCScopeDecorator.get()).build();
    braveContext =
        brave.propagation.TraceContext.newBuilder()
            .traceIdHigh(cairn.traceIdHigh())
            .traceId(cairn.traceIdLow())
            .spanId(cairn.spanId())
            .sampled(true)
            .build();
  }

  @Benchmark
  public TraceContext cairn_scopeWithMdc() {
    try (dev.cairn.context.Scope ignored = cairn.makeCurrent()) {
      return TraceContext.current();
    }
  }

  @Benchmark
  public Context otel_scopeWithMdc() {
    try (io.opentelemetry.context.Scope ignored = otel.makeCurrent()) {
      MDC.put("traceId", otelTraceId);
      MDC.put("spanId", otelSpanId);
      try {
        return Context.current();
      } finally {
        MDC.remove("traceId");
        MDC.remove("spanId");
      }
    }
  }

  @Benchmark
  public brave.propagation.TraceContext brave_scopeWithMdc() {
    try (CurrentTraceContext.Scope ignored = braveCurrent.newScope(braveContext)) {
      return braveCurrent.get();
    }
  }

  @Benchmark
  public String mdc_putRemove() {
    MDC.put("traceId", otelTraceId);
    MDC.put("spanId", otelSpanId);
    String s = MDC.get("spanId");
    MDC.remove("traceId");
    MDC.remove("spanId");
    return s;
  }

  @Benchmark
  public TraceContext cairn_nestedScopeWithMdc() {
    try (dev.cairn.context.Scope outer = cairn.makeCurrent()) {
      try (dev.cairn.context.Scope inner = cairnChild.makeCurrent()) {
        return TraceContext.current();
      }
    }
  }

  @Benchmark
  public Context otel_nestedScopeWithMdc() {
    try (io.opentelemetry.context.Scope outer = otel.makeCurrent()) {
      MDC.put("traceId", otelTraceId);
      MDC.put("spanId", otelSpanId);
      try {
        try (io.opentelemetry.context.Scope inner = otelChild.makeCurrent()) {
          MDC.put("spanId", otelChildSpanId);
          try {
            return Context.current();
          } finally {
            MDC.put("spanId", otelSpanId);
          }
        }
      } finally {
        MDC.remove("traceId");
        MDC.remove("spanId");
      }
    }
  }

  @Benchmark
  public TraceContext cairn_current() {
    return TraceContext.current();
  }

  @Benchmark
  public Context otel_current() {
    return Context.current();
  }
}
