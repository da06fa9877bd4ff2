package dev.cairn.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.logging.CorrelationMdc;
import dev.cairn.logging.MdcSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.slf4j.MDC;

/**
 * Context hygiene (RELIABILITY B15): 100,000 tasks from many "requests", some throwing, some
 * leaving scopes open; every task sees exactly its own request's context and the worker threads
 * end clean.
 */
class ContextHygieneTest {
  static final int TASKS = 100_000;

  @AfterEach
  void clean() {
    CorrelationMdc.install(MdcSettings.defaults());
    MDC.clear();
  }

  @Test
  void pooledThreads_100kTasksWithRandomFailures_zeroLeaks() throws Exception {
    ExecutorService raw = Executors.newFixedThreadPool(4);
    try {
      assertThat(run(ContextExecutors.wrap(raw))).isZero();
      // Each worker, probed with unwrapped tasks, holds no context and no Cairn MDC key.
      List<Future<String>> probes = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        probes.add(raw.submit(() -> TraceContext.current().isValid() + "/" + MDC.get("traceId")));
      }
      for (Future<String> p : probes) {
        assertThat(p.get(10, TimeUnit.SECONDS)).isEqualTo("false/null");
      }
    } finally {
      raw.shutdownNow();
    }
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void virtualThreads_100kTasksWithRandomFailures_zeroLeaks() throws Exception {
    ExecutorService raw = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    try {
      assertThat(run(ContextExecutors.wrap(raw))).isZero();
    } finally {
      raw.shutdownNow();
    }
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void virtualThreadFactory_threadPerTask_seesTheSubmittersContext() throws Exception {
    Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
    java.util.concurrent.ThreadFactory vf =
        (java.util.concurrent.ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
    ExecutorService raw = (ExecutorService) Executors.class
        .getMethod("newThreadPerTaskExecutor", java.util.concurrent.ThreadFactory.class)
        .invoke(null, ContextExecutors.wrapThreadFactory(vf));
    try {
      TraceContext request = TraceContext.newRoot(true);
      Future<TraceContext> seen;
      try (Scope ignored = request.makeCurrent()) {
        seen = raw.submit(TraceContext::current);
      }
      assertThat(seen.get(10, TimeUnit.SECONDS)).isSameAs(request);
    } finally {
      raw.shutdownNow();
    }
  }

  /** Returns the number of tasks that saw a context or MDC other than their request's. */
  private static long run(ExecutorService pool) throws Exception {
    AtomicLong wrong = new AtomicLong();
    List<Future<?>> futures = new ArrayList<>(TASKS);
    for (int i = 0; i < TASKS; i++) {
      TraceContext request = TraceContext.newRoot((i & 1) == 0);
      try (Scope ignored = request.makeCurrent()) {
        futures.add(pool.submit(() -> {
          if (TraceContext.current() != request || !request.traceIdHex().equals(MDC.get("traceId"))) {
            wrong.incrementAndGet();
          }
          int r = ThreadLocalRandom.current().nextInt(10);
          if (r == 0) {
            throw new IllegalStateException("random failure");
          }
          if (r == 1) {
            request.newChild().makeCurrent(); // left open on purpose
          }
          if (r == 2) {
            Scope s = request.newChild().makeCurrent();
            request.newChild().makeCurrent();
            s.close(); // out of order
          }
        }));
      }
    }
    for (Future<?> f : futures) {
      try {
        f.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException expected) {
        assertThat(expected.getCause()).hasMessage("random failure");
      }
    }
    assertThat(TraceContext.current()).isSameAs(TraceContext.empty());
    return wrong.get();
  }
}
