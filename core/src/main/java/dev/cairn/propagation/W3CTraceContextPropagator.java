package dev.cairn.propagation;

import dev.cairn.context.TraceContext;
import dev.cairn.context.TraceState;
import dev.cairn.internal.ContextInternals;
import dev.cairn.internal.Hex;
import java.util.List;

/**
 * W3C Trace Context (Level 2): {@code traceparent} and {@code tracestate}.
 *
 * <p>traceparent: version {@code 00} is exactly 55 characters; a higher version is parsed
 * forward-compatibly (at least 55 characters, the 56th, if any, a dash; only the known fields are
 * read); {@code ff}, upper-case hex, all-zero ids and a repeated header are refused. Of the flags,
 * sampled and random are kept; the others the spec reserves, and vendors "MUST set those to zero".
 *
 * <p>tracestate is parsed only when traceparent is valid. Empty and whitespace-only list-members
 * are allowed and skipped; a member that breaks the key/value grammar discards the whole
 * tracestate; a repeated key keeps its first (left-most, most recent) entry; more than 32
 * list-members (a repeated key counts, an empty member does not) discard the whole tracestate;
 * beyond 8192 characters read, the right-most are dropped. On write the value is cut to 512
 * characters by dropping entries longer than 128 characters first, then from the right.
 */
final class W3CTraceContextPropagator extends BasePropagator {
  static final String NAME = "w3c-tracecontext";
  static final String TRACEPARENT = "traceparent";
  static final String TRACESTATE = "tracestate";

  /** Characters of tracestate read at most (RELIABILITY C18: never parse unbounded). */
  static final int TRACESTATE_READ_LIMIT = 8192;
  /** The spec's propagation minimum, used as Cairn's write limit. */
  static final int TRACESTATE_WRITE_LIMIT = 512;
  private static final int LARGE_ENTRY = 128;
  private static final int KNOWN_FLAGS = TraceContext.FLAG_SAMPLED | TraceContext.FLAG_RANDOM;

  static final Reason REPEATED = Reason.of(NAME, "traceparent_repeated");
  static final Reason VERSION_INVALID = Reason.of(NAME, "version_invalid");
  static final Reason VERSION_FF = Reason.of(NAME, "version_ff");
  static final Reason LENGTH = Reason.of(NAME, "length");
  static final Reason DELIMITER = Reason.of(NAME, "delimiter");
  static final Reason TRACE_ID_INVALID = Reason.of(NAME, "trace_id_invalid");
  static final Reason TRACE_ID_ZERO = Reason.of(NAME, "trace_id_zero");
  static final Reason PARENT_ID_INVALID = Reason.of(NAME, "parent_id_invalid");
  static final Reason PARENT_ID_ZERO = Reason.of(NAME, "parent_id_zero");
  static final Reason FLAGS_INVALID = Reason.of(NAME, "flags_invalid");
  static final Reason TS_INVALID_MEMBER = Reason.of(NAME, "tracestate_invalid_member");
  static final Reason TS_DUPLICATE_KEY = Reason.of(NAME, "tracestate_duplicate_key");
  static final Reason TS_TOO_MANY = Reason.of(NAME, "tracestate_too_many_members");
  static final Reason TS_TOO_LONG = Reason.of(NAME, "tracestate_too_long");
  static final Reason TS_TRUNCATED = Reason.of(NAME, "tracestate_truncated_on_write");

  static final W3CTraceContextPropagator INSTANCE = new W3CTraceContextPropagator();

  private W3CTraceContextPropagator() {
    super(NAME, List.of(TRACEPARENT, TRACESTATE));
  }

  @Override
  boolean carriesTraceIds() {
    return true;
  }

  @Override
  <C> TraceContext extract(
      TraceContext base, C carrier, Getter<C> getter, List<Extraction.Rejection> sink) {
    List<String> all = getter.getAll(carrier, TRACEPARENT);
    if (all == null || all.isEmpty()) {
      return base;
    }
    String tp = all.get(0);
    if (all.size() > 1) {
      // Two traceparents name two parents; picking one would be a guess.
      REPEATED.record(sink, tp);
      return base;
    }
    if (tp == null || tp.isEmpty()) {
      return base;
    }
    int len = tp.length();
    // version: 2 lower-case hex digits followed by a dash
    if (len < 3 || tp.charAt(2) != '-' || !Hex.isLowerHex(tp, 0, 2)) {
      VERSION_INVALID.record(sink, tp);
      return base;
    }
    int version = (Hex.lowerDigit(tp.charAt(0)) << 4) | Hex.lowerDigit(tp.charAt(1));
    if (version == 0xff) {
      VERSION_FF.record(sink, tp);
      return base;
    }
    if (version == 0 ? len != 55 : (len < 55 || (len > 55 && tp.charAt(55) != '-'))) {
      LENGTH.record(sink, tp);
      return base;
    }
    if (tp.charAt(35) != '-' || tp.charAt(52) != '-') {
      DELIMITER.record(sink, tp);
      return base;
    }
    if (!Hex.isLowerHex(tp, 3, 32)) {
      TRACE_ID_INVALID.record(sink, tp);
      return base;
    }
    long high = Hex.parseLong(tp, 3);
    long low = Hex.parseLong(tp, 19);
    if (high == 0 && low == 0) {
      TRACE_ID_ZERO.record(sink, tp);
      return base;
    }
    if (!Hex.isLowerHex(tp, 36, 16)) {
      PARENT_ID_INVALID.record(sink, tp);
      return base;
    }
    long span = Hex.parseLong(tp, 36);
    if (span == 0) {
      PARENT_ID_ZERO.record(sink, tp);
      return base;
    }
    int f0 = Hex.lowerDigit(tp.charAt(53));
    int f1 = Hex.lowerDigit(tp.charAt(54));
    if (f0 < 0 || f1 < 0) {
      FLAGS_INVALID.record(sink, tp);
      return base;
    }
    int flags = ((f0 << 4) | f1) & KNOWN_FLAGS;
    TraceState state = parseTraceState(getter.getAll(carrier, TRACESTATE), sink);
    return base.toBuilder()
        .traceId(high, low)
        .spanId(span)
        .parentSpanId(0)
        .traceFlags(flags)
        .traceState(state)
        .remote(true)
        .build();
  }

  /**
   * Parses the combined tracestate (several header fields join with commas, RFC 7230 3.2.2).
   * Reads at most {@link #TRACESTATE_READ_LIMIT} characters.
   */
  static TraceState parseTraceState(List<String> values, List<Extraction.Rejection> sink) {
    if (values == null || values.isEmpty()) {
      return TraceState.empty();
    }
    String[] kv = null;
    int count = 0; // distinct keys kept
    int members = 0; // non-empty list-members read, a repeated key included
    int budget = TRACESTATE_READ_LIMIT;
    boolean exact = values.size() == 1; // the single header is exactly the wire form we keep
    outer:
    for (int vi = 0, vn = values.size(); vi < vn; vi++) {
      String v = values.get(vi);
      if (v == null) {
        continue;
      }
      int len = v.length();
      int i = 0;
      while (i <= len) {
        if (budget <= 0) {
          TS_TOO_LONG.record(sink, v);
          exact = false;
          break outer;
        }
        // find the member's end without scanning past the read budget
        int limit = Math.min(len, i + budget);
        int j = i;
        while (j < limit && v.charAt(j) != ',') {
          j++;
        }
        if (j == limit && limit < len) {
          // the member runs past the budget: a partial member is never kept
          TS_TOO_LONG.record(sink, v);
          exact = false;
          break outer;
        }
        budget -= (j - i) + 1;
        int s = i;
        int e = j;
        while (s < e && isOws(v.charAt(s))) {
          s++;
        }
        while (e > s && isOws(v.charAt(e - 1))) {
          e--;
        }
        if (s != i || e != j) {
          exact = false;
        }
        i = j + 1;
        if (s == e) {
          exact = false; // allowed, skipped, and not written back
          continue;
        }
        int eq = s;
        while (eq < e && v.charAt(eq) != '=') {
          eq++;
        }
        if (eq == e
            || !TraceState.isValidKey(v, s, eq)
            || !TraceState.isValidValue(v, eq + 1, e)) {
          TS_INVALID_MEMBER.record(sink, v.subSequence(s, Math.min(e, s + 64)));
          return TraceState.empty();
        }
        if (++members > TraceState.MAX_ENTRIES) {
          // The grammar allows at most 32 list-members, so a 33rd makes the header invalid rather
          // than long: the W3C test suite expects it discarded as a whole, as OpenTelemetry does.
          // Stopping here also bounds the scan.
          TS_TOO_MANY.record(sink, v.subSequence(s, Math.min(e, s + 64)));
          return TraceState.empty();
        }
        if (isDuplicate(kv, count, v, s, eq)) {
          TS_DUPLICATE_KEY.record(sink, v.subSequence(s, eq));
          exact = false;
          continue;
        }
        if (kv == null) {
          kv = new String[8];
        } else if (kv.length == count * 2) {
          kv = java.util.Arrays.copyOf(kv, Math.min(kv.length * 2, TraceState.MAX_ENTRIES * 2));
        }
        kv[count * 2] = v.substring(s, eq);
        kv[count * 2 + 1] = v.substring(eq + 1, e);
        count++;
      }
    }
    if (count == 0) {
      return TraceState.empty();
    }
    String[] pairs = kv.length == count * 2 ? kv : java.util.Arrays.copyOf(kv, count * 2);
    return ContextInternals.traceState(pairs, exact ? values.get(0) : null);
  }

  private static boolean isDuplicate(String[] kv, int count, String v, int s, int eq) {
    int klen = eq - s;
    for (int k = 0; k < count; k++) {
      String key = kv[k * 2];
      if (key.length() == klen && v.regionMatches(s, key, 0, klen)) {
        return true;
      }
    }
    return false;
  }

  @Override
  <C> void write(TraceContext context, C carrier, Setter<C> setter) {
    if (!context.isValid()) {
      return;
    }
    setter.set(carrier, TRACEPARENT, traceparent(context));
    TraceState state = context.traceState();
    if (!state.isEmpty()) {
      setter.set(carrier, TRACESTATE, truncate(state));
    }
  }

  /** The two-digit flags a version-00 traceparent can carry (sampled and random only). */
  private static final String[] FLAGS = {"00", "01", "02", "03"};

  static String traceparent(TraceContext c) {
    // The hex ids are rendered once per context and cached (the MDC bridge needs them too), so
    // this allocates only the 55-character result.
    return "00-" + c.traceIdHex() + '-' + c.spanIdHex() + '-' + FLAGS[c.traceFlags() & KNOWN_FLAGS];
  }

  /**
   * The tracestate header within {@link #TRACESTATE_WRITE_LIMIT} characters: entries longer than
   * 128 characters go first (right-most first), then entries from the right, as the spec orders.
   */
  static String truncate(TraceState state) {
    String header = state.toHeader();
    if (header.length() <= TRACESTATE_WRITE_LIMIT) {
      return header;
    }
    int n = state.size();
    boolean[] keep = new boolean[n];
    int total = -1; // n entries need n-1 commas
    for (int i = 0; i < n; i++) {
      keep[i] = true;
      total += entryLength(state, i) + 1;
    }
    for (int i = n - 1; i >= 0 && total > TRACESTATE_WRITE_LIMIT; i--) {
      int el = entryLength(state, i);
      if (el > LARGE_ENTRY) {
        keep[i] = false;
        total -= el + 1;
      }
    }
    for (int i = n - 1; i >= 0 && total > TRACESTATE_WRITE_LIMIT; i--) {
      if (keep[i]) {
        keep[i] = false;
        total -= entryLength(state, i) + 1;
      }
    }
    TS_TRUNCATED.record(null, header);
    StringBuilder sb = new StringBuilder(TRACESTATE_WRITE_LIMIT);
    for (int i = 0; i < n; i++) {
      if (keep[i]) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(state.keyAt(i)).append('=').append(state.valueAt(i));
      }
    }
    return sb.toString();
  }

  private static int entryLength(TraceState s, int i) {
    return s.keyAt(i).length() + 1 + s.valueAt(i).length();
  }
}
