package dev.cairn.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A JSON snapshot of every meter in a registry, for the diagnostics surface (the Actuator endpoint,
 * the loopback server) and for support bundles: one object per meter with its name, type,
 * description, base unit, tags and current measurements.
 *
 * <pre>{@code
 * {"meters":[{"name":"http.server.requests","type":"timer","baseUnit":"seconds",
 *   "description":"...","tags":{"method":"GET","status":"200"},
 *   "measurements":{"count":3.0,"totalTime":0.012,"max":0.007}}],"omitted":0}
 * }</pre>
 *
 * <p>Meters are sorted by name, then tags. At most {@code maxMeters} are written; the rest are
 * counted in {@code omitted}. Non-finite values (NaN, infinities) are written as {@code null},
 * which JSON can carry. A meter that fails to measure is written without measurements.
 */
public final class MeterSnapshots {
  /** Default cap of meters in one snapshot. */
  public static final int DEFAULT_MAX_METERS = 10_000;

  private MeterSnapshots() {}

  /** The snapshot of {@code registry}, at most {@value #DEFAULT_MAX_METERS} meters. */
  public static String toJson(MeterRegistry registry) {
    return toJson(registry, DEFAULT_MAX_METERS);
  }

  /** The snapshot of {@code registry}, at most {@code maxMeters} meters. */
  public static String toJson(MeterRegistry registry, int maxMeters) {
    Objects.requireNonNull(registry, "registry");
    if (maxMeters < 0) {
      throw new IllegalArgumentException("maxMeters must not be negative: " + maxMeters);
    }
    List<Meter> meters = new ArrayList<>(registry.getMeters());
    meters.sort(
        Comparator.comparing((Meter m) -> m.getId().getName())
            .thenComparing(m -> m.getId().getTags().toString()));
    StringBuilder sb = new StringBuilder(128 + 160 * Math.min(meters.size(), maxMeters));
    sb.append("{\"meters\":[");
    int n = Math.min(meters.size(), maxMeters);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(',');
      }
      write(sb, meters.get(i));
    }
    sb.append("],\"omitted\":").append(meters.size() - n).append('}');
    return sb.toString();
  }

  private static void write(StringBuilder sb, Meter meter) {
    Meter.Id id = meter.getId();
    sb.append("{\"name\":");
    string(sb, id.getName());
    sb.append(",\"type\":");
    string(sb, type(id.getType()));
    if (id.getBaseUnit() != null) {
      sb.append(",\"baseUnit\":");
      string(sb, id.getBaseUnit());
    }
    if (id.getDescription() != null) {
      sb.append(",\"description\":");
      string(sb, id.getDescription());
    }
    sb.append(",\"tags\":{");
    boolean first = true;
    for (Tag t : id.getTags()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(sb, t.getKey());
      sb.append(':');
      string(sb, t.getValue());
    }
    sb.append('}');
    int mark = sb.length();
    try {
      sb.append(",\"measurements\":{");
      first = true;
      for (Measurement m : meter.measure()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, statistic(m.getStatistic()));
        sb.append(':');
        number(sb, m.getValue());
      }
      sb.append('}');
    } catch (RuntimeException e) {
      // A gauge whose function throws must not spoil the whole snapshot.
      sb.setLength(mark);
    }
    sb.append('}');
  }

  private static String type(Meter.Type t) {
    switch (t) {
      case COUNTER:
        return "counter";
      case GAUGE:
        return "gauge";
      case TIMER:
        return "timer";
      case LONG_TASK_TIMER:
        return "longTaskTimer";
      case DISTRIBUTION_SUMMARY:
        return "distributionSummary";
      default:
        return "other";
    }
  }

  private static String statistic(Statistic s) {
    switch (s) {
      case TOTAL:
        return "total";
      case TOTAL_TIME:
        return "totalTime";
      case COUNT:
        return "count";
      case MAX:
        return "max";
      case VALUE:
        return "value";
      case ACTIVE_TASKS:
        return "activeTasks";
      case DURATION:
        return "duration";
      default:
        return "unknown";
    }
  }

  private static void number(StringBuilder sb, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      sb.append("null");
    } else {
      sb.append(v);
    }
  }

  /** A JSON string: quotes, backslash, C0 controls, DEL, U+2028/9 and lone surrogates escaped. */
  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7F || c == 0x2028 || c == 0x2029) {
        hex(sb, c);
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          sb.append(c).append(s.charAt(++i));
        } else {
          hex(sb, '\uFFFD');
        }
      } else if (Character.isLowSurrogate(c)) {
        hex(sb, '\uFFFD');
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  private static void hex(StringBuilder sb, char c) {
    sb.append("\\u");
    String h = Integer.toHexString(c);
    for (int k = h.length(); k < 4; k++) {
      sb.append('0');
    }
    sb.append(h);
  }
}
