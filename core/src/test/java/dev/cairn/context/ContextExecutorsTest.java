package dev.cairn.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.internal.SelfCounters;
import dev.cairn.logging.CorrelationMdc;
import dev.cairn.logging.MdcSettings;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ContextExecutorsTest {
  ExecutorService raw;
  ExecutorService pool;
  final TraceContext request = TraceContext.newRoot(true).withCorrelationId("req-1");

  @BeforeEach
  void start() {
    CorrelationMdc.install(MdcSettings.defaults());
    raw = Executors.newSingleThreadExecutor();
    pool = ContextExecutors.wrap(raw);
  }

  @AfterEach
  void stop() throws InterruptedException {
    raw.shutdownNow();
    assertThat(raw.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    MDC.clear();
    assertThat(TraceContext.current()).isSameAs(TraceContext.empty());
  }

  /** What an unwrapped task sees on the pool's thread: it must be clean after any wrapped task. */
  TraceContext rawThreadContext() throws Exception {
    return raw.submit(TraceContext::current).get(10, TimeUnit.SECONDS);
  }

  String rawThreadMdcTraceId() throws Exception {
    return raw.submit(() -> MDC.get("traceId")).get(10, TimeUnit.SECONDS);
  }

  @Test
  void submit_runsTaskWithTheContextCurrentAtSubmission() throws Exception {
    Future<TraceContext> seen;
    try (Scope ignored = request.makeCurrent()) {
      seen = pool.submit(TraceContext::current);
    }
    assertThat(seen.get(10, TimeUnit.SECONDS)).isSameAs(request);
  }

  @Test
  void submit_mirrorsTheContextIntoTheWorkersMdc() throws Exception {
    Future<String> seen;
    try (Scope ignored = request.makeCurrent()) {
      seen = pool.submit(() -> MDC.get("traceId"));
    }
    assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(request.traceIdHex());
  }

  @Test
  void afterTask_workerThreadIsClean() throws Exception {
    try (Scope ignored = request.makeCurrent()) {
      pool.submit(() -> {}).get(10, TimeUnit.SECONDS);
    }
    assertThat(rawThreadContext()).isSameAs(TraceContext.empty());
    assertThat(rawThreadMdcTraceId()).isNull();
  }

  @Test
  void afterThrowingTask_workerThreadIsClean() throws Exception {
    Future<?> f;
    try (Scope ignored = request.makeCurrent()) {
      f = pool.submit(() -> {
        throw new IllegalStateException("task failed");
      });
    }
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    assertThat(rawThreadContext()).isSameAs(TraceContext.empty());
    assertThat(rawThreadMdcTraceId()).isNull();
  }

  @Test
  void taskLeavingAScopeOpen_doesNotLeakAndIsCounted() throws Exception {
    long before = SelfCounters.GLOBAL.counter("cairn.scope.misuse", "", "", "reason", "leaked").count();
    try (Scope ignored = request.makeCurrent()) {
      pool.submit(() -> {
        TraceContext.newRoot(true).makeCurrent(); // never closed
      }).get(10, TimeUnit.SECONDS);
    }
    assertThat(rawThreadContext()).isSameAs(TraceContext.empty());
    assertThat(SelfCounters.GLOBAL.counter("cairn.scope.misuse", "", "", "reason", "leaked").count())
        .isEqualTo(before + 1);
  }

  @Test
  void taskOnAThreadWithItsOwnContext_restoresThatContextAfterwards() {
    TraceContext own = TraceContext.newRoot(false);
    Runnable task;
    try (Scope ignored = request.makeCurrent()) {
      task = ContextExecutors.wrap(() -> {
        assertThat(TraceContext.current()).isSameAs(request);
      });
    }
    try (Scope ignored = own.makeCurrent()) {
      task.run(); // a caller-runs policy runs the task on the submitting thread
      assertThat(TraceContext.current()).isSameAs(own);
      assertThat(MDC.get("traceId")).isEqualTo(own.traceIdHex());
    }
  }

  @Test
  void wrapCallable_withExplicitContext_usesIt() throws Exception {
    Callable<TraceContext> current = TraceContext::current;
    Callable<TraceContext> c = ContextExecutors.wrap(current, request);
    assertThat(raw.submit(c).get(10, TimeUnit.SECONDS)).isSameAs(request);
  }

  @Test
  void execute_capturesAtExecute() throws Exception {
    AtomicReference<TraceContext> seen = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Executor e = ContextExecutors.wrap((Executor) raw);
    try (Scope ignored = request.makeCurrent()) {
      e.execute(() -> {
        seen.set(TraceContext.current());
        done.countDown();
      });
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(seen.get()).isSameAs(request);
  }

  @Test
  void invokeAll_runsEveryTaskWithTheCallersContext() throws Exception {
    List<Future<TraceContext>> fs;
    Callable<TraceContext> current = TraceContext::current;
    try (Scope ignored = request.makeCurrent()) {
      fs = pool.invokeAll(List.of(current, current));
    }
    for (Future<TraceContext> f : fs) {
      assertThat(f.get()).isSameAs(request);
    }
  }

  @Test
  void invokeAny_runsWithTheCallersContext() throws Exception {
    Callable<TraceContext> current = TraceContext::current;
    try (Scope ignored = request.makeCurrent()) {
      assertThat(pool.invokeAny(List.of(current))).isSameAs(request);
    }
  }

  @Test
  void scheduled_oneShotAndPeriodic_runWithTheContextCurrentAtScheduling() throws Exception {
    ScheduledExecutorService rawScheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      ScheduledExecutorService s = ContextExecutors.wrap(rawScheduler);
      ScheduledFuture<TraceContext> once;
      CountDownLatch threeRuns = new CountDownLatch(3);
      AtomicReference<TraceContext> wrong = new AtomicReference<>();
      ScheduledFuture<?> periodic;
      try (Scope ignored = request.makeCurrent()) {
        once = s.schedule(TraceContext::current, 1, TimeUnit.MILLISECONDS);
        periodic = s.scheduleAtFixedRate(() -> {
          if (TraceContext.current() != request) {
            wrong.set(TraceContext.current());
          }
          threeRuns.countDown();
        }, 0, 1, TimeUnit.MILLISECONDS);
      }
      assertThat(once.get(10, TimeUnit.SECONDS)).isSameAs(request);
      assertThat(threeRuns.await(10, TimeUnit.SECONDS)).isTrue();
      periodic.cancel(false);
      assertThat(wrong.get()).isNull();
      assertThat(rawScheduler.submit(TraceContext::current).get(10, TimeUnit.SECONDS)).isSameAs(TraceContext.empty());
    } finally {
      rawScheduler.shutdownNow();
    }
  }

  @Test
  void threadFactory_threadRunsWithTheContextOfItsCreator() throws Exception {
    ThreadFactory f = ContextExecutors.wrapThreadFactory(Executors.defaultThreadFactory());
    AtomicReference<TraceContext> seen = new AtomicReference<>();
    Thread t;
    try (Scope ignored = request.makeCurrent()) {
      t = f.newThread(() -> seen.set(TraceContext.current()));
    }
    t.start();
    t.join(10_000);
    assertThat(seen.get()).isSameAs(request);
  }

  @Test
  void completableFutureChain_keepsTheContextAcrossAsyncStages() throws Exception {
    CompletableFuture<String> f;
    try (Scope ignored = request.makeCurrent()) {
      f = ContextExecutors.supplyAsync(() -> TraceContext.current().correlationIdOrEmpty(), pool)
          .thenApplyAsync(ContextExecutors.wrapFunction(s -> s + "|" + TraceContext.current().correlationIdOrEmpty()))
          .thenCombineAsync(
              ContextExecutors.supplyAsync(() -> TraceContext.current().correlationIdOrEmpty()),
              ContextExecutors.wrapBiFunction((a, b) -> a + "|" + b + "|" + MDC.get("correlationId")),
              pool);
    }
    assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("req-1|req-1|req-1|req-1");
    assertThat(rawThreadContext()).isSameAs(TraceContext.empty());
  }

  @Test
  void completableFuture_consumersSeeTheContext() throws Exception {
    AtomicReference<TraceContext> accepted = new AtomicReference<>();
    AtomicReference<TraceContext> completed = new AtomicReference<>();
    CompletableFuture<Void> f;
    try (Scope ignored = request.makeCurrent()) {
      f = ContextExecutors.runAsync(() -> {}, pool)
          .thenAcceptAsync(ContextExecutors.wrapConsumer(v -> accepted.set(TraceContext.current())), pool)
          .whenCompleteAsync(ContextExecutors.wrapBiConsumer((v, t) -> completed.set(TraceContext.current())), pool);
    }
    f.get(10, TimeUnit.SECONDS);
    assertThat(accepted.get()).isSameAs(request);
    assertThat(completed.get()).isSameAs(request);
  }

  @Test
  void wrap_alreadyWrappedExecutor_isReturnedAsIs() {
    assertThat(ContextExecutors.wrap(pool)).isSameAs(pool);
  }
}
