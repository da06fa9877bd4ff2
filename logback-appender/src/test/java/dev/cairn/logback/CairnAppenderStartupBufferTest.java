package dev.cairn.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.logging.LogRecord;
import dev.cairn.pipeline.Pipeline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The forwarding appender's start-up buffer: bounded by count and bytes, and released. */
class CairnAppenderStartupBufferTest {
  private static final int MIB = 1024 * 1024;
  private static final long DEFAULT_CAP = 4L * MIB;

  private final LoggerContext context = new LoggerContext();
  private final List<LogRecord> received = new CopyOnWriteArrayList<>();
  private final Pipeline<LogRecord> pipeline =
      Pipeline.<LogRecord>builder("logs").addSink(received::add).build();

  private Logger logger(CairnAppender appender) {
    context.setMDCAdapter(MDC.getMDCAdapter());
    appender.setContext(context);
    appender.setName("CAIRN");
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return context.getLogger("com.example.Boot");
  }

  private static SelfCounter dropped(String reason) {
    return SelfCounters.GLOBAL.counter(
        "cairn.logback.appender.startup.dropped", "", "records", "reason", reason);
  }

  @AfterEach
  void stop() {
    context.stop();
    pipeline.close(Duration.ofSeconds(2));
  }

  @Test
  void startupBuffer_whenNoPipelineAndMiBRecords_holdsNoMoreThanTheByteCapAndCountsEachDrop() {
    CairnAppender a = new CairnAppender();
    a.setUseGlobal(false); // no pipeline will ever come from anywhere
    a.setMaxMessageChars(2 * MIB); // the records really hold their 1 MiB message
    Logger log = logger(a);
    long before = dropped("buffer-bytes").count();
    String mib = "x".repeat(MIB);

    for (int i = 0; i < 1024; i++) {
      log.info("{}{}", i, mib);
    }

    // Each record is estimated at 2 bytes per character: a little over 2 MiB, so the default
    // 4 MiB cap holds one of them (the count bound, 1,024, would have held all of them).
    assertThat(a.startupBufferedBytes()).isLessThanOrEqualTo(DEFAULT_CAP);
    assertThat(a.startupBuffered()).isEqualTo(1);
    assertThat(a.startupDropped()).isEqualTo(1023);
    assertThat(dropped("buffer-bytes").count() - before).isEqualTo(1023);
  }

  @Test
  void startupBuffer_withDefaultsAndMiBMessages_staysUnderTheCapAndCountsExactly() {
    CairnAppender a = new CairnAppender();
    a.setUseGlobal(false);
    Logger log = logger(a);
    String mib = "x".repeat(MIB);

    for (int i = 0; i < 1024; i++) {
      MDC.put("payload", mib); // an MDC value is cut like the message
      try {
        log.info("{}{}", i, mib);
      } finally {
        MDC.remove("payload");
      }
    }

    assertThat(a.startupBufferedBytes()).isPositive().isLessThanOrEqualTo(DEFAULT_CAP);
    assertThat(a.startupBuffered()).isBetween(1, 1023);
    assertThat(a.startupDropped()).isEqualTo(1024 - a.startupBuffered());
  }

  @Test
  void startupBuffer_whenNoGlobalPipelineWithinTheGracePeriod_isReleasedAndItsRecordsCounted() {
    AtomicLong now = new AtomicLong();
    CairnAppender a = new CairnAppender();
    a.nanoClock(now::get);
    a.setStartupGraceMillis(60_000);
    Logger log = logger(a); // waits for Cairn.global()'s logs pipeline, which never comes
    long before = dropped("no-pipeline").count();
    log.info("early 1");
    log.info("early 2");
    log.info("early 3");
    assertThat(a.startupBuffered()).isEqualTo(3);

    now.addAndGet(TimeUnit.SECONDS.toNanos(61));
    log.info("after the grace period");

    assertThat(a.startupBuffered()).isZero();
    assertThat(a.startupBufferedBytes()).isZero();
    assertThat(a.startupDropped()).isEqualTo(4);
    assertThat(dropped("no-pipeline").count() - before).isEqualTo(4);
  }

  @Test
  void startupBuffer_whenReleasedAndAPipelineAppearsLater_forwardsFromThenOn() {
    AtomicLong now = new AtomicLong();
    CairnAppender a = new CairnAppender();
    a.nanoClock(now::get);
    Logger log = logger(a);
    log.info("early");
    now.addAndGet(TimeUnit.SECONDS.toNanos(61));
    log.info("dropped");

    a.setPipeline(pipeline);
    log.info("live");

    assertThat(received).extracting(LogRecord::message).containsExactly("live");
    assertThat(a.startupDropped()).isEqualTo(2);
  }

  @Test
  void startupBuffer_whenTheGlobalLookupIsOff_isKeptPastTheGracePeriodForItsOwner() {
    AtomicLong now = new AtomicLong();
    CairnAppender a = new CairnAppender();
    a.nanoClock(now::get);
    a.setUseGlobal(false); // as the Spring Boot starter's start-up capture does
    Logger log = logger(a);
    log.info("early 1");
    now.addAndGet(TimeUnit.MINUTES.toNanos(10));
    log.info("early 2");

    a.setPipeline(pipeline);

    assertThat(received).extracting(LogRecord::message).containsExactly("early 1", "early 2");
    assertThat(a.startupDropped()).isZero();
  }

  @Test
  void startupBuffer_whenAPipelineAppears_deliversTheRecordsThatFitInOrder() {
    CairnAppender a = new CairnAppender();
    a.setUseGlobal(false);
    String big = "y".repeat(10_000); // about 20 KB each by the estimate
    a.setStartupBufferBytes(3 * 20_000 + 10_000);
    Logger log = logger(a);
    for (int i = 1; i <= 5; i++) {
      log.info("{} {}", i, big);
    }
    assertThat(a.startupDropped()).isEqualTo(2);

    a.setPipeline(pipeline);
    log.info("live");

    assertThat(received)
        .extracting(r -> r.message().substring(0, Math.min(4, r.message().length())))
        .containsExactly("1 yy", "2 yy", "3 yy", "live");
    assertThat(a.startupBufferedBytes()).isZero();
  }

  @Test
  void startupBuffer_whenTheAppenderStopsWithoutPipeline_isReleasedAndCounted() {
    CairnAppender a = new CairnAppender();
    a.setUseGlobal(false);
    Logger log = logger(a);
    long before = dropped("no-pipeline").count();
    log.info("early 1");
    log.info("early 2");

    a.stop();

    assertThat(a.startupBufferedBytes()).isZero();
    assertThat(a.startupDropped()).isEqualTo(2);
    assertThat(dropped("no-pipeline").count() - before).isEqualTo(2);
  }

  @Test
  void retainedBytes_ofARecord_countsEveryStringItHolds() {
    LogRecord small = LogRecord.builder().message("m").build();
    LogRecord full =
        LogRecord.builder()
            .message("m")
            .mdc("k", "v".repeat(1000))
            .attribute("a", "w".repeat(1000))
            .tag("t".repeat(1000))
            .exception("T", "x".repeat(1000), "s".repeat(1000))
            .build();

    assertThat(StartupBuffer.retainedBytes(full) - StartupBuffer.retainedBytes(small))
        .isGreaterThanOrEqualTo(5 * 2 * 1000);
  }
}
