package dev.cairn.context;

import dev.cairn.internal.context.ContextStorage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Carries the current {@link TraceContext} across threads: wrappers for tasks, executors, thread
 * factories and {@link CompletableFuture} stages.
 *
 * <p>A wrapper captures the context current on the calling thread when the work is handed over
 * (at {@code submit}, {@code execute}, {@code schedule}, or when a function is wrapped), makes it
 * current on the thread that runs the work, and afterwards restores that thread's exact previous
 * state (context and MDC), whether the work returns or throws, and even if it left scopes of its
 * own open (those are counted as {@code cairn.scope.misuse{reason=leaked}}). So a pooled thread
 * never carries one request's context into the next task. Nothing is cached per thread.
 *
 * <pre>{@code
 * ExecutorService pool = ContextExecutors.wrap(Executors.newFixedThreadPool(8));
 * CompletableFuture<Order> f = ContextExecutors.supplyAsync(() -> load(id), pool)
 *     .thenApplyAsync(ContextExecutors.wrapFunction(this::price), pool);
 * }</pre>
 *
 * <p>Works the same on platform and virtual threads.
 */
public final class ContextExecutors {
  private ContextExecutors() {}

  // ---- tasks ----

  /** {@code task} run with the context current now. */
  public static Runnable wrap(Runnable task) {
    return wrap(task, TraceContext.current());
  }

  /** {@code task} run with {@code context}. */
  public static Runnable wrap(Runnable task, TraceContext context) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(context, "context");
    return new ContextRunnable(task, context);
  }

  /** {@code task} run with the context current now. */
  public static <V> Callable<V> wrap(Callable<V> task) {
    return wrap(task, TraceContext.current());
  }

  /** {@code task} run with {@code context}. */
  public static <V> Callable<V> wrap(Callable<V> task, TraceContext context) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(context, "context");
    return new ContextCallable<>(task, context);
  }

  // ---- functions for CompletableFuture stages ----

  /** {@code fn} run with the context current now (e.g. for {@code thenApplyAsync}). */
  public static <T, R> Function<T, R> wrapFunction(Function<T, R> fn) {
    Objects.requireNonNull(fn, "fn");
    TraceContext c = TraceContext.current();
    return t -> {
      try (Scope ignored = ContextStorage.attachForTask(c)) {
        return fn.apply(t);
      }
    };
  }

  /** {@code fn} run with the context current now (e.g. for {@code thenCombineAsync}, {@code handleAsync}). */
  public static <T, U, R> BiFunction<T, U, R> wrapBiFunction(BiFunction<T, U, R> fn) {
    Objects.requireNonNull(fn, "fn");
    TraceContext c = TraceContext.current();
    return (t, u) -> {
      try (Scope ignored = ContextStorage.attachForTask(c)) {
        return fn.apply(t, u);
      }
    };
  }

  /** {@code action} run with the context current now (e.g. for {@code thenAcceptAsync}). */
  public static <T> Consumer<T> wrapConsumer(Consumer<T> action) {
    Objects.requireNonNull(action, "action");
    TraceContext c = TraceContext.current();
    return t -> {
      try (Scope ignored = ContextStorage.attachForTask(c)) {
        action.accept(t);
      }
    };
  }

  /** {@code action} run with the context current now (e.g. for {@code whenCompleteAsync}). */
  public static <T, U> BiConsumer<T, U> wrapBiConsumer(BiConsumer<T, U> action) {
    Objects.requireNonNull(action, "action");
    TraceContext c = TraceContext.current();
    return (t, u) -> {
      try (Scope ignored = ContextStorage.attachForTask(c)) {
        action.accept(t, u);
      }
    };
  }

  /** {@code supplier} run with the context current now. */
  public static <T> Supplier<T> wrapSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    TraceContext c = TraceContext.current();
    return () -> {
      try (Scope ignored = ContextStorage.attachForTask(c)) {
        return supplier.get();
      }
    };
  }

  /** {@link CompletableFuture#supplyAsync(Supplier)} with the current context. */
  public static <T> CompletableFuture<T> supplyAsync(Supplier<T> supplier) {
    return CompletableFuture.supplyAsync(wrapSupplier(supplier));
  }

  /** {@link CompletableFuture#supplyAsync(Supplier, Executor)} with the current context. */
  public static <T> CompletableFuture<T> supplyAsync(Supplier<T> supplier, Executor executor) {
    return CompletableFuture.supplyAsync(wrapSupplier(supplier), executor);
  }

  /** {@link CompletableFuture#runAsync(Runnable)} with the current context. */
  public static CompletableFuture<Void> runAsync(Runnable task) {
    return CompletableFuture.runAsync(wrap(task));
  }

  /** {@link CompletableFuture#runAsync(Runnable, Executor)} with the current context. */
  public static CompletableFuture<Void> runAsync(Runnable task, Executor executor) {
    return CompletableFuture.runAsync(wrap(task), executor);
  }

  // ---- executors ----

  /** An executor that runs each task with the context current at {@link Executor#execute}. */
  public static Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return executor instanceof ContextExecutor ? executor : new ContextExecutor(executor);
  }

  /**
   * An executor service whose tasks run with the context current at submission ({@code execute},
   * {@code submit}, {@code invokeAll}, {@code invokeAny}); lifecycle calls go to {@code delegate}.
   */
  public static ExecutorService wrap(ExecutorService delegate) {
    Objects.requireNonNull(delegate, "delegate");
    return delegate instanceof ContextExecutorService ? delegate : new ContextExecutorService(delegate);
  }

  /**
   * A scheduled executor whose tasks run with the context current at scheduling; a periodic task
   * runs every time with that same context.
   */
  public static ScheduledExecutorService wrap(ScheduledExecutorService delegate) {
    Objects.requireNonNull(delegate, "delegate");
    return delegate instanceof ContextScheduledExecutorService
        ? delegate
        : new ContextScheduledExecutorService(delegate);
  }

  /**
   * A thread factory whose threads run with the context current when {@link
   * ThreadFactory#newThread} is called. Meant for a thread per unit of work (for example {@code
   * Executors.newThreadPerTaskExecutor(ContextExecutors.wrapThreadFactory(Thread.ofVirtual().factory()))}),
   * where the thread is created by the caller at hand-over. Do not give it to a pool: a pooled
   * worker is created once, under whichever request happened to start it; wrap the pool itself
   * with {@link #wrap(ExecutorService)} instead.
   */
  public static ThreadFactory wrapThreadFactory(ThreadFactory factory) {
    Objects.requireNonNull(factory, "factory");
    return r -> factory.newThread(wrap(r));
  }

  private static <T> List<Callable<T>> wrapAll(Collection<? extends Callable<T>> tasks) {
    TraceContext c = TraceContext.current();
    List<Callable<T>> out = new ArrayList<>(tasks.size());
    for (Callable<T> t : tasks) {
      out.add(wrap(t, c));
    }
    return out;
  }

  static final class ContextRunnable implements Runnable {
    private final Runnable task;
    private final TraceContext context;

    ContextRunnable(Runnable task, TraceContext context) {
      this.task = task;
      this.context = context;
    }

    @Override
    public void run() {
      try (Scope ignored = ContextStorage.attachForTask(context)) {
        task.run();
      }
    }

    @Override
    public String toString() {
      return "ContextRunnable[" + task + "]";
    }
  }

  static final class ContextCallable<V> implements Callable<V> {
    private final Callable<V> task;
    private final TraceContext context;

    ContextCallable(Callable<V> task, TraceContext context) {
      this.task = task;
      this.context = context;
    }

    @Override
    public V call() throws Exception {
      try (Scope ignored = ContextStorage.attachForTask(context)) {
        return task.call();
      }
    }

    @Override
    public String toString() {
      return "ContextCallable[" + task + "]";
    }
  }

  private static final class ContextExecutor implements Executor {
    private final Executor delegate;

    ContextExecutor(Executor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable command) {
      delegate.execute(wrap(command));
    }

    @Override
    public String toString() {
      return "ContextExecutor[" + delegate + "]";
    }
  }

  private static class ContextExecutorService implements ExecutorService {
    final ExecutorService delegate;

    ContextExecutorService(ExecutorService delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable command) {
      delegate.execute(wrap(command));
    }

    @Override
    public void shutdown() {
      delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
      return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
      return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return delegate.awaitTermination(timeout, unit);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
      return delegate.submit(wrap(task));
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
      return delegate.submit(wrap(task), result);
    }

    @Override
    public Future<?> submit(Runnable task) {
      return delegate.submit(wrap(task));
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
        throws InterruptedException {
      return delegate.invokeAll(wrapAll(tasks));
    }

    @Override
    public <T> List<Future<T>> invokeAll(
        Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
        throws InterruptedException {
      return delegate.invokeAll(wrapAll(tasks), timeout, unit);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
        throws InterruptedException, ExecutionException {
      return delegate.invokeAny(wrapAll(tasks));
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      return delegate.invokeAny(wrapAll(tasks), timeout, unit);
    }

    @Override
    public String toString() {
      return "ContextExecutorService[" + delegate + "]";
    }
  }

  private static final class ContextScheduledExecutorService extends ContextExecutorService
      implements ScheduledExecutorService {
    private final ScheduledExecutorService scheduled;

    ContextScheduledExecutorService(ScheduledExecutorService delegate) {
      super(delegate);
      this.scheduled = delegate;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return scheduled.schedule(wrap(command), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      return scheduled.schedule(wrap(callable), delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable command, long initialDelay, long period, TimeUnit unit) {
      return scheduled.scheduleAtFixedRate(wrap(command), initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      return scheduled.scheduleWithFixedDelay(wrap(command), initialDelay, delay, unit);
    }

    @Override
    public String toString() {
      return "ContextScheduledExecutorService[" + scheduled + "]";
    }
  }
}
