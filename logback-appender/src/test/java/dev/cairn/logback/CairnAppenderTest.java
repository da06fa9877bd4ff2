package dev.cairn.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.diagnostics.RecentErrors;
import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.logging.LogLevel;
import dev.cairn.logging.LogRecord;
import dev.cairn.pipeline.ExportSettings;
import dev.cairn.pipeline.Pipeline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CairnAppenderTest {
  private final LoggerContext context = new LoggerContext();
  private final List<LogRecord> received = new CopyOnWriteArrayList<>();
  private Pipeline<LogRecord> pipeline = Pipeline.<LogRecord>builder("logs").addSink(received::add).build();

  private Logger logger(CairnAppender appender) {
    context.setMDCAdapter(MDC.getMDCAdapter());
    appender.setContext(context);
    appender.setName("CAIRN");
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    return context.getLogger("com.example.Shop");
  }

  private CairnAppender appender() {
    CairnAppender a = new CairnAppender();
    a.setPipeline(pipeline);
    return a;
  }

  @AfterEach
  void stop() {
    context.stop();
    pipeline.close(Duration.ofSeconds(2));
  }

  @Test
  void forwardsAnEventAsALogRecordWithEverythingResolved() {
    Logger log = logger(appender());
    TraceContext ctx = TraceContext.newRoot(true);
    MDC.put("tenant", "acme");
    try (Scope ignored = ctx.makeCurrent()) {
      log.atWarn().addKeyValue("qty", 3).addKeyValue("sku", "A-1").setCause(new IllegalStateException("out"))
          .log("low stock for {}", "A-1");
    } finally {
      MDC.remove("tenant");
    }
    assertThat(received).hasSize(1);
    LogRecord r = received.get(0);
    assertThat(r.level()).isEqualTo(LogLevel.WARN);
    assertThat(r.message()).isEqualTo("low stock for A-1");
    assertThat(r.loggerName()).isEqualTo("com.example.Shop");
    assertThat(r.context().traceIdHex()).isEqualTo(ctx.traceIdHex());
    assertThat(r.context().isSampled()).isTrue();
    assertThat(r.attributes()).containsEntry("qty", 3L).containsEntry("sku", "A-1");
    assertThat(r.mdc()).containsEntry("tenant", "acme");
    assertThat(r.exceptionType()).isEqualTo("java.lang.IllegalStateException");
    assertThat(r.exceptionStackTrace()).startsWith("java.lang.IllegalStateException: out\n\tat ");
  }

  @Test
  void errorLinesAreKeptInTheRecentErrorsRingTheDiagnosticsShow() {
    Logger log = logger(appender());
    TraceContext ctx = TraceContext.newRoot(true);
    String marker = "charge failed " + ctx.spanIdHex();
    try (Scope ignored = ctx.makeCurrent()) {
      log.info("an ordinary line " + ctx.spanIdHex());
      log.error(marker + " password=hunter2", new IllegalStateException("card declined"));
    }
    List<RecentErrors.Entry> mine =
        RecentErrors.global().snapshot().stream()
            .filter(e -> e.message().contains(ctx.spanIdHex()))
            .toList();
    assertThat(mine).singleElement().satisfies(e -> {
      assertThat(e.source()).isEqualTo("com.example.Shop");
      assertThat(e.message()).startsWith(marker).doesNotContain("hunter2");
      assertThat(e.errorType()).isEqualTo("java.lang.IllegalStateException");
      assertThat(e.errorMessage()).isEqualTo("card declined");
      assertThat(e.where()).contains("CairnAppenderTest");
      assertThat(e.traceId()).isEqualTo(ctx.traceIdHex());
    });
  }

  @Test
  void errorLinesStayOutOfTheRingWhenTurnedOff() {
    CairnAppender a = appender();
    a.setRecentErrors(false);
    Logger log = logger(a);
    String marker = "not kept " + TraceContext.newRoot(true).spanIdHex();
    log.error(marker);
    assertThat(RecentErrors.global().snapshot()).noneMatch(e -> e.message().equals(marker));
  }

  @Test
  void argumentToStringRunsOnceOnTheLoggingThreadNeverAfterEnqueue() throws Exception {
    CountDownLatch exported = new CountDownLatch(1);
    List<String> toStringThreads = new CopyOnWriteArrayList<>();
    pipeline =
        Pipeline.<LogRecord>builder("logs")
            .addExporter(
                new Exporter<LogRecord>() {
                  @Override
                  public String name() {
                    return "probe";
                  }

                  @Override
                  public ExportResult export(List<LogRecord> batch) {
                    batch.forEach(r -> r.message().length());
                    exported.countDown();
                    return ExportResult.success();
                  }
                })
            .build();
    Logger log = logger(appender());
    Object arg =
        new Object() {
          @Override
          public String toString() {
            toStringThreads.add(Thread.currentThread().getName());
            return "arg";
          }
        };
    log.atInfo().addKeyValue("obj", arg).log("value {}", arg);
    assertThat(exported.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(toStringThreads).isNotEmpty().allMatch(n -> n.equals(Thread.currentThread().getName()));
  }

  @Test
  void cairnsOwnSelfReportLoggerIsNeverForwarded() {
    Logger log = logger(appender());
    long before = SelfCounters.GLOBAL.total("cairn.logback.appender.refused");
    context.getLogger(dev.cairn.internal.Reporter.LOGGER_NAME).warn("exporter failed");
    log.info("app");
    assertThat(received).extracting(LogRecord::message).containsExactly("app");
    assertThat(SelfCounters.GLOBAL.total("cairn.logback.appender.refused")).isEqualTo(before + 1);
  }

  @Test
  void eventsLoggedOnCairnWorkerThreadsAreRefused() throws Exception {
    Logger log = logger(appender());
    Thread worker = new Thread(() -> log.info("from the exporter's HTTP client"), "cairn-export-logs-otlp");
    worker.start();
    worker.join();
    assertThat(received).isEmpty();
  }

  @Test
  void aSinkThatLogsIntoTheSameAppenderDoesNotRecurse() {
    Logger[] holder = new Logger[1];
    pipeline =
        Pipeline.<LogRecord>builder("logs")
            .addSink(r -> holder[0].info("sink saw {}", r.message()))
            .addSink(received::add)
            .build();
    holder[0] = logger(appender());
    holder[0].info("once");
    assertThat(received).extracting(LogRecord::message).containsExactly("once");
  }

  @Test
  void theCallersInterruptFlagIsPreserved() {
    Logger log = logger(appender());
    Thread.currentThread().interrupt();
    try {
      log.info("while interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(received).extracting(LogRecord::message).containsExactly("while interrupted");
  }

  @Test
  void eventsBeforeThePipelineExistsAreBufferedAndSentWhenItAppears() {
    CairnAppender a = new CairnAppender();
    a.setStartupBufferSize(2);
    Logger log = logger(a);
    long before = SelfCounters.GLOBAL.total("cairn.logback.appender.startup.dropped");
    log.info("early 1");
    log.info("early 2");
    log.info("early 3");
    a.setPipeline(pipeline);
    log.info("ready");
    assertThat(received).extracting(LogRecord::message).containsExactly("early 1", "early 2", "ready");
    assertThat(SelfCounters.GLOBAL.total("cairn.logback.appender.startup.dropped")).isEqualTo(before + 1);
  }

  @Test
  void settingThePipelineReplaysTheStartupBufferAtOnceInOrder() {
    CairnAppender a = new CairnAppender();
    a.setUseGlobal(false);
    Logger log = logger(a);
    log.info("early 1");
    log.warn("early 2");
    assertThat(received).isEmpty();

    a.setPipeline(pipeline);

    assertThat(received).extracting(LogRecord::message).containsExactly("early 1", "early 2");
    log.info("live");
    assertThat(received).extracting(LogRecord::message).containsExactly("early 1", "early 2", "live");
  }

  @Test
  void withoutTheGlobalFallbackBufferedRecordsAreDiscardedAndCountedWhenNoPipelineAppears() {
    CairnAppender a = new CairnAppender();
    a.setUseGlobal(false);
    a.setStartupBufferSize(2);
    Logger log = logger(a);
    log.info("early 1");
    log.info("early 2");
    log.info("early 3");
    assertThat(a.startupDropped()).isEqualTo(1);

    a.stop();

    assertThat(a.startupDropped()).isEqualTo(3);
    assertThat(received).isEmpty();
  }

  @Test
  void aFullExportQueueDropsAndCountsWithoutBlockingTheCaller() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    pipeline =
        Pipeline.<LogRecord>builder("logs")
            .addExporter(
                new Exporter<LogRecord>() {
                  @Override
                  public String name() {
                    return "stuck";
                  }

                  @Override
                  public ExportResult export(List<LogRecord> batch) {
                    try {
                      release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    return ExportResult.success();
                  }
                },
                ExportSettings.builder().queueCapacity(4).maxBatchSize(1).build())
            .build();
    Logger log = logger(appender());
    long before = SelfCounters.GLOBAL.total("cairn.export.dropped");
    for (int i = 0; i < 100; i++) {
      log.info("event {}", i);
    }
    release.countDown();
    assertThat(SelfCounters.GLOBAL.total("cairn.export.dropped") - before).isGreaterThanOrEqualTo(90);
  }

  @Test
  void behindAsyncAppenderTheRecordCarriesTheLoggingThreadsTraceId() throws Exception {
    context.setMDCAdapter(MDC.getMDCAdapter());
    CairnAppender cairn = appender();
    cairn.setContext(context);
    cairn.start();
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.addAppender(cairn);
    async.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(async);
    Logger log = context.getLogger("com.example.Async");
    TraceContext ctx = TraceContext.newRoot(true);
    try (Scope ignored = ctx.makeCurrent()) {
      log.info("async");
    }
    async.stop();
    assertThat(received).hasSize(1);
    assertThat(received.get(0).context().traceIdHex()).isEqualTo(ctx.traceIdHex());
    assertThat(received.get(0).context().spanIdHex()).isEqualTo(ctx.spanIdHex());
  }

  @Test
  void secretsAreMaskedBeforeTheRecordLeavesTheLoggingThread() {
    Logger log = logger(appender());
    MDC.put("session", "Authorization: Bearer abcdefghijklmnop");
    try {
      log.atInfo().addKeyValue("password", "hunter2").log("card 4111 1111 1111 1111 charged");
    } finally {
      MDC.remove("session");
    }
    LogRecord r = received.get(0);
    assertThat(r.message()).isEqualTo("card **** **** **** 1111 charged");
    assertThat(r.attributes()).containsEntry("password", "***");
    assertThat(r.mdc().get("session")).doesNotContain("abcdefghijklmnop");
  }
}
