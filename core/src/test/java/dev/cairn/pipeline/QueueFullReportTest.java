package dev.cairn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cairn.export.ExportResult;
import dev.cairn.internal.Reporter;
import dev.cairn.testing.InMemoryExporter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Issue 13 item 13: when the worker is stuck in an export call, a full queue is reported at once
 * (by the producer that found it full), not when the call returns, and at most once per 10 s.
 */
@Timeout(30)
class QueueFullReportTest {

  @Test
  void fullQueue_whileTheExporterIsStuck_isReportedAtOnceAndOnlyOnce() throws Exception {
    Logger self = (Logger) LoggerFactory.getLogger(Reporter.LOGGER_NAME);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    self.addAppender(lines);
    String name = "stuck-" + System.nanoTime();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    InMemoryExporter<Integer> exporter =
        new InMemoryExporter<Integer>(name)
            .behave(
                b -> {
                  entered.countDown();
                  try {
                    release.await(); // a blackholed backend: the call does not return
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return ExportResult.success();
                });
    Pipeline<Integer> p =
        Pipeline.<Integer>builder("test")
            .addExporter(
                exporter,
                ExportSettings.builder()
                    .queueCapacity(16)
                    .maxBatchSize(4)
                    .scheduleDelay(Duration.ofMillis(1))
                    .build())
            .build();
    try {
      for (int i = 0; i < 4; i++) {
        p.emit(i);
      }
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 1_000; i++) {
        p.emit(i);
      }
      // No waiting: the line was written before the emit that first dropped returned.
      List<ILoggingEvent> queueFull =
          lines.list.stream()
              .filter(e -> e.getFormattedMessage().contains("'" + name + "' queue is full"))
              .toList();
      assertThat(queueFull).hasSize(1);
      assertThat(queueFull.get(0).getLevel()).isEqualTo(Level.WARN);
      assertThat(queueFull.get(0).getFormattedMessage())
          .isEqualTo(
              "Cairn exporter '" + name + "' queue is full: 1 test dropped so far"
                  + " (cairn.export.dropped{reason=queue_full}); the receiver is slower than the"
                  + " application, or down");
      assertThat(p.health().get(0).droppedByReason()).containsEntry("queue_full", 1_000L - 16);
    } finally {
      self.detachAppender(lines);
      release.countDown();
      p.close(Duration.ofSeconds(10));
      p.threads().get(0).join(10_000);
    }
  }
}
