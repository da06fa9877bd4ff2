package dev.cairn.jfr;

import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * JDK events as Micrometer timers, from an in-process JFR stream: contended monitor waits
 * ({@code cairn.jfr.lock.wait}), pinned virtual threads ({@code cairn.jfr.virtual_thread.pinned},
 * JDK 21+) and GC pauses ({@code cairn.jfr.gc.pause}). Waits shorter than the threshold are not
 * recorded by JFR and so not counted. No tags, so cardinality is fixed.
 */
final class JdkEventMeters implements AutoCloseable {
  private final RecordingStream stream;

  JdkEventMeters(MeterRegistry registry, Duration threshold) {
    Timer lock =
        Timer.builder("cairn.jfr.lock.wait")
            .description("Time threads waited to enter contended monitors (JFR jdk.JavaMonitorEnter)")
            .register(registry);
    Timer pinned =
        Timer.builder("cairn.jfr.virtual_thread.pinned")
            .description("Time virtual threads were pinned to their carrier (JFR jdk.VirtualThreadPinned)")
            .register(registry);
    Timer gc =
        Timer.builder("cairn.jfr.gc.pause")
            .description("GC pause time (JFR jdk.GCPhasePause)")
            .register(registry);
    stream = new RecordingStream();
    stream.setMaxAge(Duration.ofSeconds(10));
    stream.enable("jdk.JavaMonitorEnter").withThreshold(threshold).withoutStackTrace();
    stream.enable("jdk.VirtualThreadPinned").withThreshold(threshold).withoutStackTrace();
    stream.enable("jdk.GCPhasePause").withThreshold(Duration.ZERO);
    // A stream also sees what other recordings enabled with lower thresholds: apply ours, so the
    // meters do not change with whoever else is recording.
    stream.onEvent("jdk.JavaMonitorEnter", e -> record(lock, e, threshold));
    stream.onEvent("jdk.VirtualThreadPinned", e -> record(pinned, e, threshold));
    stream.onEvent("jdk.GCPhasePause", e -> record(gc, e, Duration.ZERO));
    stream.onError(t -> Reporter.warn("jfr.meters", "cairn: JDK event meters stream failed", t));
    stream.startAsync();
  }

  private static void record(Timer timer, RecordedEvent e, Duration threshold) {
    try {
      Duration d = e.getDuration();
      if (d.compareTo(threshold) >= 0) {
        timer.record(d);
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
    }
  }

  @Override
  public void close() {
    stream.close();
  }
}
