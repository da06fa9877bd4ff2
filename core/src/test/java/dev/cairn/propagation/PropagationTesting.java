package dev.cairn.propagation;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.SelfCounters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers shared by the format tests. */
final class PropagationTesting {
  private PropagationTesting() {}

  static Map<String, String> headers(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static TraceContext extract(Propagator p, String... kv) {
    return p.extract(TraceContext.empty(), headers(kv), Carriers.mapGetter());
  }

  static List<String> reasons(Propagator p, String... kv) {
    List<String> out = new ArrayList<>();
    for (Extraction.Rejection r : p.explain(TraceContext.empty(), headers(kv), Carriers.mapGetter()).rejections()) {
      out.add(r.reason());
    }
    return out;
  }

  static Map<String, String> inject(Propagator p, TraceContext c) {
    Map<String, String> out = new HashMap<>();
    p.inject(c, out, Carriers.mapSetter());
    return out;
  }

  static long rejected(String format, String reason) {
    return SelfCounters.GLOBAL.counter(Reason.COUNTER, "", "", "format", format, "reason", reason).count();
  }
}
