package dev.cairn.propagation;

import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import java.util.List;

/**
 * One way a format can refuse input, with its counter resolved once at class init so that
 * counting a rejection costs one {@code LongAdder} increment and no lookup.
 */
final class Reason {
  static final String COUNTER = "cairn.propagation.rejected";
  private static final int EXCERPT = 64;

  final String format;
  final String reason;
  private final SelfCounter counter;

  private Reason(String format, String reason) {
    this.format = format;
    this.reason = reason;
    this.counter =
        SelfCounters.GLOBAL.counter(
            COUNTER,
            "Propagation input Cairn refused (invalid, hostile or over a limit)",
            "headers",
            "format",
            format,
            "reason",
            reason);
  }

  static Reason of(String format, String reason) {
    return new Reason(format, reason);
  }

  /** Counts one rejection and, when explaining, records it with a log-safe excerpt. */
  void record(List<Extraction.Rejection> sink, CharSequence input) {
    counter.increment();
    if (sink != null) {
      sink.add(new Extraction.Rejection(format, reason, excerpt(input)));
    }
  }

  long count() {
    return counter.count();
  }

  /** At most 64 chars; anything outside printable ASCII becomes '?', so the excerpt logs safely. */
  static String excerpt(CharSequence s) {
    if (s == null) {
      return "";
    }
    int n = Math.min(s.length(), EXCERPT);
    char[] out = new char[n];
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      out[i] = c >= 0x20 && c < 0x7F ? c : '?';
    }
    String r = new String(out);
    return s.length() > EXCERPT ? r + "…" : r;
  }
}
