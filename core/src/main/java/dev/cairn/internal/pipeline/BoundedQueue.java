package dev.cairn.internal.pipeline;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free multi-producer multi-consumer array queue (Dmitry Vyukov's design: each slot
 * carries a sequence number telling producers and consumers whose turn it is). {@link #offer} never
 * blocks, never parks and allocates nothing: it is one CAS on the tail in the common case. More
 * than one consumer is needed because a producer evicts the oldest item under the drop-oldest
 * policy, and close drains what the worker left.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class BoundedQueue<E> {
  private final int capacity;
  private final int mask;
  private final AtomicReferenceArray<E> items;
  private final AtomicLongArray sequence;
  private final AtomicLong tail = new AtomicLong();
  private final AtomicLong head = new AtomicLong();

  /** A queue holding at least {@code minCapacity} items (rounded up to a power of two). */
  public BoundedQueue(int minCapacity) {
    if (minCapacity < 1 || minCapacity > (1 << 30)) {
      throw new IllegalArgumentException("capacity: " + minCapacity);
    }
    int cap = Integer.highestOneBit(minCapacity);
    if (cap < minCapacity) {
      cap <<= 1;
    }
    capacity = cap;
    mask = cap - 1;
    items = new AtomicReferenceArray<>(cap);
    sequence = new AtomicLongArray(cap);
    for (int i = 0; i < cap; i++) {
      sequence.setPlain(i, i);
    }
  }

  /** The real capacity. */
  public int capacity() {
    return capacity;
  }

  /** Adds {@code e} unless the queue is full. Never blocks. */
  public boolean offer(E e) {
    long pos = tail.get();
    while (true) {
      int idx = (int) (pos & mask);
      long dif = sequence.getAcquire(idx) - pos;
      if (dif == 0) {
        if (tail.compareAndSet(pos, pos + 1)) {
          items.setPlain(idx, e);
          sequence.setRelease(idx, pos + 1);
          return true;
        }
        pos = tail.get();
      } else if (dif < 0) {
        return false;
      } else {
        pos = tail.get();
      }
    }
  }

  /** Removes the oldest item, or returns {@code null} when empty. */
  public E poll() {
    long pos = head.get();
    while (true) {
      int idx = (int) (pos & mask);
      long dif = sequence.getAcquire(idx) - (pos + 1);
      if (dif == 0) {
        if (head.compareAndSet(pos, pos + 1)) {
          E e = items.getPlain(idx);
          items.setPlain(idx, null);
          sequence.setRelease(idx, pos + capacity);
          return e;
        }
        pos = head.get();
      } else if (dif < 0) {
        return null;
      } else {
        pos = head.get();
      }
    }
  }

  /** Moves up to {@code max} items into {@code out}; returns how many. */
  public int drainTo(List<E> out, int max) {
    int n = 0;
    while (n < max) {
      E e = poll();
      if (e == null) {
        break;
      }
      out.add(e);
      n++;
    }
    return n;
  }

  /** Items in the queue (exact when no offer or poll is in progress). */
  public int size() {
    while (true) {
      long h = head.get();
      long t = tail.get();
      if (head.get() == h) {
        long s = t - h;
        return s < 0 ? 0 : (int) Math.min(s, capacity);
      }
    }
  }

  /** True when empty. */
  public boolean isEmpty() {
    return size() == 0;
  }

  /** Number of successful offers so far (the position the next item will take). */
  public long tailPosition() {
    return tail.get();
  }

  /** Number of successful polls so far. */
  public long headPosition() {
    return head.get();
  }
}
