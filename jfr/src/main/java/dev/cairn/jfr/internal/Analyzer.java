package dev.cairn.jfr.internal;

import dev.cairn.jfr.StallBreakdown;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The offline analyzer: reads any recording with Cairn events and, per {@code cairn.Span} (or
 * {@code cairn.Scope} whose span is absent), computes the stall breakdown and counts the CPU
 * execution samples of its thread inside its window by top frame. JDK only.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class Analyzer {
  // Wait events held at once while joining; a recording with more overlapping waits than this
  // loses the oldest (they are older than every open span by then in practice).
  private static final int MAX_PENDING = 200_000;
  private static final int TOP_FRAMES = 5;

  private Analyzer() {}

  /** One span's result. */
  public static final class Result {
    /** The breakdown. */
    public final StallBreakdown breakdown;
    /** Execution samples of the span's thread inside its window. */
    public final int cpuSamples;
    /** Top frames ("Class.method") with sample counts, most first. */
    public final Map<String, Integer> topFrames;

    Result(StallBreakdown breakdown, int cpuSamples, Map<String, Integer> topFrames) {
      this.breakdown = breakdown;
      this.cpuSamples = cpuSamples;
      this.topFrames = topFrames;
    }
  }

  /** Analyzes {@code file}; spans shorter than {@code minDuration} are skipped. */
  public static List<Result> analyze(Path file, Duration minDuration) throws IOException {
    List<RecordedEvent> joined = new ArrayList<>();
    Map<Long, List<long[]>> samplesByThread = new HashMap<>();
    Map<Long, List<String>> frames = new HashMap<>();
    Set<String> spanIds = new HashSet<>();
    try (RecordingFile rf = new RecordingFile(file)) {
      while (rf.hasMoreEvents()) {
        RecordedEvent e = rf.readEvent();
        String name = e.getEventType().getName();
        if (name.equals("cairn.Span")) {
          spanIds.add(e.getString("spanId"));
          joined.add(e);
        } else if (name.equals("cairn.Scope") || StallJoin.isWait(name)) {
          joined.add(e);
        } else if (name.equals("jdk.ExecutionSample")) {
          RecordedThread t = e.getThread("sampledThread");
          RecordedStackTrace st = e.getStackTrace();
          if (t != null && st != null && !st.getFrames().isEmpty()) {
            RecordedFrame f = st.getFrames().get(0);
            String frame = f.getMethod().getType().getName() + "." + f.getMethod().getName();
            long tid = t.getJavaThreadId();
            List<String> names = frames.computeIfAbsent(tid, k -> new ArrayList<>());
            names.add(frame);
            samplesByThread
                .computeIfAbsent(tid, k -> new ArrayList<>())
                .add(new long[] {StallJoin.nanos(e.getStartTime()), names.size() - 1});
          }
        }
      }
    }
    // End-time order, waits before the windows that end at the same instant.
    joined.sort(
        (a, b) -> {
          int c = a.getEndTime().compareTo(b.getEndTime());
          if (c != 0) {
            return c;
          }
          return Boolean.compare(isWindow(a), isWindow(b));
        });
    StallJoin join = new StallJoin(MAX_PENDING, Duration.ofHours(1), () -> {});
    List<Result> out = new ArrayList<>();
    for (RecordedEvent e : joined) {
      if (!isWindow(e)) {
        join.addWait(e);
        continue;
      }
      if (e.getDuration().compareTo(minDuration) < 0) {
        continue;
      }
      if (e.getEventType().getName().equals("cairn.Scope") && spanIds.contains(e.getString("spanId"))) {
        continue;
      }
      StallBreakdown b = join.breakdown(e);
      RecordedThread t = e.getThread();
      int count = 0;
      Map<String, Integer> byFrame = new HashMap<>();
      if (t != null) {
        long tid = t.getJavaThreadId();
        long start = StallJoin.nanos(e.getStartTime());
        long end = StallJoin.nanos(e.getEndTime());
        for (long[] s : samplesByThread.getOrDefault(tid, List.of())) {
          if (s[0] >= start && s[0] <= end) {
            count++;
            byFrame.merge(frames.get(tid).get((int) s[1]), 1, Integer::sum);
          }
        }
      }
      Map<String, Integer> top = new LinkedHashMap<>();
      byFrame.entrySet().stream()
          .sorted((x, y) -> y.getValue() - x.getValue())
          .limit(TOP_FRAMES)
          .forEach(en -> top.put(en.getKey(), en.getValue()));
      out.add(new Result(b, count, top));
    }
    return out;
  }

  private static boolean isWindow(RecordedEvent e) {
    String n = e.getEventType().getName();
    return n.equals("cairn.Span") || n.equals("cairn.Scope");
  }

  /** One line per span: the breakdown's log line plus the CPU samples. */
  public static String toText(List<Result> results) {
    StringBuilder b = new StringBuilder();
    for (Result r : results) {
      b.append(r.breakdown.toLogLine()).append(" cpu_samples=").append(r.cpuSamples);
      if (!r.topFrames.isEmpty()) {
        b.append(" cpu_top=\"");
        boolean first = true;
        for (Map.Entry<String, Integer> f : r.topFrames.entrySet()) {
          b.append(first ? "" : "; ").append(f.getKey()).append(' ').append(f.getValue());
          first = false;
        }
        b.append('"');
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** {@code {"spans":[{...}, ...]}}, durations in nanoseconds. */
  public static String toJson(List<Result> results) {
    StringBuilder b = new StringBuilder("{\"spans\":[");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      StallBreakdown s = r.breakdown;
      b.append(i == 0 ? "" : ",").append('{');
      str(b, "traceId", s.traceId()).append(',');
      str(b, "spanId", s.spanId()).append(',');
      str(b, "name", s.name()).append(',');
      str(b, "thread", s.thread()).append(',');
      num(b, "durationNanos", s.duration().toNanos()).append(',');
      num(b, "gcPauseNanos", s.gcPause().toNanos()).append(',');
      num(b, "lockWaitNanos", s.lockWait().toNanos()).append(',');
      num(b, "parkNanos", s.park().toNanos()).append(',');
      num(b, "sleepNanos", s.sleep().toNanos()).append(',');
      num(b, "socketIoNanos", s.socketIo().toNanos()).append(',');
      num(b, "fileIoNanos", s.fileIo().toNanos()).append(',');
      num(b, "unattributedNanos", s.unattributed().toNanos()).append(',');
      b.append("\"causes\":[");
      for (int j = 0; j < s.causes().size(); j++) {
        StallBreakdown.Cause c = s.causes().get(j);
        b.append(j == 0 ? "" : ",").append('{');
        str(b, "kind", c.kind().name()).append(',');
        str(b, "detail", c.detail()).append(',');
        num(b, "timeNanos", c.time().toNanos()).append(',');
        num(b, "count", c.count()).append('}');
      }
      b.append("],");
      num(b, "cpuSamples", r.cpuSamples).append(',');
      b.append("\"cpuTopFrames\":[");
      boolean first = true;
      for (Map.Entry<String, Integer> f : r.topFrames.entrySet()) {
        b.append(first ? "" : ",").append('{');
        str(b, "frame", f.getKey()).append(',');
        num(b, "samples", f.getValue()).append('}');
        first = false;
      }
      b.append("]}");
    }
    return b.append("]}\n").toString();
  }

  private static StringBuilder num(StringBuilder b, String name, long v) {
    return b.append('"').append(name).append("\":").append(v);
  }

  private static StringBuilder str(StringBuilder b, String name, String v) {
    b.append('"').append(name).append("\":\"");
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
            if (Character.isHighSurrogate(c)
                && i + 1 < v.length()
                && Character.isLowSurrogate(v.charAt(i + 1))) {
              b.append(c).append(v.charAt(++i));
            } else {
              b.append(String.format("\\u%04x", (int) c));
            }
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"');
  }
}
