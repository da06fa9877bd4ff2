package dev.cairn.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The on-disk format (docs/journal.md is the normative description; keep both in step).
 *
 * <pre>
 * segment  = header(32) frame*
 * header   = magic "CAIRNJNL" | u16 version=1 | u16 headerLength=32 | u32 flags=0
 *            | u64 basePosition | u32 reserved=0 | u32 crc32c(bytes 0..27)
 * frame    = u32 bodyLength | u32 crc32c(bodyLength bytes ++ body) | body
 * body     = u8 recordVersion=1 | u8 payloadFormat | u16 flags=0 | u64 position | u64 id
 *            | u64 hlcPhysicalMillis | u32 hlcLogical | u64 traceIdHigh | u64 traceIdLow
 *            | u64 spanId | i64 expectedVersion
 *            | u8 nodeIdLength | nodeId | u16 typeLength | type | u16 keyLength | key
 *            | u16 correlationIdLength | correlationId | u16 causedByCount | u64 causedBy*
 *            | u32 payloadLength | payload
 * </pre>
 *
 * All integers big-endian; strings UTF-8.
 */
final class Format {
  static final byte[] MAGIC = "CAIRNJNL".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int HEADER_LENGTH = 32;
  static final int FRAME_OVERHEAD = 8;
  static final int RECORD_VERSION = 1;
  static final int FIXED_BODY = 64;
  static final int MIN_BODY = FIXED_BODY + 1 + 2 + 2 + 2 + 2 + 4;
  /** Largest body any reader accepts; a length beyond it is damage, not a record. */
  static final int MAX_BODY = 16 * 1024 * 1024;
  static final String SUFFIX = ".cjnl";

  private Format() {}

  static String segmentName(long basePosition) {
    String digits = Long.toString(basePosition);
    return "0".repeat(Math.max(0, 20 - digits.length())) + digits + SUFFIX;
  }

  /** Base position from a segment file name, or -1 if the name is not a segment's. */
  static long baseOf(String fileName) {
    if (fileName.length() != 20 + SUFFIX.length() || !fileName.endsWith(SUFFIX)) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < 20; i++) {
      char c = fileName.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
      if (v < 0) {
        return -1;
      }
    }
    return v;
  }

  static ByteBuffer header(long basePosition) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.BIG_ENDIAN);
    b.put(MAGIC).putShort((short) VERSION).putShort((short) HEADER_LENGTH).putInt(0);
    b.putLong(basePosition).putInt(0);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 28);
    b.putInt((int) crc.getValue());
    b.flip();
    return b;
  }

  /** Null when valid, else what is wrong with a 32-byte header. */
  static String checkHeader(ByteBuffer b, long expectedBase) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (b.get(i) != MAGIC[i]) {
        return "bad segment magic";
      }
    }
    CRC32C crc = new CRC32C();
    byte[] first = new byte[28];
    b.get(0, first);
    crc.update(first);
    if ((int) crc.getValue() != b.getInt(28)) {
      return "segment header crc mismatch";
    }
    if ((b.getShort(8) & 0xFFFF) != VERSION) {
      return "unsupported segment version " + (b.getShort(8) & 0xFFFF);
    }
    if (b.getLong(16) != expectedBase) {
      return "segment header base position " + b.getLong(16) + " differs from file name";
    }
    return null;
  }

  static int frameLength(int nodeLen, int typeLen, int keyLen, int corrLen, int causes, int payloadLen) {
    return FRAME_OVERHEAD + MIN_BODY + nodeLen + typeLen + keyLen + corrLen + 8 * causes + payloadLen;
  }

  /** Writes one frame at the buffer's position; the buffer must have room. */
  static void encode(
      ByteBuffer b,
      CRC32C crc,
      long position,
      long id,
      long hlcPacked,
      byte[] node,
      Object type,
      Object key,
      Object corr,
      int format,
      byte[] payload,
      long traceHigh,
      long traceLow,
      long spanId,
      long[] causedBy,
      long expectedVersion) {
    int start = b.position();
    int bodyLen =
        MIN_BODY + node.length + length(type) + length(key) + length(corr) + 8 * causedBy.length
            + payload.length;
    b.putInt(bodyLen);
    b.putInt(0); // crc placeholder
    b.put((byte) RECORD_VERSION).put((byte) format).putShort((short) 0);
    b.putLong(position).putLong(id);
    b.putLong(hlcPacked >>> 16).putInt((int) (hlcPacked & 0xFFFF));
    b.putLong(traceHigh).putLong(traceLow).putLong(spanId).putLong(expectedVersion);
    b.put((byte) node.length).put(node);
    putField(b, type);
    putField(b, key);
    putField(b, corr);
    b.putShort((short) causedBy.length);
    for (long c : causedBy) {
      b.putLong(c);
    }
    b.putInt(payload.length).put(payload);
    int end = b.position();
    crc.reset();
    ByteBuffer view = b.duplicate();
    view.limit(start + 4).position(start);
    crc.update(view);
    view.limit(end).position(start + FRAME_OVERHEAD);
    crc.update(view);
    b.putInt(start + 4, (int) crc.getValue());
  }

  /**
   * A string field given either as its UTF-8 bytes or, to spare the append path an array, as a
   * String known to be ASCII (one byte per char). See {@link #field}.
   */
  static int length(Object field) {
    return field instanceof String ? ((String) field).length() : ((byte[]) field).length;
  }

  private static void putField(ByteBuffer b, Object field) {
    if (field instanceof String) {
      String s = (String) field;
      b.putShort((short) s.length());
      for (int i = 0; i < s.length(); i++) {
        b.put((byte) s.charAt(i));
      }
    } else {
      byte[] bytes = (byte[]) field;
      b.putShort((short) bytes.length).put(bytes);
    }
  }

  /** {@code s} itself when it is ASCII, else its UTF-8 bytes. */
  static Object field(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return s.getBytes(StandardCharsets.UTF_8);
      }
    }
    return s;
  }

  /** CRC of a frame held in {@code b} at {@code off} with body length {@code bodyLen}. */
  static int crcOf(ByteBuffer b, int off, int bodyLen, CRC32C crc) {
    crc.reset();
    ByteBuffer view = b.duplicate();
    view.limit(off + 4).position(off);
    crc.update(view);
    view.limit(off + FRAME_OVERHEAD + bodyLen).position(off + FRAME_OVERHEAD);
    crc.update(view);
    return (int) crc.getValue();
  }

  /**
   * Checks that the inner lengths of a checksummed body add up exactly. Returns null when they do,
   * else the reason.
   */
  static String checkLayout(ByteBuffer b, int bodyOff, int bodyLen) {
    if (b.get(bodyOff) != RECORD_VERSION) {
      return "unsupported record version " + (b.get(bodyOff) & 0xFF);
    }
    int p = bodyOff + FIXED_BODY;
    int end = bodyOff + bodyLen;
    if (p + 1 > end) {
      return "record layout";
    }
    p += 1 + (b.get(p) & 0xFF);
    for (int i = 0; i < 3; i++) {
      if (p + 2 > end) {
        return "record layout";
      }
      p += 2 + (b.getShort(p) & 0xFFFF);
    }
    if (p + 2 > end) {
      return "record layout";
    }
    p += 2 + 8 * (b.getShort(p) & 0xFFFF);
    if (p + 4 > end) {
      return "record layout";
    }
    long payload = b.getInt(p) & 0xFFFFFFFFL;
    if (p + 4 + payload != end) {
      return "record layout";
    }
    return null;
  }

  static long positionOf(ByteBuffer b, int frameOff) {
    return b.getLong(frameOff + FRAME_OVERHEAD + 4);
  }

  static long hlcOf(ByteBuffer b, int frameOff) {
    int o = frameOff + FRAME_OVERHEAD + 20;
    return (b.getLong(o) << 16) | (b.getInt(o + 8) & 0xFFFF);
  }

  static Event decode(ByteBuffer b, int frameOff, String segment, long fileOffset) {
    int o = frameOff + FRAME_OVERHEAD;
    PayloadFormat format = PayloadFormat.ofCode(b.get(o + 1) & 0xFF);
    long position = b.getLong(o + 4);
    long id = b.getLong(o + 12);
    long physical = b.getLong(o + 20);
    int logical = b.getInt(o + 28) & 0xFFFF;
    long th = b.getLong(o + 32);
    long tl = b.getLong(o + 40);
    long span = b.getLong(o + 48);
    long expected = b.getLong(o + 56);
    int p = o + FIXED_BODY;
    int n = b.get(p) & 0xFF;
    String node = string(b, p + 1, n);
    p += 1 + n;
    n = b.getShort(p) & 0xFFFF;
    String type = string(b, p + 2, n);
    p += 2 + n;
    n = b.getShort(p) & 0xFFFF;
    String key = string(b, p + 2, n);
    p += 2 + n;
    n = b.getShort(p) & 0xFFFF;
    String corr = string(b, p + 2, n);
    p += 2 + n;
    n = b.getShort(p) & 0xFFFF;
    long[] causes = new long[n];
    p += 2;
    for (int i = 0; i < n; i++) {
      causes[i] = b.getLong(p);
      p += 8;
    }
    int plen = b.getInt(p);
    byte[] payload = new byte[plen];
    b.get(p + 4, payload);
    return new Event(
        position,
        id,
        Hlc.unchecked(physical, logical, node),
        type,
        key,
        format,
        payload,
        th,
        tl,
        span,
        corr,
        causes,
        expected,
        segment,
        fileOffset);
  }

  private static String string(ByteBuffer b, int off, int len) {
    if (len == 0) {
      return "";
    }
    byte[] bytes = new byte[len];
    b.get(off, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
