package dev.cairn.internal.export;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.json.JsonWriter;
import dev.cairn.resource.Resource;
import dev.cairn.span.EventData;
import dev.cairn.span.LinkData;
import dev.cairn.span.SpanData;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes spans as an OTLP/JSON {@code ExportTraceServiceRequest}: one {@code resourceSpans} for
 * the exporter's resource, one {@code scopeSpans} per distinct instrumentation scope, ids as
 * lower-case hex, int64 timestamps as decimal strings, enums as integers, default values omitted.
 *
 * <p>One instance per exporter worker (it keeps scratch lists); not thread-safe.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class OtlpTraceEncoder {
  /** Span flags: bit 8 says bit 9 is known; bit 9 says the parent is remote (OTLP 1.1+). */
  private static final int HAS_IS_REMOTE = 0x100;

  private static final int IS_REMOTE = 0x200;

  private final byte[] resourceJson;
  private final List<String> scopeNames = new ArrayList<>();
  private final List<String> scopeVersions = new ArrayList<>();

  public OtlpTraceEncoder(Resource resource) {
    this.resourceJson = OtlpJson.renderResource(resource);
  }

  /** Writes the request for {@code spans} into {@code w} (which is not reset first). */
  public void encode(List<SpanData> spans, JsonWriter w) {
    collectScopes(spans);
    w.beginObject().name("resourceSpans").beginArray().beginObject();
    w.name("resource").rawValue(resourceJson);
    w.name("scopeSpans").beginArray();
    int n = spans.size();
    for (int s = 0; s < scopeNames.size(); s++) {
      String scopeName = scopeNames.get(s);
      String scopeVersion = scopeVersions.get(s);
      w.beginObject();
      OtlpJson.writeScope(w, scopeName, scopeVersion);
      w.name("spans").beginArray();
      for (int i = 0; i < n; i++) {
        SpanData span = spans.get(i);
        if (span.scopeName().equals(scopeName) && span.scopeVersion().equals(scopeVersion)) {
          writeSpan(w, span);
        }
      }
      w.endArray().endObject();
    }
    w.endArray().endObject().endArray().endObject();
  }

  private void collectScopes(List<SpanData> spans) {
    scopeNames.clear();
    scopeVersions.clear();
    String lastName = null;
    String lastVersion = null;
    for (int i = 0, n = spans.size(); i < n; i++) {
      SpanData span = spans.get(i);
      String name = span.scopeName();
      String version = span.scopeVersion();
      if (name.equals(lastName) && version.equals(lastVersion)) {
        continue; // the common case: a run of spans from one tracer
      }
      lastName = name;
      lastVersion = version;
      boolean seen = false;
      for (int k = 0; k < scopeNames.size(); k++) {
        if (scopeNames.get(k).equals(name) && scopeVersions.get(k).equals(version)) {
          seen = true;
          break;
        }
      }
      if (!seen) {
        scopeNames.add(name);
        scopeVersions.add(version);
      }
    }
  }

  private static void writeSpan(JsonWriter w, SpanData span) {
    TraceContext c = span.context();
    w.beginObject();
    w.name("traceId").hexValue(c.traceIdHigh(), c.traceIdLow());
    w.name("spanId").hexValue(c.spanId());
    String traceState = c.traceState().toHeader();
    if (!traceState.isEmpty()) {
      w.field("traceState", traceState);
    }
    if (c.parentSpanId() != 0) {
      w.name("parentSpanId").hexValue(c.parentSpanId());
    }
    w.field(
        "flags",
        (c.traceFlags() & 0xFF) | HAS_IS_REMOTE | (span.parentIsRemote() ? IS_REMOTE : 0));
    w.field("name", span.name());
    w.field("kind", kind(span));
    w.name("startTimeUnixNano").unsignedStringValue(span.startEpochNanos());
    w.name("endTimeUnixNano").unsignedStringValue(span.endEpochNanos());
    OtlpJson.writeAttributes(w, span.attributes());
    if (span.droppedAttributesCount() > 0) {
      w.field("droppedAttributesCount", span.droppedAttributesCount());
    }
    List<EventData> events = span.events();
    if (!events.isEmpty()) {
      w.name("events").beginArray();
      for (int i = 0, n = events.size(); i < n; i++) {
        EventData e = events.get(i);
        w.beginObject();
        w.name("timeUnixNano").unsignedStringValue(e.epochNanos());
        w.field("name", e.name());
        OtlpJson.writeAttributes(w, e.attributes());
        if (e.droppedAttributesCount() > 0) {
          w.field("droppedAttributesCount", e.droppedAttributesCount());
        }
        w.endObject();
      }
      w.endArray();
    }
    if (span.droppedEventsCount() > 0) {
      w.field("droppedEventsCount", span.droppedEventsCount());
    }
    List<LinkData> links = span.links();
    if (!links.isEmpty()) {
      w.name("links").beginArray();
      for (int i = 0, n = links.size(); i < n; i++) {
        LinkData l = links.get(i);
        TraceContext lc = l.context();
        w.beginObject();
        w.name("traceId").hexValue(lc.traceIdHigh(), lc.traceIdLow());
        w.name("spanId").hexValue(lc.spanId());
        String ts = lc.traceState().toHeader();
        if (!ts.isEmpty()) {
          w.field("traceState", ts);
        }
        OtlpJson.writeAttributes(w, l.attributes());
        if (l.droppedAttributesCount() > 0) {
          w.field("droppedAttributesCount", l.droppedAttributesCount());
        }
        w.field(
            "flags", (lc.traceFlags() & 0xFF) | HAS_IS_REMOTE | (lc.isRemote() ? IS_REMOTE : 0));
        w.endObject();
      }
      w.endArray();
    }
    if (span.droppedLinksCount() > 0) {
      w.field("droppedLinksCount", span.droppedLinksCount());
    }
    int code = status(span);
    if (code != 0) {
      w.name("status").beginObject();
      String description = span.statusDescription();
      if (code == 2 && !description.isEmpty()) {
        w.field("message", description); // OTel: a description only accompanies an error
      }
      w.field("code", code).endObject();
    }
    w.endObject();
  }

  /** OTLP SpanKind: INTERNAL=1, SERVER=2, CLIENT=3, PRODUCER=4, CONSUMER=5. */
  private static int kind(SpanData span) {
    switch (span.kind()) {
      case SERVER:
        return 2;
      case CLIENT:
        return 3;
      case PRODUCER:
        return 4;
      case CONSUMER:
        return 5;
      default:
        return 1;
    }
  }

  /** OTLP StatusCode: UNSET=0, OK=1, ERROR=2. */
  private static int status(SpanData span) {
    switch (span.statusCode()) {
      case OK:
        return 1;
      case ERROR:
        return 2;
      default:
        return 0;
    }
  }
}
