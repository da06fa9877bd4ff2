package dev.cairn.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * How one exporter is fed: its queue and its batching. Immutable.
 *
 * <p>Defaults: queue of 2048 items, batches of at most 512 items, a partial batch sent after 1 s,
 * drop newest when full.
 */
public final class ExportSettings {
  private static final ExportSettings DEFAULTS = builder().build();

  private final int queueCapacity;
  private final int maxBatchSize;
  private final Duration scheduleDelay;
  private final DropPolicy dropPolicy;

  private ExportSettings(Builder b) {
    this.queueCapacity = b.queueCapacity;
    this.maxBatchSize = b.maxBatchSize;
    this.scheduleDelay = b.scheduleDelay;
    this.dropPolicy = b.dropPolicy;
  }

  /** The defaults. */
  public static ExportSettings defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Most items waiting for export (rounded up to a power of two by the queue). */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** Most items per export call. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** Longest time an item waits for its batch to fill before it is sent anyway. */
  public Duration scheduleDelay() {
    return scheduleDelay;
  }

  /** What a full queue does. */
  public DropPolicy dropPolicy() {
    return dropPolicy;
  }

  @Override
  public String toString() {
    return "ExportSettings{queueCapacity="
        + queueCapacity
        + ", maxBatchSize="
        + maxBatchSize
        + ", scheduleDelay="
        + scheduleDelay
        + ", dropPolicy="
        + dropPolicy
        + "}";
  }

  /** Builds {@link ExportSettings}. */
  public static final class Builder {
    private int queueCapacity = 2048;
    private int maxBatchSize = 512;
    private Duration scheduleDelay = Duration.ofSeconds(1);
    private DropPolicy dropPolicy = DropPolicy.DROP_NEWEST;

    private Builder() {}

    /** Most queued items, 1 to 2^24 (default 2048). */
    public Builder queueCapacity(int n) {
      if (n < 1 || n > (1 << 24)) {
        throw new IllegalArgumentException("queueCapacity must be in [1, 16777216]: " + n);
      }
      queueCapacity = n;
      return this;
    }

    /** Most items per export call, ≥ 1 (default 512). */
    public Builder maxBatchSize(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxBatchSize must be >= 1: " + n);
      }
      maxBatchSize = n;
      return this;
    }

    /** Longest wait for a batch to fill, 1 ms to 1 h (default 1 s). */
    public Builder scheduleDelay(Duration d) {
      Objects.requireNonNull(d, "scheduleDelay");
      if (d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("scheduleDelay must be in [1ms, 1h]: " + d);
      }
      scheduleDelay = d;
      return this;
    }

    /** What a full queue does (default {@link DropPolicy#DROP_NEWEST}). */
    public Builder dropPolicy(DropPolicy p) {
      dropPolicy = Objects.requireNonNull(p, "dropPolicy");
      return this;
    }

    /** The settings; a batch never exceeds the queue capacity. */
    public ExportSettings build() {
      if (maxBatchSize > queueCapacity) {
        maxBatchSize = queueCapacity;
      }
      return new ExportSettings(this);
    }
  }
}
