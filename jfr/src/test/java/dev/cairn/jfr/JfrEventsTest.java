package dev.cairn.jfr;

import static dev.cairn.jfr.Recordings.all;
import static dev.cairn.jfr.Recordings.named;
import static dev.cairn.jfr.Recordings.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.internal.SelfCounters;
import dev.cairn.jfr.internal.JfrSinks;
import dev.cairn.logging.LogLevel;
import dev.cairn.logging.LogRecord;
import dev.cairn.pipeline.ExporterHealth;
import dev.cairn.span.Sampler;
import dev.cairn.span.Span;
import dev.cairn.span.SpanKind;
import dev.cairn.span.StatusCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JfrEventsTest {
  private CairnJfr jfr;

  @BeforeEach
  void install() {
    jfr = CairnJfr.builder().build();
  }

  @AfterEach
  void uninstall() {
    jfr.close();
  }

  @Test
  void scopeEvent_recordsTheContextCurrentOnTheThread() {
    TraceContext ctx = TraceContext.newRoot(true).withCorrelationId("order-7");
    List<RecordedEvent> events =
        record(
            r -> all(r, "cairn.Scope"),
            () -> {
              try (Scope ignored = ctx.makeCurrent()) {
                // attached
              }
            });
    List<RecordedEvent> scopes = named(events, "cairn.Scope");
    assertThat(scopes).hasSize(1);
    RecordedEvent e = scopes.get(0);
    assertThat(e.getString("traceId")).isEqualTo(ctx.traceIdHex());
    assertThat(e.getString("spanId")).isEqualTo(ctx.spanIdHex());
    assertThat(e.getString("correlationId")).isEqualTo("order-7");
    assertThat(e.getThread().getJavaName()).isEqualTo(Thread.currentThread().getName());
    assertThat(e.getStackTrace()).isNull();
  }

  @Test
  void scopeEvent_belowItsThresholdIsNotWritten() {
    List<RecordedEvent> events =
        record(
            r -> r.enable("cairn.Scope").withThreshold(Duration.ofSeconds(5)),
            () -> {
              try (Scope ignored = TraceContext.newRoot(true).makeCurrent()) {
                // short
              }
            });
    assertThat(named(events, "cairn.Scope")).isEmpty();
  }

  @Test
  void scopeMisuse_isRecordedWithReasonAndStack() {
    List<RecordedEvent> events =
        record(
            r -> r.enable("cairn.ScopeMisuse"),
            () -> {
              Scope outer = TraceContext.newRoot(true).makeCurrent();
              Scope inner = TraceContext.newRoot(true).makeCurrent();
              outer.close(); // out of order
              inner.close();
            });
    List<RecordedEvent> misuse = named(events, "cairn.ScopeMisuse");
    assertThat(misuse).hasSize(1);
    assertThat(misuse.get(0).getString("reason")).isEqualTo("out_of_order");
    assertThat(misuse.get(0).getString("traceId")).hasSize(32);
    assertThat(misuse.get(0).getStackTrace()).isNotNull();
  }

  @Test
  void spanEvent_carriesEveryField() {
    TraceContext parent = TraceContext.newRoot(false);
    TraceContext child = parent.newChild();
    List<RecordedEvent> events =
        record(
            r -> all(r, "cairn.Span"),
            () -> {
              Object h = JfrSinks.spanStart();
              JfrSinks.spanEnd(h, child, "GET /orders", "SERVER", "OK");
            });
    List<RecordedEvent> spans = named(events, "cairn.Span");
    assertThat(spans).hasSize(1);
    RecordedEvent e = spans.get(0);
    assertThat(e.getString("traceId")).isEqualTo(parent.traceIdHex());
    assertThat(e.getString("spanId")).isEqualTo(child.spanIdHex());
    assertThat(e.getString("parentSpanId")).isEqualTo(parent.spanIdHex());
    assertThat(e.getString("name")).isEqualTo("GET /orders");
    assertThat(e.getString("kind")).isEqualTo("SERVER");
    assertThat(e.getString("status")).isEqualTo("OK");
    // Sampling decides what leaves the process, not what the recording sees.
    assertThat(e.getBoolean("sampled")).isFalse();
    assertThat(e.getStackTrace()).isNull();
  }

  @Test
  void spanEvent_withoutRecordingReturnsNoHandle() {
    assertThat(JfrSinks.spanStart()).isNull();
  }

  @Test
  void rateSetting_limitsEventsPerSecond() {
    TraceContext ctx = TraceContext.newRoot(true);
    List<RecordedEvent> events =
        record(
            r -> r.enable("cairn.Span").withThreshold(Duration.ZERO).with("rate", "5/s"),
            () -> {
              for (int i = 0; i < 200; i++) {
                JfrSinks.spanEnd(JfrSinks.spanStart(), ctx, "s" + i, "INTERNAL", "UNSET");
              }
            });
    // 200 spans in well under a second or two: at most a few windows' worth survive.
    assertThat(named(events, "cairn.Span")).hasSizeBetween(1, 15);
    assertThat(SelfCounters.GLOBAL.total("cairn.jfr.rate_limited")).isGreaterThanOrEqualTo(185);
  }

  @Test
  void rateSetting_isDeclaredOnHighRateEvents() {
    for (String name : new String[] {"cairn.Span", "cairn.Scope", "cairn.Log"}) {
      FlightRecorder.getFlightRecorder(); // registers
      EventType t = eventType(name);
      assertThat(t.getSettingDescriptors()).anyMatch(s -> s.getName().equals("rate"));
    }
  }

  @Test
  void logEvent_atOrAboveMinimumLevelCarriesIdsAndExceptionType() {
    TraceContext ctx = TraceContext.newRoot(true);
    List<RecordedEvent> events =
        record(
            r -> all(r, "cairn.Log"),
            () -> {
              try (Scope ignored = ctx.makeCurrent()) {
                jfr.log("INFO", "app.Orders", "ignored below WARN", null);
                jfr.log("ERROR", "app.Orders", "payment failed", new IllegalStateException("x"));
              }
            });
    List<RecordedEvent> logs = named(events, "cairn.Log");
    assertThat(logs).hasSize(1);
    RecordedEvent e = logs.get(0);
    assertThat(e.getString("level")).isEqualTo("ERROR");
    assertThat(e.getString("logger")).isEqualTo("app.Orders");
    assertThat(e.getString("message")).isEqualTo("payment failed");
    assertThat(e.getString("exceptionType")).isEqualTo("java.lang.IllegalStateException");
    assertThat(e.getString("traceId")).isEqualTo(ctx.traceIdHex());
    assertThat(e.getString("spanId")).isEqualTo(ctx.spanIdHex());
  }

  @Test
  void logSink_recordsPipelineRecordsWithTheirOwnContext() {
    TraceContext ctx = TraceContext.newRoot(true);
    List<RecordedEvent> events =
        record(
            r -> all(r, "cairn.Log"),
            () -> {
              jfr.logSink()
                  .accept(
                      LogRecord.builder()
                          .level(LogLevel.WARN)
                          .loggerName("app.Stock")
                          .message("stock low")
                          .context(ctx)
                          .exception("java.io.IOException", "disk", "")
                          .build());
              jfr.logSink()
                  .accept(
                      LogRecord.builder()
                          .level(LogLevel.DEBUG)
                          .loggerName("app.Stock")
                          .message("below the minimum")
                          .context(ctx)
                          .build());
            });
    List<RecordedEvent> logs = named(events, "cairn.Log");
    assertThat(logs).hasSize(1);
    assertThat(logs.get(0).getString("level")).isEqualTo("WARN");
    assertThat(logs.get(0).getString("message")).isEqualTo("stock low");
    assertThat(logs.get(0).getString("exceptionType")).isEqualTo("java.io.IOException");
    assertThat(logs.get(0).getString("traceId")).isEqualTo(ctx.traceIdHex());
  }

  @Test
  void minLogLevel_rejectsUnknownLevelsWithTheSettingName() {
    assertThatThrownBy(() -> CairnJfr.builder().minLogLevel("LOUD"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cairn.jfr.log.min-level")
        .hasMessageContaining("LOUD");
  }

  @Test
  void exportDropped_reportsTheIncreaseOfDropCounters() throws Exception {
    var counter =
        SelfCounters.GLOBAL.counter(
            "cairn.export.dropped", "test", "spans", "exporter", "test", "reason", "queue_full");
    List<RecordedEvent> events =
        record(
            r -> r.enable("cairn.ExportDropped").withPeriod(Duration.ofMillis(100)),
            () -> {
              counter.add(7);
              sleep(400);
            });
    List<RecordedEvent> dropped = named(events, "cairn.ExportDropped");
    assertThat(dropped)
        .filteredOn(e -> e.getString("tags").equals("exporter=test,reason=queue_full"))
        .extracting(e -> e.getLong("dropped"))
        .containsExactly(7L);
  }

  @Test
  void exporterHealth_snapshotsEachExporterAndDropsSinceLastPeriod() {
    jfr.close();
    long[] dropped = {5};
    jfr =
        CairnJfr.builder()
            .exporterHealth(
                () ->
                    List.of(
                        new ExporterHealth(
                            "spans",
                            "otlp",
                            2048,
                            3,
                            100,
                            Map.of("queue_full", dropped[0]),
                            Map.of("http_503", 2L),
                            10,
                            1_000_000,
                            250_000,
                            Optional.of("HTTP 503"))))
            .build();
    List<RecordedEvent> events =
        record(
            r -> {
              r.enable("cairn.ExporterHealth").withPeriod(Duration.ofMillis(100));
              r.enable("cairn.ExportDropped").withPeriod(Duration.ofMillis(100));
            },
            () -> sleep(400));
    List<RecordedEvent> health = named(events, "cairn.ExporterHealth");
    assertThat(health).isNotEmpty();
    RecordedEvent h = health.get(0);
    assertThat(h.getString("signal")).isEqualTo("spans");
    assertThat(h.getString("exporter")).isEqualTo("otlp");
    assertThat(h.getInt("capacity")).isEqualTo(2048);
    assertThat(h.getLong("queued")).isEqualTo(3);
    assertThat(h.getLong("exported")).isEqualTo(100);
    assertThat(h.getLong("dropped")).isEqualTo(5);
    assertThat(h.getLong("failed")).isEqualTo(2);
    assertThat(h.getDuration("lastExportDuration")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(h.getString("lastError")).isEqualTo("HTTP 503");
    // The drop is reported once, as an increase, not again every period.
    assertThat(named(events, "cairn.ExportDropped"))
        .filteredOn(e -> e.getString("tags").equals("signal=spans,exporter=otlp,reason=queue_full"))
        .extracting(e -> e.getLong("dropped"))
        .containsExactly(5L);
  }

  @Test
  void spanListener_recordsSpansOfTheTracerIncludingUnsampledOnes() {
    TraceContext[] ctx = new TraceContext[2];
    List<RecordedEvent> events =
        record(
            r -> all(r, "cairn.Span"),
            () -> {
              try (Cairn on = Cairn.builder().addSpanListener(jfr.spanListener()).build();
                  Cairn off =
                      Cairn.builder()
                          .sampler(Sampler.alwaysOff())
                          .addSpanListener(jfr.spanListener())
                          .build()) {
                Span s = on.tracer().spanBuilder("checkout").setKind(SpanKind.CLIENT).startSpan();
                s.setStatus(StatusCode.ERROR);
                s.end();
                ctx[0] = s.context();
                Span u = off.tracer().startSpan("unsampled");
                u.end();
                ctx[1] = u.context();
              }
            });
    List<RecordedEvent> spans = named(events, "cairn.Span");
    assertThat(spans)
        .extracting(e -> e.getString("spanId"))
        .contains(ctx[0].spanIdHex());
    RecordedEvent e =
        spans.stream().filter(x -> x.getString("name").equals("checkout")).findFirst().get();
    assertThat(e.getString("kind")).isEqualTo("CLIENT");
    assertThat(e.getString("status")).isEqualTo("ERROR");
    assertThat(e.getBoolean("sampled")).isTrue();
    // The sampler decides what is exported; the recording still sees the span.
    assertThat(spans)
        .filteredOn(x -> x.getString("name").equals("unsampled"))
        .singleElement()
        .satisfies(x -> assertThat(x.getBoolean("sampled")).isFalse())
        .satisfies(x -> assertThat(x.getString("spanId")).isEqualTo(ctx[1].spanIdHex()));
  }

  @Test
  void metric_mirrorsSelectedMeters() {
    jfr.close();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registry.counter("orders.placed", "region", "eu").increment(4);
    registry.counter("noise").increment();
    jfr =
        CairnJfr.builder()
            .metrics(registry, m -> m.getId().getName().startsWith("orders."))
            .build();
    List<RecordedEvent> events =
        record(r -> r.enable("cairn.Metric").withPeriod(Duration.ofMillis(100)), () -> sleep(400));
    List<RecordedEvent> metrics = named(events, "cairn.Metric");
    assertThat(metrics).isNotEmpty().allMatch(e -> e.getString("name").equals("orders.placed"));
    RecordedEvent e = metrics.get(0);
    assertThat(e.getString("tags")).isEqualTo("region=eu");
    assertThat(e.getString("statistic")).isEqualTo("COUNT");
    assertThat(e.getDouble("value")).isEqualTo(4.0);
  }

  @Test
  void everyEvent_isNamedLabelledDescribedAndInTheCairnCategory() {
    record(
        r -> {},
        () -> {
          // loads every event class
          JfrSinks.spanEnd(JfrSinks.spanStart(), TraceContext.newRoot(true), "x", "k", "s");
        });
    List<EventType> cairn =
        FlightRecorder.getFlightRecorder().getEventTypes().stream()
            .filter(t -> t.getName().startsWith("cairn."))
            .collect(java.util.stream.Collectors.toList());
    assertThat(cairn).extracting(EventType::getName).contains("cairn.Span", "cairn.Scope");
    assertThat(cairn)
        .allSatisfy(
            t -> {
              assertThat(t.getLabel()).isNotBlank();
              assertThat(t.getDescription()).isNotBlank();
              assertThat(t.getCategoryNames()).first().isEqualTo("Cairn");
            });
  }

  @Test
  void noRecording_scopeAndSpanAllocateNothingExtra() {
    TraceContext ctx = TraceContext.newRoot(true);
    Runnable span = () -> JfrSinks.spanEnd(JfrSinks.spanStart(), ctx, "n", "k", "s");
    for (int i = 0; i < 200_000; i++) {
      span.run(); // JIT warm-up so escape analysis removes the probe event
    }
    assertThat(Recordings.allocatedBy(span)).isZero();
  }

  @Test
  void writeSettings_writesBothFilesThatParseAsJfrConfigurations(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    List<java.nio.file.Path> files = CairnJfr.writeSettings(dir);
    assertThat(files).hasSize(2);
    for (java.nio.file.Path f : files) {
      jdk.jfr.Configuration c = jdk.jfr.Configuration.create(f);
      assertThat(c.getSettings()).containsEntry("cairn.Span#enabled", "true");
    }
    assertThat(jdk.jfr.Configuration.create(files.get(0)).getSettings())
        .containsEntry("cairn.Span#rate", "1000/s");
  }

  private static EventType eventType(String name) {
    return FlightRecorder.getFlightRecorder().getEventTypes().stream()
        .filter(t -> t.getName().equals(name))
        .findFirst()
        .orElseGet(
            () -> {
              // Types register on first use; force them through a recording.
              record(r -> {}, () -> jdk.jfr.FlightRecorder.getFlightRecorder());
              return EventType.getEventType(classOf(name));
            });
  }

  private static Class<? extends jdk.jfr.Event> classOf(String name) {
    switch (name) {
      case "cairn.Span":
        return dev.cairn.jfr.internal.SpanEvent.class;
      case "cairn.Scope":
        return dev.cairn.jfr.internal.ScopeEvent.class;
      default:
        return dev.cairn.jfr.internal.LogEvent.class;
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
