package dev.cairn.journal;

import dev.cairn.internal.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;

/**
 * Reduced state as of a position, so replay can start there instead of at the beginning. Stored
 * with the application's codec in a small file: {@code "CAIRNSNP" | u64 nextPosition | u32 length
 * | state bytes | u32 crc32c(all before)}, written to a temporary owner-only ({@code rw-------}) file and renamed into place.
 *
 * @param nextPosition the first position not folded into {@code state}
 * @param state the state
 * @param <S> the state type
 */
public record Snapshot<S>(long nextPosition, S state) {
  private static final byte[] MAGIC = {'C', 'A', 'I', 'R', 'N', 'S', 'N', 'P'};

  /** Writes this snapshot to {@code file} atomically. */
  public void save(Path file, Codec<S> codec) throws IOException {
    byte[] body = codec.encode(state);
    ByteBuffer b = ByteBuffer.allocate(8 + 8 + 4 + body.length + 4);
    b.put(MAGIC).putLong(nextPosition).putInt(body.length).put(body);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    // A temporary file left by a crash may have other permissions: start a fresh owner-only one.
    Files.deleteIfExists(tmp);
    OwnerOnlyFiles.writeNew(tmp, b.array());
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads a snapshot written by {@link #save}.
   *
   * @throws IOException if the file is unreadable, truncated or fails its checksum
   */
  public static <S> Snapshot<S> load(Path file, Codec<S> codec) throws IOException {
    byte[] all = Files.readAllBytes(file);
    if (all.length < 24) {
      throw new IOException("snapshot " + file + " is truncated");
    }
    ByteBuffer b = ByteBuffer.wrap(all);
    for (byte m : MAGIC) {
      if (b.get() != m) {
        throw new IOException("snapshot " + file + " has a bad magic number");
      }
    }
    long next = b.getLong();
    int len = b.getInt();
    if (len < 0 || len != all.length - 24) {
      throw new IOException("snapshot " + file + " has a bad length");
    }
    CRC32C crc = new CRC32C();
    crc.update(all, 0, 20 + len);
    if ((int) crc.getValue() != ByteBuffer.wrap(all, 20 + len, 4).getInt()) {
      throw new IOException("snapshot " + file + " fails its checksum");
    }
    byte[] body = new byte[len];
    System.arraycopy(all, 20, body, 0, len);
    return new Snapshot<>(next, codec.decode(body));
  }
}
