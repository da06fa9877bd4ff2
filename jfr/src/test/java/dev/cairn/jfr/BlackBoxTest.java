package dev.cairn.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.internal.SelfCounters;
import dev.cairn.span.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlackBoxTest {
  @TempDir Path dir;
  CairnJfr jfr;

  @AfterEach
  void close() {
    if (jfr != null) {
      jfr.close();
    }
  }

  private BlackBox blackBox(CairnJfr.Builder b) {
    jfr = b.blackBox(dir).build();
    return jfr.blackBox().orElseThrow();
  }

  @Test
  void dump_writesAFileHoldingTheSpansRecordedBeforeIt() throws Exception {
    BlackBox box = blackBox(CairnJfr.builder());
    String spanId;
    try (Cairn cairn = Cairn.builder().addSpanListener(jfr.spanListener()).build()) {
      Span s = cairn.tracer().startSpan("before-the-crash");
      s.end();
      spanId = s.context().spanIdHex();
    }
    Optional<Path> file = box.dump("api").get(30, TimeUnit.SECONDS);

    assertThat(file).isPresent();
    assertThat(file.get().getParent()).isEqualTo(dir);
    assertThat(file.get().getFileName().toString()).startsWith("cairn-blackbox-").endsWith("-api.jfr");
    List<RecordedEvent> events = RecordingFile.readAllEvents(file.get());
    assertThat(events)
        .filteredOn(e -> e.getEventType().getName().equals("cairn.Span"))
        .extracting(e -> e.getString("spanId"))
        .contains(spanId);
    // The JDK's default settings ride along: the dump is a normal, complete recording.
    assertThat(events).anyMatch(e -> e.getEventType().getName().startsWith("jdk."));
    assertThat(box.files()).containsExactly(file.get());
  }

  @Test
  void dump_atMostOncePerIntervalAndCountsTheRest() throws Exception {
    BlackBox box = blackBox(CairnJfr.builder().blackBoxMinInterval(Duration.ofHours(1)));
    long limitedBefore = limited();
    assertThat(box.dump("api").get(30, TimeUnit.SECONDS)).isPresent();
    assertThat(box.dump("api").get(30, TimeUnit.SECONDS)).isEmpty();
    assertThat(box.files()).hasSize(1);
    assertThat(limited() - limitedBefore).isEqualTo(1);
  }

  @Test
  void dump_keepsOnlyTheNewestFiles() throws Exception {
    BlackBox box =
        blackBox(CairnJfr.builder().blackBoxMinInterval(Duration.ZERO).blackBoxMaxFiles(2));
    Path first = box.dump("one").get(30, TimeUnit.SECONDS).orElseThrow();
    Thread.sleep(5); // distinct millisecond in the file name
    Path second = box.dump("two").get(30, TimeUnit.SECONDS).orElseThrow();
    Thread.sleep(5);
    Path third = box.dump("three").get(30, TimeUnit.SECONDS).orElseThrow();
    assertThat(box.files()).containsExactly(second, third);
    assertThat(first).doesNotExist();
  }

  @Test
  void errorLog_triggersADump() throws Exception {
    BlackBox box = blackBox(CairnJfr.builder());
    jfr.log("WARN", "app.Payments", "slow", null);
    jfr.log("ERROR", "app.Payments", "payment failed", new IllegalStateException());
    assertThat(awaitFile(box).getFileName().toString()).contains("error_log_app_Payments");
  }

  @Test
  void slowSpan_triggersADump() throws Exception {
    BlackBox box = blackBox(CairnJfr.builder().dumpOnSlowSpan(Duration.ofMillis(30)));
    try (Cairn cairn = Cairn.builder().addSpanListener(jfr.spanListener()).build()) {
      cairn.tracer().startSpan("fast").end();
      Span slow = cairn.tracer().startSpan("slow-query");
      Thread.sleep(50);
      slow.end();
    }
    assertThat(awaitFile(box).getFileName().toString()).contains("slow_span_slow_query");
  }

  @Test
  void uncaughtException_triggersADumpAndStillReachesThePreviousHandler() throws Exception {
    AtomicReference<Throwable> seen = new AtomicReference<>();
    Thread.UncaughtExceptionHandler original = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> seen.set(e));
    try {
      BlackBox box = blackBox(CairnJfr.builder());
      Thread t =
          new Thread(
              () -> {
                throw new IllegalStateException("boom");
              });
      t.start();
      t.join();
      assertThat(awaitFile(box).getFileName().toString()).contains("uncaught_exception");
      assertThat(seen.get()).hasMessage("boom");
      jfr.close();
      // Closing restores the handler Cairn replaced.
      assertThat(Thread.getDefaultUncaughtExceptionHandler()).isNotNull();
      Thread.getDefaultUncaughtExceptionHandler().uncaughtException(t, new RuntimeException("after"));
      assertThat(seen.get()).hasMessage("after");
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(original);
    }
  }

  private static Path awaitFile(BlackBox box) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      List<Path> files = box.files();
      if (!files.isEmpty() && sizeOf(files.get(0)) > 0) {
        return files.get(0);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no dump in " + box.directory());
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static long limited() {
    return SelfCounters.GLOBAL.all().stream()
        .filter(c -> c.name().equals("cairn.jfr.blackbox.dumps"))
        .filter(c -> "rate_limited".equals(c.tag("result")))
        .mapToLong(c -> c.count())
        .sum();
  }
}
