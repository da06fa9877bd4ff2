package dev.cairn.internal.context;

import dev.cairn.context.Baggage;
import dev.cairn.context.TraceContext;
import dev.cairn.internal.LogSafe;
import dev.cairn.logging.MdcSettings;
import java.util.List;
import org.slf4j.MDC;

/**
 * Writes a context's ids into SLF4J's MDC and restores what was there.
 *
 * <p>Baggage values and the correlation id may have come from a request header, and a plain-text
 * pattern ({@code %X{key}}) writes MDC values as they are: they go in with control characters,
 * DEL, C1 controls and U+2028/U+2029 escaped ({@link LogSafe}), so a header cannot end a log line,
 * forge the next one or send terminal escapes. Trace and span ids are hex Cairn renders itself.
 */
final class MdcBridge {
  private MdcBridge() {}

  /**
   * Stands for "none of Cairn's keys were in the MDC", the usual case, so that opening the bottom
   * scope of a thread allocates no array for it.
   */
  private static final String[] ALL_ABSENT = new String[0];

  /** The application's current values of Cairn's keys (null where absent). */
  static String[] capture(MdcSettings s) {
    List<String> baggageKeys = s.baggageKeys();
    String t = MDC.get(s.traceIdKey());
    String sp = MDC.get(s.spanIdKey());
    String c = MDC.get(s.correlationIdKey());
    String[] saved = null;
    if (t != null || sp != null || c != null) {
      saved = new String[3 + baggageKeys.size()];
      saved[0] = t;
      saved[1] = sp;
      saved[2] = c;
    }
    for (int i = 0; i < baggageKeys.size(); i++) {
      String v = MDC.get(baggageKeys.get(i));
      if (v != null) {
        if (saved == null) {
          saved = new String[3 + baggageKeys.size()];
        }
        saved[3 + i] = v;
      }
    }
    return saved == null ? ALL_ABSENT : saved;
  }

  /** Makes the MDC mirror {@code c}; keys the context lacks are removed. */
  static void apply(MdcSettings s, TraceContext c) {
    if (c.isValid()) {
      MDC.put(s.traceIdKey(), c.traceIdHex());
      MDC.put(s.spanIdKey(), c.spanIdHex());
    } else {
      MDC.remove(s.traceIdKey());
      MDC.remove(s.spanIdKey());
    }
    String corr = c.correlationIdOrEmpty();
    if (corr.isEmpty()) {
      MDC.remove(s.correlationIdKey());
    } else {
      MDC.put(s.correlationIdKey(), LogSafe.escape(corr));
    }
    List<String> baggageKeys = s.baggageKeys();
    if (!baggageKeys.isEmpty()) {
      Baggage b = c.baggage();
      for (int i = 0; i < baggageKeys.size(); i++) {
        String k = baggageKeys.get(i);
        String v = b.getOrDefault(k, null);
        if (v == null) {
          MDC.remove(k);
        } else {
          MDC.put(k, LogSafe.escape(v));
        }
      }
    }
  }

  /** Puts back exactly what {@link #capture} saw. */
  static void restore(MdcSettings s, String[] saved) {
    if (saved == null) {
      return;
    }
    if (saved == ALL_ABSENT) {
      MDC.remove(s.traceIdKey());
      MDC.remove(s.spanIdKey());
      MDC.remove(s.correlationIdKey());
      List<String> baggageKeys = s.baggageKeys();
      for (int i = 0; i < baggageKeys.size(); i++) { // indexed: no iterator on this hot path
        MDC.remove(baggageKeys.get(i));
      }
      return;
    }
    set(s.traceIdKey(), saved[0]);
    set(s.spanIdKey(), saved[1]);
    set(s.correlationIdKey(), saved[2]);
    List<String> baggageKeys = s.baggageKeys();
    for (int i = 0; i < baggageKeys.size() && 3 + i < saved.length; i++) {
      set(baggageKeys.get(i), saved[3 + i]);
    }
  }

  private static void set(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
