package dev.cairn.export;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.json.JsonWriter;
import dev.cairn.resource.Resource;
import dev.cairn.span.AttributeType;
import dev.cairn.span.Attributes;
import dev.cairn.span.EventData;
import dev.cairn.span.LinkData;
import dev.cairn.span.SpanData;
import dev.cairn.span.StatusCode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Cairn's one-line JSON form of a span, for {@link NdjsonExporter}. Field names follow OTLP's
 * where one exists; times are both an ISO-8601 {@code time} for people and exact Unix
 * nanoseconds for programs:
 *
 * <pre>{@code
 * {"time":"2026-11-28T06:07:44.123456789Z","traceId":"4bf9…","spanId":"00f0…","parentSpanId":"…",
 *  "name":"GET /orders","kind":"server","startTimeUnixNano":…,"endTimeUnixNano":…,
 *  "durationNanos":…,"sampled":true,"status":"error","statusMessage":"…","scope":"…",
 *  "resource":{"service.name":"checkout"},"attributes":{"http.method":"GET"},
 *  "events":[{"name":"exception","timeUnixNano":…,"attributes":{…}}],
 *  "links":[{"traceId":"…","spanId":"…","attributes":{}}]}
 * }</pre>
 *
 * <p>Optional fields ({@code parentSpanId}, {@code status}, {@code statusMessage}, {@code
 * correlationId}, {@code resource}, {@code attributes}, {@code events}, {@code links}, {@code
 * dropped*}) are left out when empty. Strings, numbers and escaping follow Cairn's JSON writer
 * rules (RFC 8259; U+2028/U+2029 and C1 controls escaped; lone surrogates become U+FFFD;
 * non-finite doubles become the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}),
 * so every line is one valid UTF-8 JSON object.
 */
public final class SpanNdjson {
  private SpanNdjson() {}

  /**
   * The encoder that adds the resource of the Cairn instance its exporter joins (so {@code
   * Cairn.builder().serviceName("checkout")} puts {@code "resource":{"service.name":"checkout"}}
   * on every line); without one, lines carry no resource.
   */
  public static NdjsonExporter.Encoder<SpanData> encoder() {
    return new Adopting();
  }

  /** Holds the resource offered through {@link NdjsonExporter#useResource}. */
  static final class Adopting implements NdjsonExporter.Encoder<SpanData> {
    private volatile Map<String, Object> resource = Map.of();

    void adopt(Resource r) {
      resource = r.attributes();
    }

    @Override
    public void encode(SpanData item, StringBuilder out) {
      write(item, resource, out);
    }
  }

  /** The encoder adding the resource attributes (e.g. {@code service.name}) to every line. */
  public static NdjsonExporter.Encoder<SpanData> encoder(Resource resource) {
    Map<String, Object> r = Objects.requireNonNull(resource, "resource").attributes();
    return (s, out) -> write(s, r, out);
  }

  static void write(SpanData s, Map<String, Object> resource, StringBuilder out) {
    TraceContext c = s.context();
    out.append("{\"time\":\"")
        .append(Instant.ofEpochSecond(0, s.startEpochNanos()))
        .append("\",\"traceId\":\"")
        .append(c.traceIdHex())
        .append("\",\"spanId\":\"")
        .append(c.spanIdHex())
        .append('"');
    if (c.parentSpanId() != 0) {
      out.append(",\"parentSpanId\":\"").append(c.parentSpanIdHex()).append('"');
    }
    out.append(",\"name\":");
    string(out, s.name());
    out.append(",\"kind\":\"")
        .append(s.kind().name().toLowerCase(Locale.ROOT))
        .append("\",\"startTimeUnixNano\":")
        .append(s.startEpochNanos())
        .append(",\"endTimeUnixNano\":")
        .append(s.endEpochNanos())
        .append(",\"durationNanos\":")
        .append(s.durationNanos())
        .append(",\"sampled\":")
        .append(c.isSampled());
    if (s.statusCode() != StatusCode.UNSET) {
      out.append(",\"status\":\"").append(s.statusCode().name().toLowerCase(Locale.ROOT)).append('"');
      if (!s.statusDescription().isEmpty()) {
        out.append(",\"statusMessage\":");
        string(out, s.statusDescription());
      }
    }
    if (!c.correlationIdOrEmpty().isEmpty()) {
      out.append(",\"correlationId\":");
      string(out, c.correlationIdOrEmpty());
    }
    out.append(",\"scope\":");
    string(out, s.scopeName());
    if (!resource.isEmpty()) {
      out.append(",\"resource\":{");
      boolean first = true;
      for (Map.Entry<String, Object> e : resource.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, e.getKey());
        out.append(':');
        scalar(out, e.getValue());
      }
      out.append('}');
    }
    Attributes a = s.attributes();
    if (!a.isEmpty()) {
      out.append(",\"attributes\":");
      attributes(out, a);
    }
    List<EventData> events = s.events();
    if (!events.isEmpty()) {
      out.append(",\"events\":[");
      for (int i = 0; i < events.size(); i++) {
        EventData e = events.get(i);
        if (i > 0) {
          out.append(',');
        }
        out.append("{\"name\":");
        string(out, e.name());
        out.append(",\"timeUnixNano\":").append(e.epochNanos()).append(",\"attributes\":");
        attributes(out, e.attributes());
        out.append('}');
      }
      out.append(']');
    }
    List<LinkData> links = s.links();
    if (!links.isEmpty()) {
      out.append(",\"links\":[");
      for (int i = 0; i < links.size(); i++) {
        LinkData l = links.get(i);
        if (i > 0) {
          out.append(',');
        }
        out.append("{\"traceId\":\"")
            .append(l.context().traceIdHex())
            .append("\",\"spanId\":\"")
            .append(l.context().spanIdHex())
            .append("\",\"attributes\":");
        attributes(out, l.attributes());
        out.append('}');
      }
      out.append(']');
    }
    dropped(out, "droppedAttributesCount", s.droppedAttributesCount());
    dropped(out, "droppedEventsCount", s.droppedEventsCount());
    dropped(out, "droppedLinksCount", s.droppedLinksCount());
    out.append('}');
  }

  private static void dropped(StringBuilder out, String field, int n) {
    if (n > 0) {
      out.append(",\"").append(field).append("\":").append(n);
    }
  }

  private static void attributes(StringBuilder out, Attributes a) {
    out.append('{');
    for (int i = 0; i < a.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(out, a.key(i));
      out.append(':');
      value(out, a.type(i), a.value(i));
    }
    out.append('}');
  }

  private static void value(StringBuilder out, AttributeType type, Object v) {
    switch (type) {
      case STRING:
        string(out, (String) v);
        return;
      case LONG:
      case BOOLEAN:
        out.append(v);
        return;
      case DOUBLE:
        number(out, (Double) v);
        return;
      default:
        out.append('[');
        List<?> list = (List<?>) v;
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          Object e = list.get(i);
          if (e instanceof String) {
            string(out, (String) e);
          } else if (e instanceof Double) {
            number(out, (Double) e);
          } else {
            out.append(e);
          }
        }
        out.append(']');
    }
  }

  private static void scalar(StringBuilder out, Object v) {
    if (v instanceof Double) {
      number(out, (Double) v);
    } else if (v instanceof Long || v instanceof Boolean) {
      out.append(v);
    } else {
      string(out, String.valueOf(v));
    }
  }

  private static void number(StringBuilder out, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      out.append('"').append(d).append('"');
    } else {
      out.append(d);
    }
  }

  static void string(StringBuilder out, String s) {
    JsonWriter.appendQuoted(out, s);
  }
}
