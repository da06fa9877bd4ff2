package dev.cairn.journal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * An append-only, crash-safe journal of domain events on local disk: the record of what happened,
 * in what order, and what caused what, replayable to rebuild state at any point ({@link Replay}).
 *
 * <p>Each event gets a position in one total order (0, 1, 2, ... without gaps, however many threads
 * append), a random 64-bit id, a {@link HybridClock hybrid logical clock} timestamp, the trace, span
 * and correlation ids current on the appending thread, and optional causal links. Records are framed
 * with their length and a CRC32C in segment files whose format is documented in docs/journal.md.
 *
 * <p>Appending never throws into the application: an event that cannot be written (journal closed,
 * too large, codec failure, disk full, read-only directory) is dropped and counted
 * ({@code cairn.journal.dropped{journal,reason}}) and {@link Appended#accepted()} is false. After an
 * I/O failure the journal drops without touching the disk and retries once a second, so it resumes
 * on its own when space frees up.
 *
 * <pre>{@code
 * try (Journal journal = Journal.builder(Path.of("var/journal")).nodeId("orders-1").build()) {
 *   Appended a = journal.appendJson("Deposited", "account-42", Map.of("amount", 100));
 * }
 * }</pre>
 */
public interface Journal extends AutoCloseable {

  /** A builder for a journal stored in {@code directory} (created if missing). */
  static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** Appends an event. Never throws; see {@link Appended}. */
  Appended append(NewEvent event);

  /** Appends an event with opaque payload bytes; {@code key} may be empty. Never throws. */
  Appended append(String type, String key, byte[] payload);

  /** Appends an event with a JSON payload (see {@link NewEvent.Builder#json}). Never throws. */
  Appended appendJson(String type, String key, Object value);

  /** Appends an event whose payload the application's codec encodes. Never throws. */
  <T> Appended append(String type, String key, T value, Codec<T> codec);

  /** The clock that stamps this journal's events; merge remote timestamps into it. */
  HybridClock clock();

  /** Position the next event will get. */
  long nextPosition();

  /** Highest position on stable storage under the fsync policy, or -1 if none yet. */
  long durablePosition();

  /**
   * Forces everything appended so far to stable storage, whatever the policy. Never throws.
   *
   * @return whether it succeeded
   */
  boolean sync();

  /** Events from {@code fromPosition} up to those appended before this call. */
  EventIterator read(long fromPosition);

  /** Events whose HLC is at or after {@code fromHlc}, up to those appended before this call. */
  EventIterator readFrom(Hlc fromHlc);

  /** Health and size. */
  JournalStats stats();

  /** The name used in counter tags (by default the directory's name). */
  String name();

  /** The directory holding the segment files. */
  Path directory();

  /** Syncs and closes the files; later appends are dropped and counted. Never throws. */
  @Override
  void close();

  /**
   * Configures a {@link Journal}. Invalid settings throw {@link IllegalArgumentException} with the
   * reason; I/O trouble at {@link #build()} does not throw: the journal starts dropping (counted)
   * and keeps retrying.
   */
  final class Builder {
    final Path directory;
    String name;
    String nodeId;
    HybridClock clock;
    FsyncPolicy fsync = FsyncPolicy.every(Duration.ofMillis(100));
    long segmentBytes = 64L * 1024 * 1024;
    long retainBytes = 1024L * 1024 * 1024;
    Duration retainFor = Duration.ZERO;
    int maxRecordBytes = 1024 * 1024;
    AppendListener listener = AppendListener.NONE;

    Builder(Path directory) {
      if (directory == null) {
        throw new IllegalArgumentException("journal directory must not be null");
      }
      this.directory = directory;
    }

    /** Name for counter tags and reports; default: the directory's file name. */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("journal name must not be blank");
      }
      this.name = name;
      return this;
    }

    /**
     * This node's id in HLC timestamps (1-64 of {@code [A-Za-z0-9._:-]}); default: the
     * {@code HOSTNAME} environment variable when valid, else a random id.
     */
    public Builder nodeId(String nodeId) {
      if (!Hlc.isValidNodeId(nodeId)) {
        throw new IllegalArgumentException(
            "node id must be 1-64 characters of [A-Za-z0-9._:-], got: " + nodeId);
      }
      this.nodeId = nodeId;
      return this;
    }

    /** A clock to share with the rest of the application (its node id wins over {@link #nodeId}). */
    public Builder clock(HybridClock clock) {
      if (clock == null) {
        throw new IllegalArgumentException("clock must not be null");
      }
      this.clock = clock;
      return this;
    }

    /** When to fsync; default every 100 ms. See {@link FsyncPolicy} for the trade-offs. */
    public Builder fsync(FsyncPolicy policy) {
      if (policy == null) {
        throw new IllegalArgumentException("fsync policy must not be null");
      }
      this.fsync = policy;
      return this;
    }

    /** Roll to a new segment file beyond this size; default 64 MiB, at least 4 KiB. */
    public Builder segmentBytes(long bytes) {
      if (bytes < 4096 || bytes > (1L << 31)) {
        throw new IllegalArgumentException("segmentBytes must be in [4096, 2^31]: " + bytes);
      }
      this.segmentBytes = bytes;
      return this;
    }

    /**
     * Delete the oldest segments while the journal is larger than this; default 1 GiB; 0 keeps
     * everything. The segment being written is never deleted.
     */
    public Builder retainBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("retainBytes must not be negative: " + bytes);
      }
      this.retainBytes = bytes;
      return this;
    }

    /** Delete segments whose newest record is older than this; default zero = no age limit. */
    public Builder retainFor(Duration age) {
      if (age == null || age.isNegative()) {
        throw new IllegalArgumentException("retainFor must be zero or positive: " + age);
      }
      this.retainFor = age;
      return this;
    }

    /** Largest encoded event (payload plus metadata) accepted; larger ones are dropped, counted. */
    public Builder maxRecordBytes(int bytes) {
      if (bytes < 1024 || bytes > Format.MAX_BODY) {
        throw new IllegalArgumentException("maxRecordBytes must be in [1024, 16 MiB]: " + bytes);
      }
      this.maxRecordBytes = bytes;
      return this;
    }

    /** Called after each successful append (for example to emit a JFR event). Must be cheap. */
    public Builder listener(AppendListener listener) {
      if (listener == null) {
        throw new IllegalArgumentException("listener must not be null");
      }
      this.listener = listener;
      return this;
    }

    /** Opens (and recovers) the journal. */
    public Journal build() {
      return FileJournal.open(this);
    }
  }
}
