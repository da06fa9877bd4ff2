package dev.cairn.diagnostics.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A fixed-size ring that keeps the most recent entries: adding is one atomic increment and one
 * array store on the caller's thread (no lock, no allocation besides the entry), the oldest entry
 * is overwritten when full, and overwrites are counted. Snapshots are newest first and may miss an
 * entry being written concurrently, which is fine for a diagnostics view.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class BoundedRing<T> {
  private final AtomicReferenceArray<T> slots;
  private final int mask;
  private final AtomicLong next = new AtomicLong();

  /** Capacity is rounded up to a power of two (at least 1, at most 65536). */
  public BoundedRing(int capacity) {
    int c = Integer.highestOneBit(Math.max(1, Math.min(capacity, 1 << 16)) * 2 - 1);
    this.slots = new AtomicReferenceArray<>(c);
    this.mask = c - 1;
  }

  public void add(T entry) {
    long i = next.getAndIncrement();
    slots.set((int) (i & mask), entry);
  }

  public int capacity() {
    return mask + 1;
  }

  /** Entries ever added. */
  public long added() {
    return next.get();
  }

  /** Entries overwritten because the ring was full. */
  public long overwritten() {
    return Math.max(0, next.get() - capacity());
  }

  /** The entries, newest first. */
  public List<T> snapshot() {
    long end = next.get();
    int n = (int) Math.min(end, capacity());
    List<T> out = new ArrayList<>(n);
    for (long i = end - 1; i >= end - n; i--) {
      T t = slots.get((int) (i & mask));
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }
}
