package dev.cairn.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Reads a journal directory without changing it (the tool, other processes, post-mortems). Opening
 * scans every segment once: it validates each record, builds the seek index and lists damage;
 * a torn tail is reported by {@link #tornTail()} but, unlike recovery, not removed.
 */
public final class JournalReader {
  private final Path dir;
  private final Scan scan;

  private JournalReader(Path dir, Scan scan) {
    this.dir = dir;
    this.scan = scan;
  }

  /**
   * Opens and scans {@code directory}.
   *
   * @throws IOException if the directory cannot be listed or a segment cannot be read
   */
  public static JournalReader open(Path directory) throws IOException {
    return new JournalReader(directory, Scan.of(directory));
  }

  public Path directory() {
    return dir;
  }

  /** Damage found by the scan, in file order (torn tails of sealed segments included). */
  public List<Corruption> corruptions() {
    List<Corruption> all = new ArrayList<>(scan.corruptions);
    all.addAll(scan.sealedTails);
    return Collections.unmodifiableList(all);
  }

  /** Incomplete data at the end of the last segment (what recovery would cut off), if any. */
  public Optional<Corruption> tornTail() {
    return Optional.ofNullable(scan.tornTail);
  }

  /** Valid records found. */
  public long records() {
    return scan.records;
  }

  /** Position of the first record still stored (retention deletes old segments), or 0. */
  public long firstPosition() {
    return scan.segments.isEmpty() ? 0 : scan.segments.get(0).base;
  }

  /** Position after the last valid record. */
  public long nextPosition() {
    return scan.nextPosition;
  }

  /** Segment file names, oldest first. */
  public List<String> segments() {
    List<String> names = new ArrayList<>();
    for (SegmentFile s : scan.segments) {
      names.add(s.name);
    }
    return names;
  }

  /** Events from {@code fromPosition} on. */
  public EventIterator read(long fromPosition) {
    return new EventIterator(new ArrayList<>(scan.segments), Math.max(0, fromPosition), -1, Long.MAX_VALUE);
  }

  /** Events with an HLC at or after {@code from}, found through the index. */
  public EventIterator readFrom(Hlc from) {
    return new EventIterator(new ArrayList<>(scan.segments), 0, from.packed(), Long.MAX_VALUE);
  }
}
