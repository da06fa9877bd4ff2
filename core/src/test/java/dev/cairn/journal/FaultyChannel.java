package dev.cairn.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A FileChannel that behaves like a full disk while {@link #full} is set: a write stores a few
 * bytes and then fails with "No space left on device", as a real short write on ENOSPC does.
 */
final class FaultyChannel extends FileChannel {
  static final AtomicBoolean full = new AtomicBoolean();
  private final FileChannel d;

  FaultyChannel(FileChannel delegate) {
    this.d = delegate;
  }

  private void check(ByteBuffer src, long position) throws IOException {
    if (full.get()) {
      if (src.remaining() > 5) {
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + 5);
        d.write(part, position); // a torn write reaches the file before the error
      }
      throw new IOException("No space left on device");
    }
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    check(src, position);
    return d.write(src, position);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    check(src, d.position());
    return d.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    if (full.get()) {
      throw new IOException("No space left on device");
    }
    return d.write(srcs, offset, length);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return d.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return d.read(dsts, offset, length);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return d.read(dst, position);
  }

  @Override
  public long position() throws IOException {
    return d.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    d.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return d.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    d.truncate(size);
    return this;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    d.force(metaData);
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return d.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    return d.transferFrom(src, position, count);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return d.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return d.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return d.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    d.close();
  }
}
