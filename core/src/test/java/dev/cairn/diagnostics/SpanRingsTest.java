package dev.cairn.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import dev.cairn.resource.Resource;
import dev.cairn.span.Span;
import dev.cairn.span.SpanData;
import dev.cairn.span.SpanKind;
import dev.cairn.span.StatusCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class SpanRingsTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  @Test
  void slowSpansAndFailedSpansReachTheRingsThroughTheSyncSink() {
    SlowSpans slow = SlowSpans.create(8, Duration.ofMillis(100));
    RecentErrors errors = RecentErrors.create(8);
    try (Cairn cairn =
        Cairn.builder().serviceName("orders").shutdownHook(false)
            .addSpanSink(SpanRings.sink(slow, errors)).build()) {
      long t0 = 1_700_000_000_000_000_000L;
      cairn.tracer().spanBuilder("GET /fast").setStartTimestamp(t0).startSpan().end(t0 + 5_000_000);
      Span s =
          cairn.tracer().spanBuilder("GET /orders").setKind(SpanKind.SERVER)
              .setAttribute("http.route", "/orders").setStartTimestamp(t0).startSpan();
      s.setStatus(StatusCode.ERROR, "upstream timeout");
      s.end(t0 + 300_000_000);

      assertThat(slow.snapshot()).singleElement().satisfies(e -> {
        assertThat(e.name()).isEqualTo("GET /orders");
        assertThat(e.kind()).isEqualTo("server");
        assertThat(e.durationNanos()).isEqualTo(300_000_000);
        assertThat(e.error()).isTrue();
        assertThat(e.attributes()).containsEntry("http.route", "/orders");
        assertThat(e.traceId()).isEqualTo(s.context().traceIdHex());
      });
      assertThat(errors.snapshot()).singleElement().satisfies(e -> {
        assertThat(e.source()).isEqualTo("span GET /orders");
        assertThat(e.message()).isEqualTo("upstream timeout");
      });
    }
  }

  @Test
  void sink_withoutArguments_feedsTheGlobalRecentTracesToo() {
    // The demo attached SpanRings.sink() and its /traces page stayed empty: it fed two rings of three.
    String name = "GET /probe/" + java.util.UUID.randomUUID();
    try (Cairn cairn =
        Cairn.builder().shutdownHook(false).addSpanSink(SpanRings.sink()).build()) {
      cairn.tracer().spanBuilder(name).startSpan().end();
    }

    assertThat(RecentTraces.global().snapshot()).anyMatch(s -> s.name().equals(name));
  }

  @Test
  void ringsKeepTheNewestAndCountOverwrites() {
    RecentErrors errors = RecentErrors.create(4);
    for (int i = 0; i < 10; i++) {
      errors.record("test", "error " + i, null);
    }

    assertThat(errors.snapshot()).extracting(RecentErrors.Entry::message)
        .containsExactly("error 9", "error 8", "error 7", "error 6");
    assertThat(errors.overwritten()).isEqualTo(6);
    assertThat(errors.recorded()).isEqualTo(10);
  }

  @Test
  void recordingNeverThrowsEvenWhenTheExceptionDoes() {
    RecentErrors errors = RecentErrors.create(4);
    RuntimeException hostile = new RuntimeException() {
      private static final long serialVersionUID = 1L;

      @Override
      public String getMessage() {
        throw new IllegalStateException("hostile");
      }
    };

    errors.record("test", "m", hostile);

    assertThat(errors.recorded()).isZero();
  }

  @Test
  void healthShowsTheExporterHealthOfTheCairnInstance() {
    Exporter<SpanData> failing = new Exporter<>() {
      @Override
      public String name() {
        return "always-fails";
      }

      @Override
      public ExportResult export(List<SpanData> batch) {
        throw new IllegalStateException("backend down");
      }
    };
    try (Cairn cairn =
        Cairn.builder().serviceName("orders").shutdownHook(false).closeTimeout(Duration.ofMillis(500))
            .addSpanExporter(failing).build()) {
      cairn.tracer().spanBuilder("work").startSpan().end();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (cairn.exporterHealth().get(0).failed() + cairn.exporterHealth().get(0).dropped() == 0
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        cairn.flush(Duration.ofMillis(50));
      }
      Diagnostics d = Diagnostics.builder().cairn(cairn).discoverContributors(false).build();

      try (Diagnostics.Reply r = d.handle(DiagnosticsRequest.of("GET", "/health", Map.of()))) {
        JsonNode n = JACKSON.readTree(new String(r.bodyBytes(), StandardCharsets.UTF_8));
        JsonNode h = n.get("exporterHealth").get(0);
        assertThat(h.get("exporter").asString()).isEqualTo("always-fails");
        assertThat(h.get("signal").asString()).isEqualTo("spans");
        assertThat(h.get("failed").asLong() + h.get("dropped").asLong()).isPositive();
        assertThat(h.get("failing").asBoolean()).isTrue();
        assertThat(h.get("lastFailure").asString()).isNotEmpty();
        assertThat(h.get("lastSuccess").asString()).isEmpty();
      }
    }
  }

  @Test
  void fingerprintHashIsAttachedToTheResource() {
    Fingerprint fp = Fingerprint.capture();

    Resource r = fp.attachTo(Resource.builder().serviceName("orders").build());

    assertThat(r.getString(Fingerprint.RESOURCE_ATTRIBUTE)).contains(fp.hash());
    assertThat(r.serviceName()).isEqualTo("orders");
  }
}
