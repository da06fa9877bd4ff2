package dev.cairn.internal.export;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.json.JsonWriter;
import dev.cairn.logging.LogRecord;
import dev.cairn.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes log records as an OTLP/JSON {@code ExportLogsServiceRequest}: one {@code resourceLogs},
 * one {@code scopeLogs} per logger name (the scope, as OpenTelemetry's log appenders do), and per
 * record {@code timeUnixNano}, {@code observedTimeUnixNano}, {@code severityNumber}/{@code
 * severityText}, the message as a string {@code body}, trace and span ids, and attributes: the
 * record's key-values, then MDC entries, {@code thread.name}, {@code exception.type}/{@code
 * message}/{@code stacktrace} and marker names as the string array {@code log.tags} (a key seen
 * earlier is not repeated).
 *
 * <p>One instance per exporter worker; not thread-safe.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class OtlpLogEncoder {
  private final byte[] resourceJson;
  private final List<String> scopes = new ArrayList<>();
  private final List<String> written = new ArrayList<>();

  public OtlpLogEncoder(Resource resource) {
    this.resourceJson = OtlpJson.renderResource(resource);
  }

  public void encode(List<LogRecord> records, JsonWriter w) {
    collectScopes(records);
    w.beginObject().name("resourceLogs").beginArray().beginObject();
    w.name("resource").rawValue(resourceJson);
    w.name("scopeLogs").beginArray();
    for (int s = 0; s < scopes.size(); s++) {
      String scope = scopes.get(s);
      w.beginObject();
      OtlpJson.writeScope(w, scope, "");
      w.name("logRecords").beginArray();
      for (int i = 0, n = records.size(); i < n; i++) {
        LogRecord r = records.get(i);
        if (r.loggerName().equals(scope)) {
          writeRecord(w, r);
        }
      }
      w.endArray().endObject();
    }
    w.endArray().endObject().endArray().endObject();
  }

  private void collectScopes(List<LogRecord> records) {
    scopes.clear();
    String last = null;
    for (int i = 0, n = records.size(); i < n; i++) {
      String name = records.get(i).loggerName();
      if (name.equals(last)) {
        continue;
      }
      last = name;
      if (!scopes.contains(name)) {
        scopes.add(name);
      }
    }
  }

  private void writeRecord(JsonWriter w, LogRecord r) {
    w.beginObject();
    w.name("timeUnixNano").unsignedStringValue(r.epochNanos());
    w.name("observedTimeUnixNano").unsignedStringValue(r.epochNanos());
    w.field("severityNumber", r.level().severityNumber());
    w.field("severityText", r.level().name());
    w.name("body").beginObject().field("stringValue", r.message()).endObject();
    writeAttributes(w, r);
    TraceContext c = r.context();
    if (c.isValid()) {
      w.field("flags", c.traceFlags() & 0xFF);
      w.name("traceId").hexValue(c.traceIdHigh(), c.traceIdLow());
      w.name("spanId").hexValue(c.spanId());
    }
    w.endObject();
  }

  private void writeAttributes(JsonWriter w, LogRecord r) {
    written.clear();
    w.name("attributes").beginArray();
    for (Map.Entry<String, Object> e : r.attributes().entrySet()) {
      attribute(w, e.getKey(), e.getValue());
    }
    for (Map.Entry<String, String> e : r.mdc().entrySet()) {
      attribute(w, e.getKey(), e.getValue());
    }
    if (!r.threadName().isEmpty()) {
      attribute(w, "thread.name", r.threadName());
    }
    if (r.hasException()) {
      attribute(w, "exception.type", r.exceptionType());
      if (!r.exceptionMessage().isEmpty()) {
        attribute(w, "exception.message", r.exceptionMessage());
      }
      if (!r.exceptionStackTrace().isEmpty()) {
        attribute(w, "exception.stacktrace", r.exceptionStackTrace());
      }
    }
    List<String> tags = r.tags();
    if (!tags.isEmpty() && !written.contains("log.tags")) {
      w.beginObject().field("key", "log.tags").name("value");
      w.beginObject().name("arrayValue").beginObject().name("values").beginArray();
      for (int i = 0; i < tags.size(); i++) {
        OtlpJson.writeScalar(w, tags.get(i));
      }
      w.endArray().endObject().endObject();
      w.endObject();
    }
    w.endArray();
  }

  private void attribute(JsonWriter w, String key, Object value) {
    if (written.contains(key)) {
      return; // OTLP attribute keys are unique; the record's own key-values come first
    }
    written.add(key);
    w.beginObject().field("key", key).name("value");
    OtlpJson.writeScalar(w, value);
    w.endObject();
  }
}
