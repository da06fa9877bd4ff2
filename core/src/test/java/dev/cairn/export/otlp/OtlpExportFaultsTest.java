package dev.cairn.export.otlp;

import static dev.cairn.internal.http.LoopbackServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cairn.Cairn;
import dev.cairn.internal.http.LoopbackServer;
import dev.cairn.pipeline.ExportSettings;
import dev.cairn.pipeline.ExporterHealth;
import dev.cairn.resource.Resource;
import dev.cairn.span.Tracer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Bounded versions of the dead/hostile backend figures (RELIABILITY A1–A3) with the real OTLP
 * exporter behind Cairn's pipeline: application threads keep going, the counts reconcile exactly,
 * close keeps its deadline, and a backend that comes back gets what is still queued. The slowest
 * span end is printed for the report, never asserted.
 */
class OtlpExportFaultsTest {
  private static final Resource RESOURCE = Resource.builder().serviceName("faults").build();

  /** Runs {@code threads} × {@code perThread} span start+end; returns the slowest end in ns. */
  private static long produce(Tracer tracer, int threads, int perThread) throws InterruptedException {
    AtomicLong slowest = new AtomicLong();
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < perThread; i++) {
                    var span = tracer.startSpan("op");
                    long start = System.nanoTime();
                    span.end();
                    slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
                  }
                } finally {
                  done.countDown();
                }
              });
      th.start();
    }
    done.await();
    return slowest.get();
  }

  private static void assertReconciles(ExporterHealth h, long produced) {
    assertThat(h.produced()).isEqualTo(produced);
    assertThat(h.exported() + h.dropped() + h.queued()).isEqualTo(produced);
  }

  @Test
  void blackholeBackend_appThreadsContinue_countsReconcile_closeKeepsItsDeadline() throws Exception {
    try (BlackholeBackend blackhole = new BlackholeBackend()) {
      OtlpSpanExporter otlp =
          OtlpSpanExporter.builder()
              .endpoint(blackhole.tracesEndpoint())
              .timeout(Duration.ofMillis(300))
              .maxAttempts(2)
              .maxElapsed(Duration.ofSeconds(2))
              .resource(RESOURCE)
              .build();
      Cairn cairn =
          Cairn.builder()
              .resource(RESOURCE)
              .addSpanExporter(
                  otlp,
                  ExportSettings.builder().queueCapacity(256).maxBatchSize(64).scheduleDelay(Duration.ofMillis(50)).build())
              .shutdownHook(false)
              .build();
      long slowest = produce(cairn.tracer(), 4, 2_000);
      System.out.println("blackhole: slowest span end " + slowest / 1000 + " µs");
      ExporterHealth h = cairn.exporterHealth().get(0);
      assertReconciles(h, 8_000);
      assertThat(h.droppedByReason()).containsKey("queue_full");
      assertThat(h.exported()).isZero();
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> cairn.close(Duration.ofSeconds(1)));
      assertReconciles(cairn.exporterHealth().get(0), 8_000);
    }
  }

  @Test
  void backendThatComesBackReceivesWhatIsStillQueued() throws Exception {
    try (LoopbackServer server = new LoopbackServer()) {
      server.then(status(503, "", Map.of("Retry-After", "0")), status(503, ""), status(502, ""));
      OtlpSpanExporter otlp =
          OtlpSpanExporter.builder()
              .endpoint(server.uri("/v1/traces"))
              .maxAttempts(5)
              .resource(RESOURCE)
              .build();
      try (Cairn cairn =
          Cairn.builder()
              .resource(RESOURCE)
              .addSpanExporter(otlp, ExportSettings.builder().queueCapacity(2048).maxBatchSize(512).build())
              .shutdownHook(false)
              .build()) {
        produce(cairn.tracer(), 2, 500);
        assertThat(cairn.flush(Duration.ofSeconds(20))).isTrue();
        ExporterHealth h = cairn.exporterHealth().get(0);
        assertReconciles(h, 1_000);
        assertThat(h.exported()).isEqualTo(1_000);
        assertThat(h.dropped()).isZero();
      }
    }
  }
}
