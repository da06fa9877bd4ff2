package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.internal.context.ContextStorage;
import org.springframework.core.task.TaskDecorator;

/**
 * Carries the submitting thread's Cairn context (and so its MDC ids) into tasks run by Boot's task
 * executors and schedulers, which compose every {@link TaskDecorator} bean: {@code @Async}
 * methods and {@code @Scheduled} tasks see the context with no user code. After each task the
 * worker thread's exact prior state is restored, so nothing leaks into the next task.
 */
public final class CairnTaskDecorator implements TaskDecorator {
  @Override
  public Runnable decorate(Runnable runnable) {
    TraceContext captured = TraceContext.current();
    return () -> {
      try (Scope ignored = ContextStorage.attachForTask(captured)) {
        runnable.run();
      }
    };
  }
}
