package dev.cairn.benchmarks;

import dev.cairn.journal.Appended;
import dev.cairn.journal.Event;
import dev.cairn.journal.EventIterator;
import dev.cairn.journal.FsyncPolicy;
import dev.cairn.journal.Journal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Journal append per fsync policy, with 1 and 4 threads, against the floor a user would otherwise
 * write by hand: a plain {@code FileChannel} append of a frame of the same size (length + CRC32C +
 * bytes, under a lock, forced per append when the policy is {@code always}). Chronicle Queue is not
 * in this build's repository mirror. Replay throughput is per event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class JournalBenchmark {
  private static final long RAW_WRAP_BYTES = 256L * 1024 * 1024;
  private static final int REPLAY_EVENTS = 10_000;

  @Param({"never", "10ms", "always"})
  public String fsync;

  private Path dir;
  private Journal journal;
  private final byte[] payload = new byte[64];
  private int frameLength;

  private FileChannel raw;
  private long rawEnd;
  private final ReentrantLock rawLock = new ReentrantLock();
  private final CRC32C rawCrc = new CRC32C();
  private ByteBuffer rawBuffer;
  private boolean rawForce;

  private Path replayDir;
  private Journal replayJournal;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("cairn-journal-bench");
    journal =
        Journal.builder(dir.resolve("cairn"))
            .nodeId("bench")
            .fsync(FsyncPolicy.parse(fsync))
            .retainBytes(RAW_WRAP_BYTES)
            .build();
    Appended a = journal.append("OrderPlaced", "order-1", payload);
    // The same record size as Cairn writes: read back the frame of the first append.
    try (EventIterator it = journal.read(a.position())) {
      Event e = it.next();
      frameLength = (int) (Files.size(dir.resolve("cairn").resolve(e.segment())) - e.offset());
    }
    raw =
        FileChannel.open(
            dir.resolve("raw.log"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ);
    rawBuffer = ByteBuffer.allocateDirect(frameLength);
    rawForce = fsync.equals("always");

    replayDir = dir.resolve("replay");
    replayJournal = Journal.builder(replayDir).nodeId("bench").fsync(FsyncPolicy.never()).build();
    for (int i = 0; i < REPLAY_EVENTS; i++) {
      replayJournal.append("OrderPlaced", "order-" + (i % 100), payload);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    journal.close();
    replayJournal.close();
    raw.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public Appended cairn_append() {
    return journal.append("OrderPlaced", "order-1", payload);
  }

  @Benchmark
  @Threads(4)
  public Appended cairn_append4Threads() {
    return journal.append("OrderPlaced", "order-1", payload);
  }

  @Benchmark
  public long raw_fileChannelAppend() throws IOException {
    return rawAppend();
  }

  @Benchmark
  @Threads(4)
  public long raw_fileChannelAppend4Threads() throws IOException {
    return rawAppend();
  }

  private long rawAppend() throws IOException {
    rawLock.lock();
    try {
      ByteBuffer b = rawBuffer;
      b.clear();
      b.putInt(frameLength - 8).putInt(0).put(payload);
      b.position(frameLength);
      rawCrc.reset();
      ByteBuffer body = b.duplicate();
      body.flip().position(8);
      rawCrc.update(body);
      b.putInt(4, (int) rawCrc.getValue());
      b.flip();
      if (rawEnd + frameLength > RAW_WRAP_BYTES) {
        rawEnd = 0; // keep the file bounded, like retention does for the journal
      }
      while (b.hasRemaining()) {
        rawEnd += raw.write(b, rawEnd);
      }
      if (rawForce) {
        raw.force(false);
      }
      return rawEnd;
    } finally {
      rawLock.unlock();
    }
  }

  /** Replay: read and decode every event of a 10,000-event journal; the score is per event. */
  @Benchmark
  @OperationsPerInvocation(REPLAY_EVENTS)
  public long cairn_replay() {
    long sum = 0;
    try (EventIterator it = replayJournal.read(0)) {
      while (it.hasNext()) {
        sum += it.next().position();
      }
    }
    return sum;
  }
}
