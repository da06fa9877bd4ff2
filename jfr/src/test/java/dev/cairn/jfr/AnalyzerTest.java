package dev.cairn.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.context.Scope;
import dev.cairn.jfr.internal.Cli;
import dev.cairn.span.Span;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The offline analyzer over a real recording file, output checked with Jackson. */
class AnalyzerTest {
  @TempDir Path dir;

  @Test
  void analyze_breaksDownEachSpanOfARecordingFileWithItsCpuSamples() throws Exception {
    Path file = dir.resolve("app.jfr");
    String contended;
    String busy;
    try (CairnJfr jfr = CairnJfr.builder().build();
        Cairn cairn = Cairn.builder().addSpanListener(jfr.spanListener()).build();
        Recording r = new Recording()) {
      r.enable("cairn.Span").withThreshold(Duration.ZERO).with("rate", "off");
      r.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ofMillis(5));
      r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(5));
      r.start();
      contended = contendedSpan(cairn);
      Span s = cairn.tracer().startSpan("busy");
      long until = System.nanoTime() + 800_000_000L;
      double x = 1;
      while (System.nanoTime() < until) {
        x = Math.sqrt(x + 1); // on the CPU
      }
      s.end();
      busy = s.context().spanIdHex();
      assertThat(x).isPositive();
      r.stop();
      r.dump(file);
    }

    JsonNode spans = JsonMapper.builder().build().readTree(run("analyze", file.toString(), "--json")).path("spans");
    JsonNode lock = find(spans, contended);
    assertThat(lock.path("name").asString()).isEqualTo("reserve");
    assertThat(lock.path("lockWaitNanos").asLong()).isGreaterThan(150_000_000L);
    assertThat(lock.path("causes").get(0).path("kind").asString()).isEqualTo("LOCK_WAIT");
    assertThat(lock.path("causes").get(0).path("detail").asString()).contains("holder");
    JsonNode cpu = find(spans, busy);
    assertThat(cpu.path("lockWaitNanos").asLong()).isZero();
    assertThat(cpu.path("cpuSamples").asInt()).isPositive();
    assertThat(cpu.path("cpuTopFrames").get(0).path("frame").asString()).isNotEmpty();

    assertThat(run("analyze", file.toString(), "--min-duration", "100"))
        .contains("slow span name=\"reserve\"")
        .contains("lock_ms=")
        .contains("cpu_samples=");
  }

  @Test
  void unknownCommand_printsUsageAndFails() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Cli.run(
            new String[] {"explain"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage").contains("analyze");
  }

  private static String contendedSpan(Cairn cairn) throws InterruptedException {
    Object lock = new Object();
    CountDownLatch held = new CountDownLatch(1);
    Thread waiter = Thread.currentThread();
    Thread holder =
        new Thread(
            () -> {
              synchronized (lock) {
                held.countDown();
                // Hold on until the span's thread is really blocked on the lock, then some more:
                // on a loaded machine it may take a while to get there.
                StallAttributionTest.awaitBlocked(waiter);
                StallAttributionTest.sleep(250);
              }
            },
            "holder");
    holder.start();
    held.await();
    Span span = cairn.tracer().startSpan("reserve");
    try (Scope ignored = span.makeCurrent()) {
      synchronized (lock) {
        // waits for the holder
      }
    } finally {
      span.end();
    }
    holder.join();
    return span.context().spanIdHex();
  }

  private static JsonNode find(JsonNode spans, String spanId) {
    for (JsonNode s : spans) {
      if (s.path("spanId").asString().equals(spanId)) {
        return s;
      }
    }
    throw new AssertionError("span " + spanId + " not in " + spans);
  }

  private static String run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        Cli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(code).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }
}
