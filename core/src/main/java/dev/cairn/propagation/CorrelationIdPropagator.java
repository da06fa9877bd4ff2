package dev.cairn.propagation;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.Hex;
import dev.cairn.internal.Ids;
import java.util.List;

/**
 * A request/correlation id header ({@code X-Request-ID}, {@code X-Correlation-ID}, or names the
 * user chooses). Extract reads the names in order and takes the first present value; a value is
 * accepted only when it is 1 to {@code maxLength} characters of {@code A-Z a-z 0-9 - _ . : / + = @}
 * (so a hostile value cannot inject line breaks, quotes or markup into logs), otherwise it is
 * refused and counted. When no acceptable value arrives and the base context has none, a random
 * UUID-shaped id is generated if configured. Inject writes the context's id under the first name.
 */
final class CorrelationIdPropagator extends BasePropagator {
  static final String NAME = "correlation-id";

  static final Reason TOO_LONG = Reason.of(NAME, "too_long");
  static final Reason INVALID_CHAR = Reason.of(NAME, "invalid_character");
  static final Reason INVALID_ON_WRITE = Reason.of(NAME, "invalid_on_write");

  private final String[] names;
  private final int maxLength;
  private final boolean generate;

  CorrelationIdPropagator(List<String> names, int maxLength, boolean generate) {
    super(NAME, names);
    this.names = names.toArray(new String[0]);
    this.maxLength = maxLength;
    this.generate = generate;
  }

  @Override
  boolean carriesTraceIds() {
    return false;
  }

  @Override
  <C> TraceContext extract(
      TraceContext base, C carrier, Getter<C> getter, List<Extraction.Rejection> sink) {
    for (String name : names) {
      String v = first(carrier, getter, name);
      if (v.isEmpty()) {
        continue;
      }
      if (v.length() > maxLength) {
        TOO_LONG.record(sink, v);
        continue;
      }
      if (!isSafe(v)) {
        INVALID_CHAR.record(sink, v);
        continue;
      }
      return base.withCorrelationId(v);
    }
    if (generate && base.correlationIdOrEmpty().isEmpty()) {
      return base.withCorrelationId(newId());
    }
    return base;
  }

  static boolean isSafe(String v) {
    for (int i = 0, n = v.length(); i < n; i++) {
      if (!isSafe(v.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isSafe(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    switch (c) {
      case '-': case '_': case '.': case ':': case '/': case '+': case '=': case '@':
        return true;
      default:
        return false;
    }
  }

  /** A random version-4 UUID in its usual 36-character text form. */
  static String newId() {
    long hi = (Ids.any() & ~0xF000L) | 0x4000L;
    long lo = (Ids.any() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    char[] hex = new char[32];
    Hex.write(hex, 0, hi);
    Hex.write(hex, 16, lo);
    char[] out = new char[36];
    System.arraycopy(hex, 0, out, 0, 8);
    out[8] = '-';
    System.arraycopy(hex, 8, out, 9, 4);
    out[13] = '-';
    System.arraycopy(hex, 12, out, 14, 4);
    out[18] = '-';
    System.arraycopy(hex, 16, out, 19, 4);
    out[23] = '-';
    System.arraycopy(hex, 20, out, 24, 12);
    return new String(out);
  }

  @Override
  <C> void write(TraceContext context, C carrier, Setter<C> setter) {
    String id = context.correlationIdOrEmpty();
    // An id set in code is checked like a received one: the header must stay well-formed.
    if (id.isEmpty()) {
      return;
    }
    if (id.length() <= maxLength && isSafe(id)) {
      setter.set(carrier, names[0], id);
    } else {
      INVALID_ON_WRITE.record(null, id);
    }
  }
}
