package dev.cairn.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Iterates a journal's events in position order. Damaged regions are never skipped silently: each
 * one is added to {@link #corruptions()} (segment, offset, length, reason) before reading resumes at
 * the next valid record. I/O failures surface as {@link UncheckedIOException}. Close it to release
 * the open file.
 */
public final class EventIterator implements Iterator<Event>, AutoCloseable {
  private final List<SegmentFile> segments;
  private final long fromPosition;
  private final long fromHlc;
  private final long limitPosition;
  private final List<Corruption> corruptions = new ArrayList<>();
  private final SegmentReader.Step step = new SegmentReader.Step();
  private int index = -1;
  private SegmentReader reader;
  private SegmentFile current;
  private long offset;
  private long expected = -1;
  private Event next;
  private boolean done;

  EventIterator(List<SegmentFile> segments, long fromPosition, long fromHlc, long limitPosition) {
    this.segments = segments;
    this.fromPosition = fromPosition;
    this.fromHlc = fromHlc;
    this.limitPosition = limitPosition;
    this.index = firstSegment();
  }

  private int firstSegment() {
    int start = 0;
    for (int i = 0; i < segments.size(); i++) {
      SegmentFile s = segments.get(i);
      boolean before =
          fromHlc >= 0 ? s.firstHlc() != Long.MAX_VALUE && s.firstHlc() < fromHlc : s.base <= fromPosition;
      if (before) {
        start = i;
      }
    }
    return start - 1; // advanced before use
  }

  /** Damage met so far. */
  public List<Corruption> corruptions() {
    return Collections.unmodifiableList(corruptions);
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    if (done) {
      return false;
    }
    try {
      next = advance();
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("reading journal segment " + (current == null ? "" : current.name), e);
    }
    if (next == null) {
      done = true;
      close();
    }
    return next != null;
  }

  @Override
  public Event next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Event e = next;
    next = null;
    return e;
  }

  private Event advance() throws IOException {
    while (true) {
      if (reader == null) {
        index++;
        if (index >= segments.size()) {
          return null;
        }
        current = segments.get(index);
        if (current.end < Format.HEADER_LENGTH) {
          continue;
        }
        if (expected >= 0 && current.base > expected) {
          corruptions.add(
              new Corruption(
                  current.name, 0, 0, "positions " + expected + ".." + (current.base - 1) + " missing"));
        }
        reader = new SegmentReader(current.path);
        offset = Format.HEADER_LENGTH;
        if (expected < 0) {
          long a = current.offsetForPosition(fromPosition);
          long b = fromHlc >= 0 ? current.offsetForHlc(fromHlc) : a;
          offset = Math.min(a, b);
          if (offset == Format.HEADER_LENGTH) {
            expected = current.base;
          }
        }
      }
      reader.step(offset, current.end, expected, step);
      switch (step.kind) {
        case RECORD:
          long at = offset;
          offset += step.length;
          expected = step.position + 1;
          if (step.position >= limitPosition) {
            return null;
          }
          if (step.position < fromPosition || step.hlc < fromHlc) {
            continue;
          }
          return reader.decode(at, current.name);
        case CORRUPT:
          corruptions.add(new Corruption(current.name, step.offset, step.length, step.reason));
          offset += step.length;
          continue;
        case TAIL:
          corruptions.add(new Corruption(current.name, step.offset, step.length, step.reason));
          reader.close();
          reader = null;
          continue;
        default:
          reader.close();
          reader = null;
      }
    }
  }

  @Override
  public void close() {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
