package dev.cairn.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads frames from one segment file through a window buffer, validating each (length bounds,
 * CRC32C over length and body, record layout, position order) and resynchronising after damage.
 */
final class SegmentReader implements AutoCloseable {
  enum Kind {
    RECORD,
    CORRUPT,
    TAIL,
    END
  }

  /** Result of {@link #step}: a record, a damaged region followed by more records, or a torn tail. */
  static final class Step {
    Kind kind;
    long offset;
    long length;
    String reason;
    long position;
    long hlc;
  }

  private final FileChannel channel;
  private final CRC32C crc = new CRC32C();
  private ByteBuffer window = ByteBuffer.allocate(64 * 1024);
  private long windowStart;
  private int windowLength;
  private long limit;

  SegmentReader(Path path) throws IOException {
    this.channel = FileChannel.open(path, StandardOpenOption.READ);
  }

  long size() throws IOException {
    return channel.size();
  }

  /** Reads the 32-byte header; null if the file is shorter. */
  ByteBuffer header() throws IOException {
    limit = Math.max(limit, Format.HEADER_LENGTH);
    if (!ensure(0, Format.HEADER_LENGTH)) {
      return null;
    }
    ByteBuffer h = ByteBuffer.allocate(Format.HEADER_LENGTH);
    for (int i = 0; i < Format.HEADER_LENGTH; i++) {
      h.put(i, window.get(i - (int) windowStart));
    }
    return h;
  }

  /** Makes bytes [off, off + n) available in the window; false if they lie beyond the limit. */
  private boolean ensure(long off, int n) throws IOException {
    if (off < 0 || off + n > limit) {
      return false;
    }
    if (off >= windowStart && off + n <= windowStart + windowLength) {
      return true;
    }
    if (window.capacity() < n) {
      window = ByteBuffer.allocate(Math.max(n, window.capacity() * 2));
    }
    window.clear();
    int want = (int) Math.min(window.capacity(), limit - off);
    window.limit(want);
    long at = off;
    while (window.hasRemaining()) {
      int r = channel.read(window, at);
      if (r < 0) {
        break;
      }
      at += r;
    }
    windowStart = off;
    windowLength = window.position();
    return windowLength >= n;
  }

  /**
   * The next step at {@code off}, reading no further than {@code end}. {@code expected} is the
   * position the next record must have (or more, after damage), -1 if unknown.
   */
  Step step(long off, long end, long expected, Step out) throws IOException {
    limit = end;
    out.reason = null;
    if (off >= end) {
      out.kind = Kind.END;
      out.offset = off;
      out.length = 0;
      return out;
    }
    String bad = check(off, expected);
    if (bad == null) {
      int w = (int) (off - windowStart);
      out.kind = Kind.RECORD;
      out.offset = off;
      out.length = Format.FRAME_OVERHEAD + (long) window.getInt(w);
      out.position = Format.positionOf(window, w);
      out.hlc = Format.hlcOf(window, w);
      return out;
    }
    long next = resync(off + 1, end, expected);
    out.offset = off;
    out.reason = bad;
    if (next < 0) {
      out.kind = Kind.TAIL;
      out.length = end - off;
    } else {
      out.kind = Kind.CORRUPT;
      out.length = next - off;
    }
    return out;
  }

  /** Decodes the record validated by the last {@link #step} at {@code off}. */
  Event decode(long off, String segment) throws IOException {
    int len = window.getInt((int) (off - windowStart));
    ensure(off, Format.FRAME_OVERHEAD + len);
    return Format.decode(window, (int) (off - windowStart), segment, off);
  }

  private String check(long off, long expected) throws IOException {
    if (!ensure(off, Format.FRAME_OVERHEAD)) {
      return "incomplete frame header";
    }
    int w = (int) (off - windowStart);
    int len = window.getInt(w);
    if (len < Format.MIN_BODY || len > Format.MAX_BODY) {
      return "invalid record length " + Integer.toUnsignedString(len);
    }
    if (!ensure(off, Format.FRAME_OVERHEAD + len)) {
      return "incomplete record";
    }
    w = (int) (off - windowStart);
    int stored = window.getInt(w + 4);
    if (Format.crcOf(window, w, len, crc) != stored) {
      return "crc mismatch";
    }
    String layout = Format.checkLayout(window, w + Format.FRAME_OVERHEAD, len);
    if (layout != null) {
      return layout;
    }
    long pos = Format.positionOf(window, w);
    if (expected >= 0 && pos < expected) {
      return "position " + pos + " out of order (expected " + expected + ")";
    }
    return null;
  }

  /** Offset of the next valid record after damage, or -1 if none follows before {@code end}. */
  private long resync(long from, long end, long expected) throws IOException {
    for (long off = from; off + Format.FRAME_OVERHEAD + Format.MIN_BODY <= end; off++) {
      if (!ensure(off, Format.FRAME_OVERHEAD + 1)) {
        return -1;
      }
      int w = (int) (off - windowStart);
      int len = window.getInt(w);
      if (len < Format.MIN_BODY
          || len > Format.MAX_BODY
          || off + Format.FRAME_OVERHEAD + len > end
          || window.get(w + Format.FRAME_OVERHEAD) != Format.RECORD_VERSION) {
        continue;
      }
      if (check(off, expected) == null) {
        return off;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // read-only channel: nothing to lose
    }
  }
}
