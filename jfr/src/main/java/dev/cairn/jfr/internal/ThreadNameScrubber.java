package dev.cairn.jfr.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Redacts thread and thread-group names inside a JFR recording file, in place.
 *
 * <p>No JFR setting keeps thread names out of a recording: every event refers to its thread
 * through the chunk's constant pool, and the pool holds each thread's name verbatim. So after a
 * dump, this class walks each chunk's constant pools (the format the JDK's own parser reads:
 * chunk header, metadata event, chain of checkpoint events), finds the entries of {@code
 * java.lang.Thread} and {@code jdk.types.ThreadGroup}, passes their names through {@code redact}
 * and overwrites each changed name with a replacement of exactly the same byte length (cut or
 * padded with spaces, non-ASCII shown as {@code ?}). Nothing moves, so every offset in the file
 * stays valid and the file needs no other change.
 *
 * <p>A file it cannot understand (another major version, a damaged chunk) makes it throw: the
 * caller must then not publish the file.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class ThreadNameScrubber {
  private static final int HEADER_BYTES = 68;
  private static final long METADATA_TYPE = 0;
  private static final long CHECKPOINT_TYPE = 1;
  private static final Set<String> NAMED = Set.of("java.lang.Thread", "jdk.types.ThreadGroup");

  private final UnaryOperator<String> redact;
  private final Set<Long> stringRefs = new HashSet<>();
  private int changed;

  private ThreadNameScrubber(UnaryOperator<String> redact) {
    this.redact = redact;
  }

  /**
   * Redacts every thread and thread-group name in {@code file}.
   *
   * @return how many names were changed
   * @throws IOException if the file cannot be read or is not a recording this class understands
   */
  public static int scrub(Path file, UnaryOperator<String> redact) throws IOException {
    ThreadNameScrubber s = new ThreadNameScrubber(redact);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long chunk = 0;
      while (chunk < size) {
        chunk += s.chunk(ch, chunk, size);
      }
    }
    return s.changed;
  }

  /** Scrubs the chunk at {@code start}; returns its size. */
  private long chunk(FileChannel ch, long start, long fileSize) throws IOException {
    ByteBuffer h = ByteBuffer.wrap(read(ch, start, HEADER_BYTES));
    if (h.get(0) != 'F' || h.get(1) != 'L' || h.get(2) != 'R' || h.get(3) != 0) {
      throw new IOException("not a JFR chunk at offset " + start);
    }
    int major = h.getShort(4);
    if (major != 2) {
      throw new IOException("JFR file version " + major + " is not supported");
    }
    long chunkSize = h.getLong(8);
    long poolOffset = h.getLong(16);
    long metadataOffset = h.getLong(24);
    if (chunkSize <= HEADER_BYTES
        || start + chunkSize > fileSize
        || poolOffset < HEADER_BYTES
        || poolOffset >= chunkSize
        || metadataOffset < HEADER_BYTES
        || metadataOffset >= chunkSize) {
      throw new IOException("JFR chunk at offset " + start + " is incomplete or damaged");
    }
    Map<Long, Type> types = metadata(ch, start + metadataOffset);
    stringRefs.clear();
    walkPools(ch, start, poolOffset, chunkSize, types, false);
    if (!stringRefs.isEmpty()) {
      // Names stored as references into the chunk's string pool: redact those entries too.
      walkPools(ch, start, poolOffset, chunkSize, types, true);
    }
    return chunkSize;
  }

  private void walkPools(
      FileChannel ch, long chunk, long poolOffset, long chunkSize, Map<Long, Type> types, boolean strings)
      throws IOException {
    long offset = poolOffset;
    int guard = 0;
    while (true) {
      if (offset < HEADER_BYTES || offset >= chunkSize || ++guard > 1_000_000) {
        throw new IOException("JFR checkpoint chain leaves the chunk at offset " + chunk);
      }
      byte[] event = event(ch, chunk + offset, chunk + chunkSize);
      Reader r = new Reader(event);
      r.varlong(); // size
      if (r.varlong() != CHECKPOINT_TYPE) {
        throw new IOException("expected a JFR checkpoint at offset " + (chunk + offset));
      }
      r.varlong(); // start time
      r.varlong(); // duration
      long delta = r.varlong();
      r.need(1);
      r.pos++; // checkpoint kind
      int pools = r.varint();
      int before = changed;
      for (int p = 0; p < pools; p++) {
        Type type = types.get(r.varlong());
        if (type == null) {
          throw new IOException("JFR constant pool of an undeclared type");
        }
        int count = r.varint();
        for (int i = 0; i < count; i++) {
          long key = r.varlong();
          if (strings && type.isString()) {
            if (stringRefs.contains(key)) {
              string(r, true);
            } else {
              string(r, false);
            }
          } else if (!strings && NAMED.contains(type.name)) {
            named(r, type, types);
          } else {
            skip(r, type, types, 0);
          }
        }
      }
      if (changed != before) {
        write(ch, chunk + offset, event);
      }
      if (delta == 0) {
        return;
      }
      offset += delta;
    }
  }

  /** A thread or thread group: its inline string fields are redacted. */
  private void named(Reader r, Type type, Map<Long, Type> types) throws IOException {
    for (Field f : type.fields) {
      Type ft = types.get(f.type);
      if (ft != null && ft.isString() && !f.pooled && !f.array) {
        string(r, true);
      } else {
        field(r, f, types, 1);
      }
    }
  }

  private void skip(Reader r, Type type, Map<Long, Type> types, int depth) throws IOException {
    if (depth > 64) {
      throw new IOException("JFR types nest too deeply");
    }
    switch (type.name) {
      case "boolean":
      case "byte":
        r.pos += 1;
        return;
      case "short":
      case "char":
      case "int":
      case "long":
        r.varlong();
        return;
      case "float":
        r.pos += 4;
        return;
      case "double":
        r.pos += 8;
        return;
      case "java.lang.String":
        string(r, false);
        return;
      default:
        for (Field f : type.fields) {
          field(r, f, types, depth + 1);
        }
    }
  }

  private void field(Reader r, Field f, Map<Long, Type> types, int depth) throws IOException {
    int n = f.array ? r.varint() : 1;
    for (int i = 0; i < n; i++) {
      if (f.pooled) {
        r.varlong();
      } else {
        Type t = types.get(f.type);
        if (t == null) {
          throw new IOException("JFR field of an undeclared type");
        }
        skip(r, t, types, depth);
      }
    }
  }

  /** Reads (and, when {@code redact}, rewrites in place) one encoded string. */
  private void string(Reader r, boolean redactIt) throws IOException {
    r.need(1);
    int encoding = r.b[r.pos++];
    switch (encoding) {
      case 0: // null
      case 1: // ""
        return;
      case 2: // a reference into the string pool
        long ref = r.varlong();
        if (redactIt) {
          stringRefs.add(ref);
        }
        return;
      case 3: // UTF-8
      case 5: // Latin-1
        {
          int len = r.varint();
          int start = r.pos;
          r.need(len);
          r.pos += len;
          if (redactIt) {
            String s =
                new String(r.b, start, len, encoding == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            String red = redact.apply(s);
            if (!s.equals(red)) {
              for (int i = 0; i < len; i++) {
                char c = i < red.length() ? red.charAt(i) : ' ';
                r.b[start + i] = (byte) (c >= 0x20 && c < 0x7f ? c : '?');
              }
              changed++;
            }
          }
          return;
        }
      case 4: // chars, each a compressed integer
        {
          int n = r.varint();
          int start = r.pos;
          int[] widths = new int[n];
          StringBuilder s = new StringBuilder(n);
          for (int i = 0; i < n; i++) {
            int at = r.pos;
            s.append((char) r.varlong());
            widths[i] = r.pos - at;
          }
          if (redactIt) {
            String red = redact.apply(s.toString());
            if (!red.contentEquals(s)) {
              int at = start;
              for (int i = 0; i < n; i++) {
                char c = i < red.length() ? red.charAt(i) : ' ';
                if (width(c) != widths[i]) {
                  c = widths[i] == 1 ? '?' : widths[i] == 2 ? '\u2026' : '\ufffd';
                }
                at = putVarChar(r.b, at, c);
              }
              changed++;
            }
          }
          return;
        }
      default:
        throw new IOException("unknown JFR string encoding " + encoding);
    }
  }

  private static int width(char c) {
    return c < 0x80 ? 1 : c < 0x4000 ? 2 : 3;
  }

  private static int putVarChar(byte[] b, int at, char c) {
    int v = c;
    while (v >= 0x80) {
      b[at++] = (byte) (v | 0x80);
      v >>>= 7;
    }
    b[at++] = (byte) v;
    return at;
  }

  // ------------------------------------------------------------------ metadata

  private static Map<Long, Type> metadata(FileChannel ch, long offset) throws IOException {
    byte[] event = event(ch, offset, ch.size());
    Reader r = new Reader(event);
    r.varlong(); // size
    if (r.varlong() != METADATA_TYPE) {
      throw new IOException("expected JFR metadata at offset " + offset);
    }
    r.varlong(); // start time
    r.varlong(); // duration
    r.varlong(); // metadata id
    int n = r.varint();
    String[] pool = new String[n];
    for (int i = 0; i < n; i++) {
      pool[i] = plainString(r);
    }
    Element root = element(r, pool, 0);
    Map<Long, Type> types = new HashMap<>();
    for (Element section : root.children) {
      if (!"metadata".equals(section.name)) {
        continue;
      }
      for (Element c : section.children) {
        if (!"class".equals(c.name)) {
          continue;
        }
        Type t = new Type(c.attributes.get("name"));
        for (Element f : c.children) {
          if ("field".equals(f.name)) {
            t.fields.add(
                new Field(
                    Long.parseLong(f.attributes.get("class")),
                    "true".equals(f.attributes.get("constantPool")),
                    "1".equals(f.attributes.get("dimension"))));
          }
        }
        types.put(Long.parseLong(c.attributes.get("id")), t);
      }
    }
    return types;
  }

  private static Element element(Reader r, String[] pool, int depth) throws IOException {
    if (depth > 32) {
      throw new IOException("JFR metadata nests too deeply");
    }
    Element e = new Element(pool[r.varint()]);
    int attributes = r.varint();
    for (int i = 0; i < attributes; i++) {
      e.attributes.put(pool[r.varint()], pool[r.varint()]);
    }
    int children = r.varint();
    for (int i = 0; i < children; i++) {
      e.children.add(element(r, pool, depth + 1));
    }
    return e;
  }

  private static String plainString(Reader r) throws IOException {
    r.need(1);
    int encoding = r.b[r.pos++];
    switch (encoding) {
      case 0:
      case 1:
        return "";
      case 3:
      case 5:
        {
          int len = r.varint();
          r.need(len);
          String s =
              new String(r.b, r.pos, len, encoding == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
          r.pos += len;
          return s;
        }
      case 4:
        {
          int n = r.varint();
          StringBuilder s = new StringBuilder(n);
          for (int i = 0; i < n; i++) {
            s.append((char) r.varlong());
          }
          return s.toString();
        }
      default:
        throw new IOException("unknown JFR string encoding " + encoding + " in metadata");
    }
  }

  // ------------------------------------------------------------------ file access

  /** The whole event at {@code offset}, whose first field is its size. */
  private static byte[] event(FileChannel ch, long offset, long limit) throws IOException {
    byte[] head = read(ch, offset, (int) Math.min(10, limit - offset));
    long size = new Reader(head).varlong();
    if (size <= 0 || size > Integer.MAX_VALUE || offset + size > limit) {
      throw new IOException("JFR event at offset " + offset + " has a bad size " + size);
    }
    return read(ch, offset, (int) size);
  }

  private static byte[] read(FileChannel ch, long offset, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (ch.read(b, offset + b.position()) < 0) {
        throw new EOFException("JFR file ends at offset " + (offset + b.position()));
      }
    }
    return b.array();
  }

  private static void write(FileChannel ch, long offset, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      ch.write(b, offset + b.position());
    }
  }

  /** JFR's compressed integers: 7 bits a byte, low bits first, the ninth byte whole. */
  private static final class Reader {
    final byte[] b;
    int pos;

    Reader(byte[] b) {
      this.b = b;
    }

    void need(int n) throws IOException {
      if (n < 0 || pos + n > b.length) {
        throw new EOFException("JFR event is shorter than its contents");
      }
    }

    long varlong() throws IOException {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        need(1);
        int x = b[pos++];
        v |= (long) (x & 0x7f) << (7 * i);
        if (x >= 0) {
          return v;
        }
      }
      need(1);
      return v | (long) (b[pos++] & 0xff) << 56;
    }

    int varint() throws IOException {
      long v = varlong();
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new IOException("JFR count out of range: " + v);
      }
      return (int) v;
    }
  }

  private static final class Type {
    final String name;
    final List<Field> fields = new ArrayList<>();

    Type(String name) {
      this.name = name == null ? "" : name;
    }

    boolean isString() {
      return name.equals("java.lang.String");
    }
  }

  private static final class Field {
    final long type;
    final boolean pooled;
    final boolean array;

    Field(long type, boolean pooled, boolean array) {
      this.type = type;
      this.pooled = pooled;
      this.array = array;
    }
  }

  private static final class Element {
    final String name;
    final Map<String, String> attributes = new HashMap<>();
    final List<Element> children = new ArrayList<>();

    Element(String name) {
      this.name = name;
    }
  }
}
