package dev.cairn.internal.export;

import dev.cairn.internal.json.JsonWriter;
import dev.cairn.logging.LogLevel;
import dev.cairn.logging.LogRecord;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Encodes log records as a Loki push request ({@code POST /loki/api/v1/push}, JSON): one stream
 * per level, labelled {@code service_name}, {@code level} (lower case) and the configured static
 * labels — deliberately nothing per record, since every distinct label set is a new stream in
 * Loki. Each value is {@code [<unix epoch nanoseconds as a string>, <line>]}, the line being the
 * record as one JSON document ({@link LogJson}), which LogQL's {@code | json} reads.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class LokiEncoder {
  private static final LogLevel[] LEVELS = LogLevel.values();

  private final String serviceName;
  private final Map<String, String> staticLabels;
  private final JsonWriter line = new JsonWriter(1024);

  public LokiEncoder(String serviceName, Map<String, String> staticLabels) {
    this.serviceName = serviceName;
    this.staticLabels = Map.copyOf(staticLabels);
  }

  public void encode(List<LogRecord> records, JsonWriter w) {
    w.beginObject().name("streams").beginArray();
    for (LogLevel level : LEVELS) {
      boolean open = false;
      for (int i = 0, n = records.size(); i < n; i++) {
        LogRecord r = records.get(i);
        if (r.level() != level) {
          continue;
        }
        if (!open) {
          open = true;
          w.beginObject().name("stream").beginObject();
          w.field("service_name", serviceName);
          w.field("level", level.name().toLowerCase(Locale.ROOT));
          for (Map.Entry<String, String> e : staticLabels.entrySet()) {
            w.field(e.getKey(), e.getValue());
          }
          w.endObject().name("values").beginArray();
        }
        w.beginArray();
        w.unsignedStringValue(r.epochNanos());
        line.reset();
        LogJson.write(line, r, serviceName);
        w.value(line.toString());
        w.endArray();
      }
      if (open) {
        w.endArray().endObject();
      }
    }
    w.endArray().endObject();
  }
}
