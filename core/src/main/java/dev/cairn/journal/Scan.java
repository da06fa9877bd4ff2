package dev.cairn.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Lists and validates the segments of a journal directory; shared by recovery and readers. */
final class Scan {
  final List<SegmentFile> segments = new ArrayList<>();
  final List<Corruption> corruptions = new ArrayList<>();
  /** Torn tail of the last segment (incomplete or damaged data with no valid record after it). */
  Corruption tornTail;
  /** Torn tails of earlier segments whose successor starts exactly where they stop. */
  final List<Corruption> sealedTails = new ArrayList<>();
  long nextPosition;
  long lastHlc = -1;
  long records;

  private Scan() {}

  static List<SegmentFile> list(Path dir) throws IOException {
    List<SegmentFile> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + Format.SUFFIX)) {
      for (Path p : ds) {
        long base = Format.baseOf(p.getFileName().toString());
        if (base >= 0 && Files.isRegularFile(p)) {
          out.add(new SegmentFile(p, base));
        }
      }
    }
    out.sort(Comparator.comparingLong(s -> s.base));
    return out;
  }

  /** Scans every segment of {@code dir}; reads only. */
  static Scan of(Path dir) throws IOException {
    Scan scan = new Scan();
    List<SegmentFile> files = list(dir);
    long expected = -1;
    SegmentReader.Step step = new SegmentReader.Step();
    for (int i = 0; i < files.size(); i++) {
      SegmentFile seg = files.get(i);
      boolean last = i == files.size() - 1;
      if (expected >= 0 && seg.base > expected) {
        scan.corruptions.add(
            new Corruption(seg.name, 0, 0, "positions " + expected + ".." + (seg.base - 1) + " missing"));
      }
      if (expected < seg.base) {
        expected = seg.base;
      }
      try (SegmentReader r = new SegmentReader(seg.path)) {
        long size = r.size();
        ByteBuffer header = r.header();
        if (header == null) {
          Corruption c = new Corruption(seg.name, 0, size, "incomplete segment header");
          if (last) {
            scan.tornTail = c;
          } else {
            scan.corruptions.add(c);
          }
          seg.end = size < Format.HEADER_LENGTH ? 0 : Format.HEADER_LENGTH;
          seg.nextPosition = expected;
          scan.segments.add(seg);
          continue;
        }
        String bad = Format.checkHeader(header, seg.base);
        if (bad != null) {
          scan.corruptions.add(new Corruption(seg.name, 0, Format.HEADER_LENGTH, bad));
        }
        long off = Format.HEADER_LENGTH;
        while (true) {
          r.step(off, size, expected, step);
          if (step.kind == SegmentReader.Kind.END) {
            break;
          }
          if (step.kind == SegmentReader.Kind.RECORD) {
            seg.indexRecord(step.position, off, step.hlc);
            scan.lastHlc = Math.max(scan.lastHlc, step.hlc);
            scan.records++;
            expected = step.position + 1;
            off += step.length;
            continue;
          }
          Corruption c = new Corruption(seg.name, step.offset, step.length, step.reason);
          if (step.kind == SegmentReader.Kind.CORRUPT) {
            scan.corruptions.add(c);
            off += step.length;
            continue;
          }
          // TAIL: nothing valid follows in this file.
          if (last) {
            scan.tornTail = c;
          } else if (files.get(i + 1).base == expected) {
            scan.sealedTails.add(c);
          } else {
            scan.corruptions.add(c);
          }
          break;
        }
        seg.end = off;
        seg.nextPosition = expected;
      }
      scan.segments.add(seg);
    }
    scan.nextPosition = Math.max(expected, 0);
    return scan;
  }
}
