package dev.cairn.journal;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.OwnerOnlyFiles;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The file-backed journal. One lock orders appends (position, HLC and file offset are assigned
 * together, so the three orders agree); fsync happens outside it so concurrent appenders under
 * {@link FsyncPolicy#always()} share one force (group commit).
 */
final class FileJournal implements Journal {
  /** Opens channels; tests substitute one that fails like a full or read-only disk. */
  interface ChannelOpener {
    FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;
  }

  /** Segments and set-aside tails are created owner-only ({@code rw-------}). */
  static final ChannelOpener OWNER_ONLY = OwnerOnlyFiles::open;

  static ChannelOpener opener = OWNER_ONLY;

  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final byte[] EMPTY = new byte[0];
  private static final long[] NO_IDS = new long[0];

  private final Path dir;
  private final String name;
  private final HybridClock clock;
  private final byte[] nodeBytes;
  private final FsyncPolicy fsync;
  private final long segmentBytes;
  private final long retainBytes;
  private final long retainMillis;
  private final int maxRecordBytes;
  private final AppendListener listener;
  private final ChannelOpener channels;

  private final ReentrantLock lock = new ReentrantLock();
  private final ReentrantLock syncLock = new ReentrantLock();
  private final CRC32C crc = new CRC32C();
  private ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.BIG_ENDIAN);

  // Guarded by lock.
  private final List<SegmentFile> segments = new ArrayList<>();
  private boolean recovered;
  private SegmentFile active;
  private long activeEnd;
  private long nextPosition;
  private long retryAtNanos;

  private volatile FileChannel activeChannel;
  private volatile long published = -1; // last position written to the file
  private volatile long durable = -1;
  private volatile boolean failing;
  private volatile boolean closed;
  private volatile long appended;
  private volatile long truncatedBytes;
  private volatile int corruptionCount;
  private final Thread flusher;

  private final java.util.concurrent.atomic.LongAdder dropped = new java.util.concurrent.atomic.LongAdder();
  private final SelfCounter droppedClosed;
  private final SelfCounter droppedTooLarge;
  private final SelfCounter droppedInvalid;
  private final SelfCounter droppedEncode;
  private final SelfCounter droppedIo;
  private final SelfCounter truncatedCounter;
  private final SelfCounter corruptCounter;
  private final SelfCounter listenerFailures;

  private FileJournal(Builder b) {
    this.dir = b.directory;
    this.name = b.name != null ? b.name : String.valueOf(b.directory.getFileName());
    this.clock = b.clock != null ? b.clock : HybridClock.create(b.nodeId != null ? b.nodeId : defaultNodeId());
    this.nodeBytes = clock.nodeId().getBytes(StandardCharsets.US_ASCII);
    this.fsync = b.fsync;
    this.segmentBytes = b.segmentBytes;
    this.retainBytes = b.retainBytes;
    this.retainMillis = b.retainFor.toMillis();
    this.maxRecordBytes = b.maxRecordBytes;
    this.listener = b.listener;
    this.channels = opener;
    String d = "Journal appends dropped";
    droppedClosed = counter("cairn.journal.dropped", d, "reason", "closed");
    droppedTooLarge = counter("cairn.journal.dropped", d, "reason", "too_large");
    droppedInvalid = counter("cairn.journal.dropped", d, "reason", "invalid");
    droppedEncode = counter("cairn.journal.dropped", d, "reason", "encode_failed");
    droppedIo = counter("cairn.journal.dropped", d, "reason", "io_error");
    truncatedCounter =
        SelfCounters.GLOBAL.counter(
            "cairn.journal.recovery.truncated",
            "Bytes of torn tail removed by journal recovery",
            "bytes",
            "journal",
            name);
    corruptCounter =
        SelfCounters.GLOBAL.counter(
            "cairn.journal.corruptions",
            "Damaged regions found in journal segments",
            "regions",
            "journal",
            name);
    listenerFailures =
        SelfCounters.GLOBAL.counter(
            "cairn.journal.listener.failures",
            "Append listeners that threw",
            "calls",
            "journal",
            name);
    long interval =
        fsync.kind() == FsyncPolicy.Kind.INTERVAL ? fsync.interval().toMillis() : 1000;
    this.flusher = new Thread(() -> flushLoop(Math.min(interval, 1000), fsync.kind() == FsyncPolicy.Kind.INTERVAL), "cairn-journal-" + name);
    flusher.setDaemon(true);
  }

  /** Counts a drop process-wide (tagged with this journal's name) and for {@link #stats()}. */
  private void drop(SelfCounter reason) {
    reason.increment();
    dropped.increment();
  }

  private SelfCounter counter(String metric, String description, String tagKey, String tagValue) {
    return SelfCounters.GLOBAL.counter(metric, description, "events", "journal", name, tagKey, tagValue);
  }

  static Journal open(Builder b) {
    FileJournal j = new FileJournal(b);
    j.lock.lock();
    try {
      j.tryOpen();
    } finally {
      j.lock.unlock();
    }
    j.flusher.start();
    return j;
  }

  private static String defaultNodeId() {
    String host = System.getenv("HOSTNAME");
    if (host != null && Hlc.isValidNodeId(host)) {
      return host;
    }
    return "node-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFFFL);
  }

  // ---------------------------------------------------------------- opening and recovery

  /** Recovers (first time) and makes sure a segment is open for writing. Under lock. */
  private boolean tryOpen() {
    try {
      if (!recovered) {
        recover();
        recovered = true;
      }
      if (active == null || activeChannel == null) {
        startSegment(nextPosition);
      }
      failing = false;
      return true;
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      failing = true;
      retryAtNanos = System.nanoTime() + RETRY_NANOS;
      Reporter.warn(
          "journal.io." + name,
          "Journal '" + name + "' cannot write to " + dir + "; appends are dropped and counted until it can: " + t,
          null);
      return false;
    }
  }

  private void recover() throws IOException {
    OwnerOnlyFiles.createDirectories(dir);
    Scan scan = Scan.of(dir);
    segments.clear();
    segments.addAll(scan.segments);
    for (Corruption c : scan.corruptions) {
      corruptCounter.increment();
      Reporter.warn(
          "journal.corrupt." + name + "." + c.segment() + "." + c.offset(),
          "Journal '" + name + "': damaged data in " + c.segment() + " at offset " + c.offset()
              + " (" + c.length() + " bytes, " + c.reason() + "); records after it are kept",
          null);
    }
    corruptionCount = scan.corruptions.size();
    long truncated = 0;
    for (Corruption c : scan.sealedTails) {
      truncated += truncateTail(c);
    }
    if (scan.tornTail != null) {
      truncated += truncateTail(scan.tornTail);
    }
    truncatedBytes = truncated;
    nextPosition = scan.nextPosition;
    published = nextPosition - 1;
    durable = nextPosition - 1; // what survived a restart is on disk
    if (scan.lastHlc >= 0) {
      clock.advanceTo(scan.lastHlc);
    }
    if (!segments.isEmpty()) {
      SegmentFile last = segments.get(segments.size() - 1);
      if (last.end >= Format.HEADER_LENGTH && last.end < segmentBytes) {
        FileChannel ch = channels.open(last.path, Set.of(StandardOpenOption.WRITE, StandardOpenOption.READ));
        active = last;
        activeEnd = last.end;
        activeChannel = ch;
      } else if (last.end < Format.HEADER_LENGTH) {
        // A segment whose header never made it to disk holds nothing: start it again.
        Files.deleteIfExists(last.path);
        segments.remove(segments.size() - 1);
      }
    }
    applyRetention();
  }

  /** Saves the damaged tail next to the segment (for forensics, at most 1 MiB) and cuts it off. */
  private long truncateTail(Corruption c) throws IOException {
    Path seg = dir.resolve(c.segment());
    long keep = Math.max(c.offset(), 0);
    long size = Files.size(seg);
    if (size <= keep) {
      return 0;
    }
    try (FileChannel ch = channels.open(seg, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE))) {
      int save = (int) Math.min(size - keep, 1024 * 1024);
      ByteBuffer tail = ByteBuffer.allocate(save);
      while (tail.hasRemaining() && ch.read(tail, keep + tail.position()) >= 0) {
        // read the damaged bytes
      }
      tail.flip();
      Path aside = dir.resolve(c.segment() + ".torn-" + keep);
      try (FileChannel out =
          channels.open(aside, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))) {
        while (tail.hasRemaining()) {
          out.write(tail);
        }
      }
      ch.truncate(keep);
      if (fsync.kind() != FsyncPolicy.Kind.NEVER) {
        ch.force(true);
      }
    }
    long removed = size - keep;
    truncatedCounter.add(removed);
    Reporter.warn(
        "journal.torn." + name + "." + c.segment(),
        "Journal '" + name + "': recovery removed an incomplete tail of " + removed + " bytes from "
            + c.segment() + " at offset " + keep + " (" + c.reason() + "); the bytes are kept in "
            + c.segment() + ".torn-" + keep,
        null);
    return removed;
  }

  private void startSegment(long base) throws IOException {
    OwnerOnlyFiles.createDirectories(dir);
    SegmentFile seg = new SegmentFile(dir.resolve(Format.segmentName(base)), base);
    FileChannel ch =
        channels.open(
            seg.path,
            Set.of(
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE,
                StandardOpenOption.READ));
    try {
      ByteBuffer h = Format.header(base);
      long at = 0;
      while (h.hasRemaining()) {
        at += ch.write(h, at);
      }
      if (fsync.kind() != FsyncPolicy.Kind.NEVER) {
        ch.force(true);
        syncDirectory();
      }
    } catch (IOException e) {
      ch.close();
      Files.deleteIfExists(seg.path);
      throw e;
    }
    seg.end = Format.HEADER_LENGTH;
    seg.nextPosition = base;
    segments.add(seg);
    active = seg;
    activeEnd = Format.HEADER_LENGTH;
    activeChannel = ch;
  }

  /** Makes a new file's directory entry durable (Linux); ignored where unsupported. */
  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | RuntimeException e) {
      // Some platforms cannot open directories; the file's own data is still forced.
    }
  }

  // ---------------------------------------------------------------- appending

  @Override
  public Appended append(String type, String key, byte[] payload) {
    if (closed) {
      drop(droppedClosed);
      return Appended.DROPPED;
    }
    try {
      return appendEncoded(type, key, PayloadFormat.BINARY, payload == null ? EMPTY : payload, NO_IDS, NewEvent.NO_VERSION);
    } catch (Throwable t) {
      return failed(t);
    }
  }

  @Override
  public Appended appendJson(String type, String key, Object value) {
    return append(NewEvent.builder(type).key(key).json(value).build());
  }

  @Override
  public <T> Appended append(String type, String key, T value, Codec<T> codec) {
    return append(NewEvent.builder(type).key(key).value(value, codec).build());
  }

  @Override
  public Appended append(NewEvent e) {
    if (closed) {
      drop(droppedClosed);
      return Appended.DROPPED;
    }
    try {
      if (e == null) {
        drop(droppedInvalid);
        return Appended.DROPPED;
      }
      byte[] payload;
      try {
        payload = encode(e);
      } catch (Throwable t) {
        Fatal.rethrowIfFatal(t);
        drop(droppedEncode);
        Reporter.warn("journal.encode." + name, "Journal '" + name + "': payload codec failed: " + t, null);
        return Appended.DROPPED;
      }
      return appendEncoded(e.type, e.key, e.format, payload, e.causedBy, e.expectedVersion);
    } catch (Throwable t) {
      return failed(t);
    }
  }

  private Appended failed(Throwable t) {
    Fatal.rethrowIfFatal(t);
    drop(droppedInvalid);
    Reporter.warn("journal.append." + name, "Journal '" + name + "' append failed: " + t, null);
    return Appended.DROPPED;
  }

  private Appended appendEncoded(
      String typeName, String keyName, PayloadFormat format, byte[] payload, long[] causes, long expectedVersion) {
    if (typeName == null || typeName.isEmpty()) {
      drop(droppedInvalid);
      return Appended.DROPPED;
    }
    String keyText = keyName == null ? "" : keyName;
    // ASCII strings (the usual case) are written char by char: no byte[] per append.
    Object type = Format.field(typeName);
    Object key = keyText.isEmpty() ? EMPTY : Format.field(keyText);
    TraceContext ctx = TraceContext.current();
    String corrId = ctx.correlationIdOrEmpty();
    Object corr = corrId.isEmpty() ? EMPTY : Format.field(corrId);
    if (Format.length(type) > 0xFFFF || Format.length(key) > 0xFFFF || Format.length(corr) > 0xFFFF || causes.length > 0xFFFF) {
      drop(droppedTooLarge);
      return Appended.DROPPED;
    }
    int frame =
        Format.frameLength(
            nodeBytes.length, Format.length(type), Format.length(key), Format.length(corr), causes.length, payload.length);
    if (frame - Format.FRAME_OVERHEAD > maxRecordBytes) {
      drop(droppedTooLarge);
      return Appended.DROPPED;
    }
    long th = 0;
    long tl = 0;
    long span = 0;
    if (ctx.isValid()) {
      th = ctx.traceIdHigh();
      tl = ctx.traceIdLow();
      span = ctx.spanId();
    }
    long id = ThreadLocalRandom.current().nextLong();
    if (id == 0) {
      id = 1;
    }
    long position;
    long hlc;
    lock.lock();
    try {
      if (closed) {
        drop(droppedClosed);
        return Appended.DROPPED;
      }
      if (failing || activeChannel == null) {
        if (System.nanoTime() - retryAtNanos < 0 || !tryOpen()) {
          drop(droppedIo);
          return Appended.DROPPED;
        }
      }
      if (activeEnd + frame > segmentBytes && activeEnd > Format.HEADER_LENGTH) {
        if (!roll()) {
          drop(droppedIo);
          return Appended.DROPPED;
        }
      }
      position = nextPosition;
      hlc = clock.tickPacked();
      if (buffer.capacity() < frame) {
        buffer = ByteBuffer.allocateDirect(Math.max(frame, buffer.capacity() * 2)).order(ByteOrder.BIG_ENDIAN);
      }
      buffer.clear();
      Format.encode(buffer, crc, position, id, hlc, nodeBytes, type, key, corr, format.code(), payload, th, tl, span, causes, expectedVersion);
      buffer.flip();
      if (!write(buffer)) {
        drop(droppedIo);
        return Appended.DROPPED;
      }
      active.indexRecord(position, activeEnd, hlc);
      activeEnd += frame;
      active.end = activeEnd;
      nextPosition = position + 1;
      active.nextPosition = nextPosition;
      published = position;
      appended++;
    } finally {
      lock.unlock();
    }
    boolean isDurable = fsync.kind() == FsyncPolicy.Kind.ALWAYS && syncTo(position);
    if (listener != AppendListener.NONE) {
      try {
        listener.onAppend(name, typeName, keyText, position, frame, hlc, isDurable);
      } catch (Throwable t) {
        Fatal.rethrowIfFatal(t);
        listenerFailures.increment();
      }
    }
    return new Appended(position, id, hlc, isDurable);
  }

  private static byte[] encode(NewEvent e) {
    if (e.codec != null) {
      byte[] b = e.codec.encode(e.value);
      return b == null ? EMPTY : b;
    }
    if (e.format == PayloadFormat.JSON) {
      return Json.write(e.value).getBytes(StandardCharsets.UTF_8);
    }
    return e.value instanceof byte[] ? (byte[]) e.value : EMPTY;
  }

  /** Writes the whole buffer at the end of the active segment; on failure cuts back and fails. */
  private boolean write(ByteBuffer b) {
    FileChannel ch = activeChannel;
    long at = activeEnd;
    try {
      while (b.hasRemaining()) {
        at += ch.write(b, at);
      }
      return true;
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      ioFailure(t);
      try {
        // A partly written record must not stay in the middle of the file: cut back to the end
        // of the last whole record so the next append follows it.
        ch.truncate(activeEnd);
      } catch (Throwable t2) {
        Fatal.rethrowIfFatal(t2);
        // Cannot cut back: abandon this segment. Recovery treats its tail as torn because the
        // next segment starts exactly at the next position.
        closeQuietly(ch);
        activeChannel = null;
        active = null;
      }
      return false;
    }
  }

  private void ioFailure(Throwable t) {
    failing = true;
    retryAtNanos = System.nanoTime() + RETRY_NANOS;
    Reporter.warn(
        "journal.io." + name,
        "Journal '" + name + "' cannot write (" + t + "); appends are dropped and counted, retrying every second",
        null);
  }

  /** Seals the active segment and starts the next. Under lock. */
  private boolean roll() {
    FileChannel old = activeChannel;
    try {
      if (fsync.kind() != FsyncPolicy.Kind.NEVER) {
        old.force(false);
        durable = Math.max(durable, published);
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      ioFailure(t);
      return false;
    }
    try {
      startSegment(nextPosition);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      ioFailure(t);
      activeChannel = null;
      active = null;
      closeQuietly(old);
      return false;
    }
    closeQuietly(old);
    applyRetention();
    return true;
  }

  /** Deletes the oldest sealed segments beyond the size or age limit. Under lock. */
  private void applyRetention() {
    if (retainBytes <= 0 && retainMillis <= 0) {
      return;
    }
    try {
      long total = 0;
      long[] sizes = new long[segments.size()];
      for (int i = 0; i < segments.size(); i++) {
        sizes[i] = Files.size(segments.get(i).path);
        total += sizes[i];
      }
      long now = System.currentTimeMillis();
      while (segments.size() > 1) {
        SegmentFile oldest = segments.get(0);
        if (oldest == active) {
          break;
        }
        long newest = oldest.lastHlc() >= 0 ? oldest.lastHlc() >>> 16 : Files.getLastModifiedTime(oldest.path).toMillis();
        boolean tooBig = retainBytes > 0 && total > retainBytes;
        boolean tooOld = retainMillis > 0 && now - newest > retainMillis;
        if (!tooBig && !tooOld) {
          break;
        }
        Files.deleteIfExists(oldest.path);
        total -= sizes[0];
        segments.remove(0);
        System.arraycopy(sizes, 1, sizes, 0, segments.size());
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      Reporter.warn("journal.retention." + name, "Journal '" + name + "': retention failed: " + t, null);
    }
  }

  // ---------------------------------------------------------------- durability

  /** Forces the file until {@code position} is durable; concurrent callers share one force. */
  private boolean syncTo(long position) {
    for (int attempt = 0; attempt < 3; attempt++) {
      if (durable >= position) {
        return true;
      }
      syncLock.lock();
      try {
        if (durable >= position) {
          return true;
        }
        long target = published;
        FileChannel ch = activeChannel;
        if (ch == null) {
          return false;
        }
        ch.force(false);
        if (target > durable) {
          durable = target;
        }
      } catch (ClosedChannelException rolled) {
        // The segment was sealed (and forced) by a roll in between; look again.
        continue;
      } catch (Throwable t) {
        Fatal.rethrowIfFatal(t);
        ioFailure(t);
        return false;
      } finally {
        syncLock.unlock();
      }
    }
    return durable >= position;
  }

  @Override
  public boolean sync() {
    try {
      return syncTo(published);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      return false;
    }
  }

  private void flushLoop(long periodMillis, boolean syncing) {
    long lastRetention = System.nanoTime();
    while (!closed) {
      try {
        Thread.sleep(periodMillis);
        if (syncing && published > durable) {
          syncTo(published);
        }
        if (retainMillis > 0 && System.nanoTime() - lastRetention > RETRY_NANOS) {
          lastRetention = System.nanoTime();
          lock.lock();
          try {
            applyRetention();
          } finally {
            lock.unlock();
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        Fatal.rethrowIfFatal(t);
      }
    }
  }

  // ---------------------------------------------------------------- reading and stats

  private List<SegmentFile> snapshot() {
    lock.lock();
    try {
      return new ArrayList<>(segments);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public EventIterator read(long fromPosition) {
    return new EventIterator(snapshot(), Math.max(0, fromPosition), -1, published + 1);
  }

  @Override
  public EventIterator readFrom(Hlc fromHlc) {
    return new EventIterator(snapshot(), 0, fromHlc.packed(), published + 1);
  }

  @Override
  public HybridClock clock() {
    return clock;
  }

  @Override
  public long nextPosition() {
    return published + 1;
  }

  @Override
  public long durablePosition() {
    return durable;
  }

  @Override
  public JournalStats stats() {
    List<SegmentFile> segs = snapshot();
    long bytes = 0;
    for (SegmentFile s : segs) {
      try {
        bytes += Files.size(s.path);
      } catch (IOException | RuntimeException e) {
        // deleted by retention meanwhile
      }
    }
    return new JournalStats(
        appended, dropped.sum(), published + 1, durable, segs.size(), bytes, truncatedBytes, corruptionCount, failing);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Path directory() {
    return dir;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      FileChannel ch = activeChannel;
      if (ch != null) {
        try {
          if (fsync.kind() != FsyncPolicy.Kind.NEVER) {
            ch.force(false);
            durable = Math.max(durable, published);
          }
        } catch (Throwable t) {
          Fatal.rethrowIfFatal(t);
        }
        closeQuietly(ch);
      }
      activeChannel = null;
    } finally {
      lock.unlock();
    }
    flusher.interrupt();
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
    }
  }

}
