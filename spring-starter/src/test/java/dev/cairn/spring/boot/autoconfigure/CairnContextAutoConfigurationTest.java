package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.logging.CorrelationMdc;
import dev.cairn.logging.MdcSettings;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

class CairnContextAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(CairnContextAutoConfiguration.class));

  @AfterEach
  void reset() {
    CorrelationMdc.install(MdcSettings.defaults());
    MDC.clear();
  }

  @Test
  void mdcKeys_comeFromPropertiesAndAreInstalled() {
    runner
        .withPropertyValues("cairn.mdc.trace-id-key=trace_id", "cairn.mdc.baggage-keys=tenant")
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(MdcSettings.class);
              assertThat(CorrelationMdc.settings().traceIdKey()).isEqualTo("trace_id");
              assertThat(CorrelationMdc.settings().baggageKeys()).containsExactly("tenant");
            });
  }

  @Test
  void userMdcSettingsBean_winsOverProperties() {
    runner
        .withBean(MdcSettings.class, () -> MdcSettings.builder().traceIdKey("mine").build())
        .withPropertyValues("cairn.mdc.trace-id-key=trace_id")
        .run(ctx -> assertThat(ctx.getBean(MdcSettings.class).traceIdKey()).isEqualTo("mine"));
  }

  @Test
  void cairnDisabled_createsNoBeans() {
    runner
        .withPropertyValues("cairn.enabled=false")
        .run(
            ctx -> {
              assertThat(ctx).doesNotHaveBean(MdcSettings.class);
              assertThat(ctx).doesNotHaveBean(CairnTaskDecorator.class);
            });
  }

  @Test
  void asyncMethods_runWithTheCallersContext() {
    runner
        .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
        .withUserConfiguration(AsyncConfig.class)
        .run(
            ctx -> {
              AsyncService service = ctx.getBean(AsyncService.class);
              TraceContext request = TraceContext.newRoot(true);
              String[] seen;
              try (Scope ignored = request.makeCurrent()) {
                seen = service.traceAndMdc().get(10, TimeUnit.SECONDS);
              }
              assertThat(seen[0]).isEqualTo(request.traceIdHex());
              assertThat(seen[1]).isEqualTo(request.traceIdHex());
              assertThat(seen[2]).isNotEqualTo("main"); // really ran on another thread
            });
  }

  @Test
  void asyncMethods_doNotLeakContextIntoTheNextTaskOnThePooledThread() {
    runner
        .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
        .withPropertyValues("spring.task.execution.pool.core-size=1", "spring.task.execution.pool.max-size=1")
        .withUserConfiguration(AsyncConfig.class)
        .run(
            ctx -> {
              AsyncService service = ctx.getBean(AsyncService.class);
              try (Scope ignored = TraceContext.newRoot(true).makeCurrent()) {
                service.traceAndMdc().get(10, TimeUnit.SECONDS);
              }
              String[] seen = service.traceAndMdc().get(10, TimeUnit.SECONDS);
              assertThat(seen[0]).isEmpty();
              assertThat(seen[1]).isNull();
            });
  }

  @Test
  void scheduledTasks_neverSeeAContextLeakedByAnEarlierTick() {
    runner
        .withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
        .withUserConfiguration(ScheduledConfig.class)
        .run(
            ctx -> {
              ScheduledProbe probe = ctx.getBean(ScheduledProbe.class);
              assertThat(probe.ran.await(10, TimeUnit.SECONDS)).isTrue();
              assertThat(probe.secondTickSawContext.get()).isFalse();
            });
  }

  @Test
  void contextPropagationLibrary_capturesAndRestoresCairnContext() {
    runner.run(
        ctx -> {
          assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
              .anyMatch(a -> TraceContextAccessor.KEY.equals(a.key()));
          TraceContext request = TraceContext.newRoot(true);
          Runnable wrapped;
          try (Scope ignored = request.makeCurrent()) {
            wrapped = ContextSnapshotFactory.builder().build().captureAll().wrap(() -> {
              assertThat(TraceContext.current()).isEqualTo(request);
            });
          }
          AtomicReference<Throwable> failure = new AtomicReference<>();
          CompletableFuture.runAsync(() -> {
            try {
              wrapped.run();
              assertThat(TraceContext.current().isValid()).isFalse();
            } catch (Throwable t) {
              failure.set(t);
            }
          }).get(10, TimeUnit.SECONDS);
          assertThat(failure.get()).isNull();
        });
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAsync
  static class AsyncConfig {
    @Bean
    AsyncService asyncService() {
      return new AsyncService();
    }
  }

  static class AsyncService {
    @Async
    public CompletableFuture<String[]> traceAndMdc() {
      TraceContext c = TraceContext.current();
      return CompletableFuture.completedFuture(
          new String[] {c.isValid() ? c.traceIdHex() : "", MDC.get("traceId"), Thread.currentThread().getName()});
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableScheduling
  static class ScheduledConfig {
    @Bean
    ScheduledProbe scheduledProbe() {
      return new ScheduledProbe();
    }
  }

  static class ScheduledProbe {
    final CountDownLatch ran = new CountDownLatch(2);
    final AtomicReference<Boolean> secondTickSawContext = new AtomicReference<>();

    @Scheduled(fixedDelay = 20)
    @SuppressWarnings("resource")
    void tick() {
      // Each tick runs inside a task scope; a scope leaked by the first tick must be gone for
      // the second, which runs on the same single scheduler thread.
      if (ran.getCount() == 1) {
        secondTickSawContext.set(TraceContext.current().isValid());
      }
      TraceContext.newRoot(true).makeCurrent(); // deliberately leaked
      ran.countDown();
    }
  }
}
