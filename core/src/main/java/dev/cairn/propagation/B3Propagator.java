package dev.cairn.propagation;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.Hex;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * B3 (openzipkin/b3-propagation), in its single-header form ({@code b3}) or its multi-header form
 * ({@code X-B3-TraceId}, {@code X-B3-SpanId}, {@code X-B3-ParentSpanId}, {@code X-B3-Sampled},
 * {@code X-B3-Flags}).
 *
 * <p>Ids are lower-case hex: a trace id of 16 digits (64-bit) is kept with a zero high half and
 * written back as 32 digits; a span id is 16 digits; all-zero ids are refused. Sampling: {@code 1}
 * (and the legacy {@code true}) sets sampled, {@code 0} (and {@code false}) clears it, debug ({@code
 * d}, or {@code X-B3-Flags: 1}) implies sampled; an absent decision is read as not sampled, and so
 * is an unreadable one (counted as {@code sampling_invalid}: the ids are still continued). A
 * malformed parent span id is counted and dropped; all-zero means no parent. The
 * deny-only header {@code b3: 0} carries no ids; since a context cannot hold a sampling decision
 * without ids, it yields a fresh local (not remote) unsampled root so downstream work is not
 * sampled. The single form is read before nothing else: if both forms are present each propagator
 * reads only its own.
 */
final class B3Propagator extends BasePropagator {
  static final String SINGLE_NAME = "b3-single";
  static final String MULTI_NAME = "b3-multi";
  static final String B3 = "b3";
  static final String TRACE_ID = "x-b3-traceid";
  static final String SPAN_ID = "x-b3-spanid";
  static final String PARENT_SPAN_ID = "x-b3-parentspanid";
  static final String SAMPLED = "x-b3-sampled";
  static final String FLAGS = "x-b3-flags";

  /**
   * Longest single header read: a valid one has at most 68 characters (32 + 1 + 16 + 1 + 1 + 1 +
   * 16); the slack lets a header with a garbled sampling or parent field still continue its ids.
   */
  static final int SINGLE_MAX = 256;

  static final B3Propagator SINGLE = new B3Propagator(true);
  static final B3Propagator MULTI = new B3Propagator(false);

  private final boolean single;
  private final Reason length;
  private final Reason traceIdInvalid;
  private final Reason traceIdZero;
  private final Reason spanIdInvalid;
  private final Reason spanIdZero;
  private final Reason parentInvalid;
  private final Reason samplingInvalid;
  private final Reason missingId;
  private final Reason malformed;

  private B3Propagator(boolean single) {
    super(
        single ? SINGLE_NAME : MULTI_NAME,
        single ? List.of(B3) : List.of(TRACE_ID, SPAN_ID, PARENT_SPAN_ID, SAMPLED, FLAGS));
    this.single = single;
    String n = name();
    this.length = Reason.of(n, "length");
    this.traceIdInvalid = Reason.of(n, "trace_id_invalid");
    this.traceIdZero = Reason.of(n, "trace_id_zero");
    this.spanIdInvalid = Reason.of(n, "span_id_invalid");
    this.spanIdZero = Reason.of(n, "span_id_zero");
    this.parentInvalid = Reason.of(n, "parent_span_id_invalid");
    this.samplingInvalid = Reason.of(n, "sampling_invalid");
    this.missingId = Reason.of(n, "missing_id");
    this.malformed = Reason.of(n, "malformed");
  }

  @Override
  boolean carriesTraceIds() {
    return true;
  }

  @Override
  <C> TraceContext extract(
      TraceContext base, C carrier, Getter<C> getter, List<Extraction.Rejection> sink) {
    return single ? extractSingle(base, carrier, getter, sink) : extractMulti(base, carrier, getter, sink);
  }

  private <C> TraceContext extractSingle(
      TraceContext base, C carrier, Getter<C> getter, List<Extraction.Rejection> sink) {
    String h = first(carrier, getter, B3);
    if (h.isEmpty()) {
      return base;
    }
    int len = h.length();
    if (len > SINGLE_MAX) {
      length.record(sink, h);
      return base;
    }
    if (len == 1) {
      int sampling = sampling(h, 0, 1);
      if (sampling < 0) {
        samplingInvalid.record(sink, h);
        return base;
      }
      if (sampling == 0) {
        return unsampledRoot(base);
      }
      // "1" or "d" without ids: a decision for a trace that does not exist yet; nothing to continue.
      missingId.record(sink, h);
      return base;
    }
    int dash = h.indexOf('-');
    int traceLen = dash < 0 ? len : dash;
    if (traceLen != 16 && traceLen != 32) {
      traceIdInvalid.record(sink, h);
      return base;
    }
    if (!Hex.isLowerHex(h, 0, traceLen)) {
      traceIdInvalid.record(sink, h);
      return base;
    }
    if (dash < 0) {
      missingId.record(sink, h);
      return base;
    }
    long high = traceLen == 32 ? Hex.parseLong(h, 0) : 0;
    long low = Hex.parseLong(h, traceLen - 16);
    if (high == 0 && low == 0) {
      traceIdZero.record(sink, h);
      return base;
    }
    int s = dash + 1;
    if (len < s + 16 || !Hex.isLowerHex(h, s, 16) || (len > s + 16 && h.charAt(s + 16) != '-')) {
      spanIdInvalid.record(sink, h);
      return base;
    }
    long span = Hex.parseLong(h, s);
    if (span == 0) {
      spanIdZero.record(sink, h);
      return base;
    }
    int p = s + 17;
    boolean sampled = false;
    long parent = 0;
    if (len > s + 16) {
      int end = h.indexOf('-', p);
      if (end >= 0 && h.indexOf('-', end + 1) >= 0) {
        // More than four fields: not a b3 header whatever its parts say.
        malformed.record(sink, h);
        return base;
      }
      int sEnd = end < 0 ? len : end;
      int sampling = sampling(h, p, sEnd);
      if (sampling < 0) {
        // The ids are sound; an unreadable decision is counted and read as "not sampled".
        samplingInvalid.record(sink, h);
      }
      sampled = sampling > 0;
      if (end >= 0) {
        int ps = end + 1;
        if (len - ps != 16 || !Hex.isLowerHex(h, ps, 16)) {
          // The parent is informational; a bad one costs only itself.
          parentInvalid.record(sink, h);
        } else {
          parent = Hex.parseLong(h, ps);
        }
      }
    }
    return remote(base, high, low, span, parent, sampled);
  }

  private <C> TraceContext extractMulti(
      TraceContext base, C carrier, Getter<C> getter, List<Extraction.Rejection> sink) {
    String t = first(carrier, getter, TRACE_ID);
    String sp = first(carrier, getter, SPAN_ID);
    if (t.isEmpty() && sp.isEmpty()) {
      String sampledOnly = first(carrier, getter, SAMPLED);
      if (sampledOnly.length() == 1 && sampledOnly.charAt(0) == '0') {
        return unsampledRoot(base);
      }
      return base;
    }
    int tl = t.length();
    if ((tl != 16 && tl != 32) || !Hex.isLowerHex(t, 0, tl)) {
      (t.isEmpty() ? missingId : traceIdInvalid).record(sink, t);
      return base;
    }
    long high = tl == 32 ? Hex.parseLong(t, 0) : 0;
    long low = Hex.parseLong(t, tl - 16);
    if (high == 0 && low == 0) {
      traceIdZero.record(sink, t);
      return base;
    }
    if (sp.length() != 16 || !Hex.isLowerHex(sp, 0, 16)) {
      (sp.isEmpty() ? missingId : spanIdInvalid).record(sink, sp);
      return base;
    }
    long span = Hex.parseLong(sp, 0);
    if (span == 0) {
      spanIdZero.record(sink, sp);
      return base;
    }
    long parent = 0;
    String ps = first(carrier, getter, PARENT_SPAN_ID);
    if (!ps.isEmpty()) {
      if (ps.length() != 16 || !Hex.isLowerHex(ps, 0, 16)) {
        // The parent is informational; a bad one costs only itself.
        parentInvalid.record(sink, ps);
      } else {
        parent = Hex.parseLong(ps, 0);
      }
    }
    boolean sampled = false;
    String flags = first(carrier, getter, FLAGS);
    if (flags.length() == 1 && flags.charAt(0) == '1') {
      sampled = true; // debug implies sampled; X-B3-Sampled is then redundant
    } else {
      String s = first(carrier, getter, SAMPLED);
      if (!s.isEmpty()) {
        int sampling = multiSampling(s);
        if (sampling < 0) {
          samplingInvalid.record(sink, s);
        }
        sampled = sampling > 0;
      }
    }
    return remote(base, high, low, span, parent, sampled);
  }

  /** 1 sampled, 0 not, 2 debug, -1 invalid. */
  private static int sampling(String h, int s, int e) {
    if (e - s != 1) {
      return -1;
    }
    switch (h.charAt(s)) {
      case '0':
        return 0;
      case '1':
        return 1;
      case 'd':
        return 2;
      default:
        return -1;
    }
  }

  private static int multiSampling(String s) {
    if (s.length() == 1) {
      char c = s.charAt(0);
      return c == '1' ? 1 : c == '0' ? 0 : -1;
    }
    // Legacy clients sent true/false.
    if (s.equalsIgnoreCase("true")) {
      return 1;
    }
    if (s.equalsIgnoreCase("false")) {
      return 0;
    }
    return -1;
  }

  private static TraceContext remote(
      TraceContext base, long high, long low, long span, long parent, boolean sampled) {
    return base.toBuilder()
        .traceId(high, low)
        .spanId(span)
        .parentSpanId(parent)
        .traceFlags(sampled ? TraceContext.FLAG_SAMPLED : 0)
        .traceState(dev.cairn.context.TraceState.empty())
        .remote(true)
        .build();
  }

  private static TraceContext unsampledRoot(TraceContext base) {
    TraceContext root = TraceContext.newRoot(false);
    return base.toBuilder()
        .traceId(root.traceIdHigh(), root.traceIdLow())
        .spanId(root.spanId())
        .parentSpanId(0)
        .traceFlags(root.traceFlags())
        .traceState(dev.cairn.context.TraceState.empty())
        .remote(false)
        .build();
  }

  @Override
  <C> void write(TraceContext context, C carrier, Setter<C> setter) {
    if (!context.isValid()) {
      return;
    }
    if (single) {
      setter.set(carrier, B3, single(context));
    } else {
      setter.set(carrier, TRACE_ID, context.traceIdHex());
      setter.set(carrier, SPAN_ID, context.spanIdHex());
      if (context.parentSpanId() != 0) {
        setter.set(carrier, PARENT_SPAN_ID, context.parentSpanIdHex());
      }
      setter.set(carrier, SAMPLED, context.isSampled() ? "1" : "0");
    }
  }

  static String single(TraceContext c) {
    boolean parent = c.parentSpanId() != 0;
    byte[] b = new byte[parent ? 68 : 51];
    Hex.write(b, 0, c.traceIdHigh());
    Hex.write(b, 16, c.traceIdLow());
    b[32] = '-';
    Hex.write(b, 33, c.spanId());
    b[49] = '-';
    b[50] = (byte) (c.isSampled() ? '1' : '0');
    if (parent) {
      b[51] = '-';
      Hex.write(b, 52, c.parentSpanId());
    }
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
