package dev.cairn.testing;

import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A strict in-memory exporter for tests: keeps every exported item and every batch size, records
 * the thread it ran on, and can be scripted to fail, throw or block.
 */
public final class InMemoryExporter<T> implements Exporter<T> {
  private final String name;
  private final CopyOnWriteArrayList<T> items = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<String> threads = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Function<List<T>, ExportResult> behaviour = b -> ExportResult.success();

  public InMemoryExporter(String name) {
    this.name = name;
  }

  public InMemoryExporter() {
    this("memory");
  }

  /** Replaces what {@link #export} does after recording the call. */
  public InMemoryExporter<T> behave(Function<List<T>, ExportResult> behaviour) {
    this.behaviour = behaviour;
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ExportResult export(List<T> batch) {
    threads.add(Thread.currentThread().getName());
    batchSizes.add(batch.size());
    ExportResult r = behaviour.apply(batch);
    if (r != null && r.isSuccess()) {
      items.addAll(batch);
    }
    return r;
  }

  @Override
  public void close() {
    closed.set(true);
  }

  public List<T> items() {
    return new ArrayList<>(items);
  }

  public List<Integer> batchSizes() {
    return new ArrayList<>(batchSizes);
  }

  public List<String> threads() {
    return new ArrayList<>(threads);
  }

  public boolean isClosed() {
    return closed.get();
  }
}
