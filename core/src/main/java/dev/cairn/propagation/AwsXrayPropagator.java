package dev.cairn.propagation;

import dev.cairn.context.TraceContext;
import dev.cairn.context.TraceState;
import dev.cairn.internal.Hex;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * AWS X-Ray: {@code X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1}.
 *
 * <p>The root is {@code 1-} + 8 hex digits (the epoch seconds the trace began) + {@code -} + 24 hex
 * digits; together the 32 digits are the 128-bit trace id, so a W3C id whose first 8 digits are a
 * timestamp maps one to one. Fields come in any order separated by {@code ;} (spaces around them
 * tolerated); unknown fields (Lineage, Self, …) are ignored; Root and Parent are required. Hex of
 * either case is read. {@code Sampled=1} sets sampled; {@code 0}, {@code ?} (defer) or absent read
 * as not sampled. Header values longer than 256 characters are refused unread (the service's own
 * limit; a valid one is far shorter).
 */
final class AwsXrayPropagator extends BasePropagator {
  static final String NAME = "aws-xray";
  static final String FIELD = "x-amzn-trace-id";
  static final int MAX_LENGTH = 256;

  static final Reason LENGTH = Reason.of(NAME, "length");
  static final Reason MALFORMED = Reason.of(NAME, "malformed");
  static final Reason ROOT_INVALID = Reason.of(NAME, "root_invalid");
  static final Reason PARENT_INVALID = Reason.of(NAME, "parent_invalid");
  static final Reason SAMPLED_INVALID = Reason.of(NAME, "sampled_invalid");
  static final Reason MISSING = Reason.of(NAME, "missing_root_or_parent");

  static final AwsXrayPropagator INSTANCE = new AwsXrayPropagator();

  private AwsXrayPropagator() {
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
    long high = 0;
    long low = 0;
    long parent = 0;
    boolean haveRoot = false;
    boolean sampled = false;
    int i = 0;
    while (i < len) {
      int end = h.indexOf(';', i);
      if (end < 0) {
        end = len;
      }
      int s = i;
      int e = end;
      i = end + 1;
      while (s < e && isOws(h.charAt(s))) {
        s++;
      }
      while (e > s && isOws(h.charAt(e - 1))) {
        e--;
      }
      if (s == e) {
        continue;
      }
      int eq = h.indexOf('=', s);
      if (eq < 0 || eq >= e) {
        MALFORMED.record(sink, h);
        return base;
      }
      int vs = eq + 1;
      int vl = e - vs;
      if (is(h, s, eq, "Root")) {
        // 1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy
        if (vl != 35
            || h.charAt(vs) != '1'
            || h.charAt(vs + 1) != '-'
            || h.charAt(vs + 10) != '-'
            || !Hex.isAnyHex(h, vs + 2, 8)
            || !Hex.isAnyHex(h, vs + 11, 24)) {
          ROOT_INVALID.record(sink, h);
          return base;
        }
        high = (Hex.parseAnyCase(h, vs + 2, 8) << 32) | Hex.parseAnyCase(h, vs + 11, 8);
        low = Hex.parseAnyCase(h, vs + 19, 16);
        if (high == 0 && low == 0) {
          ROOT_INVALID.record(sink, h);
          return base;
        }
        haveRoot = true;
      } else if (is(h, s, eq, "Parent")) {
        if (vl != 16 || !Hex.isAnyHex(h, vs, 16) || Hex.parseAnyCase(h, vs, 16) == 0) {
          PARENT_INVALID.record(sink, h);
          return base;
        }
        parent = Hex.parseAnyCase(h, vs, 16);
      } else if (is(h, s, eq, "Sampled")) {
        char c = vl == 1 ? h.charAt(vs) : 'x';
        if (c != '0' && c != '1' && c != '?') {
          SAMPLED_INVALID.record(sink, h);
          return base;
        }
        sampled = c == '1';
      }
    }
    if (!haveRoot || parent == 0) {
      MISSING.record(sink, h);
      return base;
    }
    return base.toBuilder()
        .traceId(high, low)
        .spanId(parent)
        .parentSpanId(0)
        .traceFlags(sampled ? TraceContext.FLAG_SAMPLED : 0)
        .traceState(TraceState.empty())
        .remote(true)
        .build();
  }

  private static boolean is(String h, int s, int e, String key) {
    return e - s == key.length() && h.regionMatches(true, s, key, 0, key.length());
  }

  @Override
  <C> void write(TraceContext context, C carrier, Setter<C> setter) {
    if (!context.isValid()) {
      return;
    }
    setter.set(carrier, FIELD, header(context));
  }

  static String header(TraceContext c) {
    // Root=1-{8}-{24};Parent={16};Sampled=x
    byte[] hex = new byte[32];
    Hex.write(hex, 0, c.traceIdHigh());
    Hex.write(hex, 16, c.traceIdLow());
    StringBuilder sb = new StringBuilder(81);
    sb.append("Root=1-")
        .append(new String(hex, 0, 8, StandardCharsets.ISO_8859_1))
        .append('-')
        .append(new String(hex, 8, 24, StandardCharsets.ISO_8859_1))
        .append(";Parent=")
        .append(c.spanIdHex())
        .append(";Sampled=")
        .append(c.isSampled() ? '1' : '0');
    return sb.toString();
  }
}
