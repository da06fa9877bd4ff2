package dev.cairn.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.pipeline.ExporterHealth;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The close line's wording for the cases the end-to-end tests do not reach cheaply. */
class CloseLineTest {
  private static final long FIVE_SECONDS = 5_000_000_000L;

  private static ExporterHealth health(long queued, long exported, Map<String, Long> dropped, String error) {
    return new ExporterHealth(
        "spans", "otlp", 2048, queued, exported, dropped, Map.of(), 3, 0, 0,
        Optional.ofNullable(error));
  }

  @Test
  void closeLine_withFailedBatchesAndAnAbandonedCall_listsEachReasonAndTheLastError() {
    ExporterHealth h =
        health(0, 120, Map.of("export_failed", 4L, "shutdown", 5L), "retries_exhausted: HTTP 503");
    assertThat(CloseLine.of(h, FIVE_SECONDS - 3_000, false, 5, "HTTP 503"))
        .isEqualTo(
            "Cairn exporter 'otlp' closed: 120 spans exported, 9 dropped (4 export failed, 5 close"
                + " deadline 5s); the export call in progress was retrying after HTTP 503; last"
                + " error: retries_exhausted: HTTP 503");
  }

  @Test
  void closeLine_whenOnlyTheExportersOwnCloseHung_saysSo() {
    ExporterHealth h = health(0, 7, Map.of(), null);
    assertThat(CloseLine.of(h, 250_000_000L, false, 0, null))
        .isEqualTo(
            "Cairn exporter 'otlp' closed: 7 spans exported, 0 dropped; the exporter did not"
                + " finish closing within 250ms");
  }

  @Test
  void closeLine_withEarlierQueueFullDrops_countsThemWithoutALastError() {
    ExporterHealth h = health(0, 10, Map.of("queue_full", 2L), "an old error");
    assertThat(CloseLine.of(h, FIVE_SECONDS, true, 0, null))
        .isEqualTo("Cairn exporter 'otlp' closed: 10 spans exported, 2 dropped (2 queue full)");
  }
}
