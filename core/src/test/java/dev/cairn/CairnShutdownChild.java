package dev.cairn;

import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import dev.cairn.export.NdjsonExporter;
import dev.cairn.export.SpanNdjson;
import dev.cairn.pipeline.ExportSettings;
import dev.cairn.pipeline.ExporterHealth;
import dev.cairn.span.SpanData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A child JVM for {@link CairnShutdownTest}: one lifecycle scenario per mode, results on stdout. */
public final class CairnShutdownChild {
  private CairnShutdownChild() {}

  /** An exporter whose receiver never answers, and which even ignores interrupts. */
  static final class DeadExporter implements Exporter<SpanData> {
    @Override
    public String name() {
      return "dead";
    }

    @Override
    public ExportResult export(List<SpanData> batch) {
      while (true) {
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException ignored) {
          // a badly written exporter: Cairn must not depend on it cooperating
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    ExportSettings slow = ExportSettings.builder().scheduleDelay(Duration.ofMinutes(1)).build();
    switch (mode) {
      case "explicit": {
        Cairn cairn =
            Cairn.builder()
                .shutdownHook(false)
                .closeTimeout(Duration.ofMillis(500))
                .addSpanExporter(new DeadExporter(), ExportSettings.builder().maxBatchSize(1).build())
                .build();
        for (int i = 0; i < 1000; i++) {
          cairn.tracer().startSpan("s").end();
        }
        long t0 = System.nanoTime();
        boolean ok = cairn.close(Duration.ofMillis(500));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        ExporterHealth h = cairn.exporterHealth().get(0);
        System.out.println("closed " + ok + " " + ms);
        System.out.println("accounting " + (h.exported() + h.dropped() + h.queued()));
        System.out.println("nondaemon " + nonDaemonCairnThreads());
        return; // the stuck worker is a daemon: the JVM must still exit
      }
      case "hook": {
        Cairn cairn =
            Cairn.builder()
                .closeTimeout(Duration.ofMillis(500))
                .addSpanExporter(new DeadExporter(), slow)
                .build();
        for (int i = 0; i < 1000; i++) {
          cairn.tracer().startSpan("s").end();
        }
        System.out.println("emitted");
        return; // no close(): the shutdown hook closes within its deadline
      }
      case "deliver": {
        Cairn cairn =
            Cairn.builder()
                .closeTimeout(Duration.ofSeconds(20))
                .addSpanExporter(
                    NdjsonExporter.builder(SpanNdjson.encoder()).file(Path.of(args[1])).build(),
                    ExportSettings.builder().queueCapacity(16384).scheduleDelay(Duration.ofMinutes(1)).build())
                .build();
        for (int i = 0; i < 10_000; i++) {
          cairn.tracer().startSpan("s" + i).end();
        }
        System.out.println("emitted");
        return; // the shutdown hook delivers everything still queued
      }
      default:
        throw new IllegalArgumentException(mode);
    }
  }

  static long nonDaemonCairnThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("cairn-") && !t.isDaemon() && t.isAlive())
        .count();
  }
}
