package dev.cairn.propagation;

import dev.cairn.context.TraceContext;
import dev.cairn.context.TraceState;
import dev.cairn.internal.Hex;
import java.util.List;

/**
 * Google Cloud {@code X-Cloud-Trace-Context: TRACE_ID/SPAN_ID;o=OPTIONS}.
 *
 * <p>TRACE_ID is 32 hex digits (either case read, lower case written); SPAN_ID is the span id as
 * an unsigned <em>decimal</em> 64-bit number (1 to 18446744073709551615, at most 20 digits);
 * {@code ;o=1} sets sampled, {@code ;o=0} or no option clears it. A value without a span id carries
 * no parent to continue and is refused. Values longer than 64 characters are refused unread.
 */
final class GoogleCloudTracePropagator extends BasePropagator {
  static final String NAME = "gcp-cloud-trace";
  static final String FIELD = "x-cloud-trace-context";
  static final int MAX_LENGTH = 64;

  static final Reason LENGTH = Reason.of(NAME, "length");
  static final Reason TRACE_ID_INVALID = Reason.of(NAME, "trace_id_invalid");
  static final Reason SPAN_ID_INVALID = Reason.of(NAME, "span_id_invalid");
  static final Reason OPTIONS_INVALID = Reason.of(NAME, "options_invalid");

  static final GoogleCloudTracePropagator INSTANCE = new GoogleCloudTracePropagator();

  private GoogleCloudTracePropagator() {
    super(NAME, List.of(FIELD));
  }

  @Override
  boolean carriesTraceIds() {
    return true;
  }

  @Override
  <C> TraceContext extract(
      TraceContext base, C carrier, Getter<C> getter, List<Extraction.Rejection> sink) {
    String h = first(carrier, getter, FIELD);
    if (h.isEmpty()) {
      return base;
    }
    int len = h.length();
    if (len > MAX_LENGTH) {
      LENGTH.record(sink, h);
      return base;
    }
    if (len < 33 || h.charAt(32) != '/' || !Hex.isAnyHex(h, 0, 32)) {
      TRACE_ID_INVALID.record(sink, h);
      return base;
    }
    long high = Hex.parseAnyCase(h, 0, 16);
    long low = Hex.parseAnyCase(h, 16, 16);
    if (high == 0 && low == 0) {
      TRACE_ID_INVALID.record(sink, h);
      return base;
    }
    int s = 33;
    int semi = h.indexOf(';', s);
    int e = semi < 0 ? len : semi;
    long span = parseUnsignedDecimal(h, s, e);
    if (span == 0) {
      SPAN_ID_INVALID.record(sink, h);
      return base;
    }
    boolean sampled = false;
    if (semi >= 0) {
      // exactly "o=0" or "o=1"
      if (len - semi != 4 || h.charAt(semi + 1) != 'o' || h.charAt(semi + 2) != '=') {
        OPTIONS_INVALID.record(sink, h);
        return base;
      }
      char o = h.charAt(semi + 3);
      if (o != '0' && o != '1') {
        OPTIONS_INVALID.record(sink, h);
        return base;
      }
      sampled = o == '1';
    }
    return base.toBuilder()
        .traceId(high, low)
        .spanId(span)
        .parentSpanId(0)
        .traceFlags(sampled ? TraceContext.FLAG_SAMPLED : 0)
        .traceState(TraceState.empty())
        .remote(true)
        .build();
  }

  /** Unsigned decimal of 1–20 digits that fits 64 bits; 0 when invalid, out of range or zero. */
  static long parseUnsignedDecimal(String s, int start, int end) {
    int n = end - start;
    if (n < 1 || n > 20) {
      return 0;
    }
    long v = 0;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      int d = c - '0';
      // v * 10 + d must not pass 2^64 - 1
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
        return 0;
      }
      long times10 = v * 10;
      long next = times10 + d;
      if (Long.compareUnsigned(next, times10) < 0) {
        return 0;
      }
      v = next;
    }
    return v;
  }

  @Override
  <C> void write(TraceContext context, C carrier, Setter<C> setter) {
    if (!context.isValid()) {
      return;
    }
    setter.set(
        carrier,
        FIELD,
        context.traceIdHex() + '/' + Long.toUnsignedString(context.spanId()) + (context.isSampled() ? ";o=1" : ";o=0"));
  }
}
