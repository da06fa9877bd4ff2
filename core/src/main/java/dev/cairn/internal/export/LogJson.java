package dev.cairn.internal.export;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.internal.json.JsonWriter;
import dev.cairn.logging.LogRecord;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * A log record as one flat JSON document with Elastic Common Schema names, used for
 * Elasticsearch bulk documents and Loki log lines: {@code @timestamp} (UTC, milliseconds), {@code
 * log.level}, {@code message}, {@code log.logger}, {@code process.thread.name}, {@code
 * service.name}, {@code trace.id}, {@code span.id}, {@code error.type}/{@code message}/{@code
 * stack_trace}, {@code tags} (markers), {@code labels} (the MDC, strings) and {@code attributes}
 * (the call's key-values). Application data is nested under {@code labels} and {@code
 * attributes}, so it can never overwrite a reserved field. Inside those two objects a name that
 * Elasticsearch would refuse (see {@link EcsNames}: empty, an empty path segment, or a value and an
 * object at one path such as {@code user} and {@code user.id}) is written as one segment ({@code .}
 * → {@code _}, "" → {@code _}), then with {@code _} appended until it is unique; each rename is
 * counted in {@code cairn.export.logs.keys.renamed}.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class LogJson {
  private LogJson() {}

  /** ISO-8601 UTC with milliseconds, the form every log backend's date type parses. */
  public static String timestamp(long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
    return DateTimeFormatter.ISO_INSTANT.format(
        Instant.ofEpochSecond(seconds, nanos - nanos % 1_000_000));
  }

  private static final SelfCounter RENAMED =
      SelfCounters.GLOBAL.counter(
          "cairn.export.logs.keys.renamed",
          "MDC and key-value names of exported log records renamed because Elasticsearch refuses"
              + " them as they are",
          "keys");

  public static void write(JsonWriter w, LogRecord r, String serviceName) {
    w.beginObject();
    w.field("@timestamp", timestamp(r.epochNanos()));
    w.field("log.level", r.level().name());
    w.field("message", r.message());
    if (!r.loggerName().isEmpty()) {
      w.field("log.logger", r.loggerName());
    }
    if (!r.threadName().isEmpty()) {
      w.field("process.thread.name", r.threadName());
    }
    w.field("service.name", serviceName);
    TraceContext c = r.context();
    if (c.isValid()) {
      w.name("trace.id").hexValue(c.traceIdHigh(), c.traceIdLow());
      w.name("span.id").hexValue(c.spanId());
    }
    if (r.hasException()) {
      w.field("error.type", r.exceptionType());
      if (!r.exceptionMessage().isEmpty()) {
        w.field("error.message", r.exceptionMessage());
      }
      if (!r.exceptionStackTrace().isEmpty()) {
        w.field("error.stack_trace", r.exceptionStackTrace());
      }
    }
    List<String> tags = r.tags();
    if (!tags.isEmpty()) {
      w.name("tags").beginArray();
      for (int i = 0; i < tags.size(); i++) {
        w.value(tags.get(i));
      }
      w.endArray();
    }
    if (!r.mdc().isEmpty()) {
      w.name("labels").beginObject();
      String[] used = new String[r.mdc().size()];
      int n = 0;
      for (Map.Entry<String, String> e : r.mdc().entrySet()) {
        String name = nestedName(e.getKey(), used, n);
        used[n++] = name;
        w.field(name, e.getValue());
      }
      w.endObject();
    }
    if (!r.attributes().isEmpty()) {
      w.name("attributes").beginObject();
      String[] used = new String[r.attributes().size()];
      int n = 0;
      for (Map.Entry<String, Object> e : r.attributes().entrySet()) {
        String name = nestedName(e.getKey(), used, n);
        used[n++] = name;
        w.name(name);
        Object v = e.getValue();
        if (v instanceof Long) {
          w.value((long) (Long) v);
        } else if (v instanceof Double) {
          w.value((double) (Double) v);
        } else if (v instanceof Boolean) {
          w.value((boolean) (Boolean) v);
        } else {
          w.value(String.valueOf(v));
        }
      }
      w.endObject();
    }
    w.endObject();
  }

  /**
   * The name under which {@code key} goes into an object that already holds {@code used[0..n)}:
   * the key itself when Elasticsearch accepts it there, else renamed as the class comment says.
   */
  static String nestedName(String key, String[] used, int n) {
    String k = key == null ? "" : key;
    boolean renamed = false;
    if (!EcsNames.isValidPath(k) || clashes(k, used, n)) {
      k = EcsNames.flat(k);
      renamed = true;
      while (clashes(k, used, n)) { // ends: each round the name grows past one used name at most
        k = k + "_";
      }
    }
    if (renamed) {
      RENAMED.increment();
    }
    return k;
  }

  private static boolean clashes(String k, String[] used, int n) {
    for (int i = 0; i < n; i++) {
      if (EcsNames.clash(used[i], k)) {
        return true;
      }
    }
    return false;
  }
}
