package dev.cairn.internal.export;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.json.JsonWriter;
import dev.cairn.resource.Resource;
import dev.cairn.span.AttributeType;
import dev.cairn.span.Attributes;
import dev.cairn.span.EventData;
import dev.cairn.span.SpanData;
import java.util.List;
import java.util.Locale;

/**
 * Encodes spans as a Zipkin v2 JSON array ({@code POST /api/v2/spans}), mapped the way
 * OpenTelemetry's Zipkin exporter specification describes:
 *
 * <ul>
 *   <li>{@code traceId} 32 hex digits, {@code id}, {@code parentId} 16; {@code kind} only for
 *       server/client/producer/consumer (Zipkin has no "internal").
 *   <li>{@code timestamp} and {@code duration} in microseconds, the duration at least 1 (Zipkin
 *       reads 0 as "unknown").
 *   <li>Span and service names lower-cased, as Zipkin stores them.
 *   <li>{@code localEndpoint.serviceName} from the resource's {@code service.name}; {@code
 *       remoteEndpoint} from {@code peer.service}, {@code server.address} / {@code
 *       network.peer.address} and {@code server.port} / {@code network.peer.port} when present.
 *   <li>Tags are strings: arrays become JSON arrays as text; the resource's attributes are not
 *       repeated on every span (Zipkin has no resource); status becomes {@code otel.status_code}
 *       and, for errors, {@code error} with the description; the scope becomes {@code
 *       otel.scope.name} / {@code otel.scope.version}.
 *   <li>Events become annotations: the name, or {@code name: {attributes as JSON}}.
 * </ul>
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class ZipkinSpanEncoder {
  private final String serviceName;
  private final JsonWriter scratch = new JsonWriter(256);

  public ZipkinSpanEncoder(Resource resource) {
    this.serviceName = resource.serviceName().toLowerCase(Locale.ROOT);
  }

  /** Writes the JSON array for {@code spans} into {@code w} (which is not reset first). */
  public void encode(List<SpanData> spans, JsonWriter w) {
    w.beginArray();
    for (int i = 0, n = spans.size(); i < n; i++) {
      writeSpan(w, spans.get(i));
    }
    w.endArray();
  }

  private void writeSpan(JsonWriter w, SpanData span) {
    TraceContext c = span.context();
    w.beginObject();
    w.name("traceId").hexValue(c.traceIdHigh(), c.traceIdLow());
    w.name("id").hexValue(c.spanId());
    if (c.parentSpanId() != 0) {
      w.name("parentId").hexValue(c.parentSpanId());
    }
    String kind = kind(span);
    if (kind != null) {
      w.field("kind", kind);
    }
    w.field("name", span.name().toLowerCase(Locale.ROOT));
    long startMicros = span.startEpochNanos() / 1000;
    w.field("timestamp", startMicros);
    w.field("duration", Math.max(1, span.endEpochNanos() / 1000 - startMicros));
    w.name("localEndpoint").beginObject().field("serviceName", serviceName).endObject();
    writeRemoteEndpoint(w, span.attributes());
    List<EventData> events = span.events();
    if (!events.isEmpty()) {
      w.name("annotations").beginArray();
      for (int i = 0, n = events.size(); i < n; i++) {
        EventData e = events.get(i);
        w.beginObject().field("timestamp", e.epochNanos() / 1000).name("value");
        if (e.attributes().isEmpty()) {
          w.value(e.name());
        } else {
          w.value(e.name() + ": " + attributesAsJson(e.attributes()));
        }
        w.endObject();
      }
      w.endArray();
    }
    w.name("tags").beginObject();
    Attributes a = span.attributes();
    for (int i = 0, n = a.size(); i < n; i++) {
      if (isReplacedTag(a.key(i), span)) {
        continue; // written below from the span itself; a JSON object must not repeat a key
      }
      w.name(a.key(i));
      writeTagValue(w, a.type(i), a.value(i));
    }
    switch (span.statusCode()) {
      case ERROR:
        w.field("otel.status_code", "ERROR");
        w.field("error", span.statusDescription());
        break;
      case OK:
        w.field("otel.status_code", "OK");
        break;
      default:
        break;
    }
    if (!span.scopeName().isEmpty()) {
      w.field("otel.scope.name", span.scopeName());
    }
    if (!span.scopeVersion().isEmpty()) {
      w.field("otel.scope.version", span.scopeVersion());
    }
    if (span.droppedAttributesCount() > 0) {
      w.field("otel.dropped_attributes_count", Integer.toString(span.droppedAttributesCount()));
    }
    if (span.droppedEventsCount() > 0) {
      w.field("otel.dropped_events_count", Integer.toString(span.droppedEventsCount()));
    }
    w.endObject();
    w.endObject();
  }

  private static void writeRemoteEndpoint(JsonWriter w, Attributes a) {
    String service = string(a, "peer.service");
    String address = string(a, "server.address");
    if (address == null) {
      address = string(a, "network.peer.address");
    }
    long port = number(a, "server.port");
    if (port <= 0) {
      port = number(a, "network.peer.port");
    }
    if (service == null && address == null) {
      return;
    }
    w.name("remoteEndpoint").beginObject();
    if (service != null) {
      w.field("serviceName", service.toLowerCase(Locale.ROOT));
    }
    if (address != null) {
      if (isIpv4(address)) {
        w.field("ipv4", address);
      } else if (address.indexOf(':') >= 0) {
        w.field("ipv6", address);
      } else if (service == null) {
        w.field("serviceName", address.toLowerCase(Locale.ROOT));
      }
    }
    if (port > 0 && port <= 65535) {
      w.field("port", port);
    }
    w.endObject();
  }

  private void writeTagValue(JsonWriter w, AttributeType type, Object value) {
    switch (type) {
      case STRING:
        w.value((String) value);
        return;
      case LONG:
      case DOUBLE:
      case BOOLEAN:
        w.value(String.valueOf(value));
        return;
      default:
        scratch.reset();
        scratch.beginArray();
        for (Object o : (List<?>) value) {
          if (o instanceof String) {
            scratch.value((String) o);
          } else if (o instanceof Double) {
            scratch.value((double) (Double) o);
          } else if (o instanceof Long) {
            scratch.value((long) (Long) o);
          } else {
            scratch.value((boolean) (Boolean) o);
          }
        }
        scratch.endArray();
        w.value(scratch.toString());
    }
  }

  private String attributesAsJson(Attributes a) {
    scratch.reset();
    scratch.beginObject();
    for (int i = 0, n = a.size(); i < n; i++) {
      scratch.name(a.key(i));
      Object v = a.value(i);
      switch (a.type(i)) {
        case LONG:
          scratch.value((long) (Long) v);
          break;
        case DOUBLE:
          scratch.value((double) (Double) v);
          break;
        case BOOLEAN:
          scratch.value((boolean) (Boolean) v);
          break;
        default:
          scratch.value(String.valueOf(v));
      }
    }
    return scratch.endObject().toString();
  }

  private static boolean isReplacedTag(String key, SpanData span) {
    switch (key) {
      case "error":
      case "otel.status_code":
        return span.statusCode() != dev.cairn.span.StatusCode.UNSET;
      case "otel.scope.name":
        return !span.scopeName().isEmpty();
      case "otel.scope.version":
        return !span.scopeVersion().isEmpty();
      case "otel.dropped_attributes_count":
        return span.droppedAttributesCount() > 0;
      case "otel.dropped_events_count":
        return span.droppedEventsCount() > 0;
      default:
        return false;
    }
  }

  private static String kind(SpanData span) {
    switch (span.kind()) {
      case SERVER:
        return "SERVER";
      case CLIENT:
        return "CLIENT";
      case PRODUCER:
        return "PRODUCER";
      case CONSUMER:
        return "CONSUMER";
      default:
        return null;
    }
  }

  private static String string(Attributes a, String key) {
    for (int i = 0, n = a.size(); i < n; i++) {
      if (a.key(i).equals(key) && a.type(i) == AttributeType.STRING) {
        String v = (String) a.value(i);
        return v.isEmpty() ? null : v;
      }
    }
    return null;
  }

  private static long number(Attributes a, String key) {
    for (int i = 0, n = a.size(); i < n; i++) {
      if (a.key(i).equals(key) && a.type(i) == AttributeType.LONG) {
        return (Long) a.value(i);
      }
    }
    return -1;
  }

  private static boolean isIpv4(String s) {
    int parts = 0;
    int digits = 0;
    int value = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (digits == 0) {
          return false;
        }
        parts++;
        digits = 0;
        value = 0;
      } else if (c >= '0' && c <= '9') {
        value = value * 10 + (c - '0');
        if (++digits > 3 || value > 255) {
          return false;
        }
      } else {
        return false;
      }
    }
    return parts == 3 && digits > 0;
  }
}
