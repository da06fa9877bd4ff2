package dev.cairn.internal.export;

import dev.cairn.internal.json.JsonWriter;
import dev.cairn.resource.Resource;
import dev.cairn.span.AttributeType;
import dev.cairn.span.Attributes;
import java.util.List;
import java.util.Map;

/**
 * The OTLP/JSON building blocks shared by the trace and log encoders: resource, instrumentation
 * scope and {@code KeyValue} lists, following the OTLP JSON rules (lowerCamelCase keys, int64 as
 * decimal strings, doubles as numbers or "NaN"/"Infinity" strings, enums as integers).
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class OtlpJson {
  private OtlpJson() {}

  /** Pre-renders {@code {"attributes":[...]}} of a resource, written once per request. */
  public static byte[] renderResource(Resource resource) {
    JsonWriter w = new JsonWriter(512);
    w.beginObject().name("attributes").beginArray();
    for (Map.Entry<String, Object> e : resource.attributes().entrySet()) {
      w.beginObject().field("key", e.getKey()).name("value");
      writeScalar(w, e.getValue());
      w.endObject();
    }
    w.endArray().endObject();
    return w.toByteArray();
  }

  /** {@code "scope":{"name":..,"version":..}}, omitting empty members. */
  public static void writeScope(JsonWriter w, String name, String version) {
    w.name("scope").beginObject();
    if (!name.isEmpty()) {
      w.field("name", name);
    }
    if (!version.isEmpty()) {
      w.field("version", version);
    }
    w.endObject();
  }

  /** {@code "attributes":[KeyValue...]} when non-empty. */
  public static void writeAttributes(JsonWriter w, Attributes attributes) {
    int n = attributes.size();
    if (n == 0) {
      return;
    }
    w.name("attributes").beginArray();
    for (int i = 0; i < n; i++) {
      w.beginObject().field("key", attributes.key(i)).name("value");
      writeValue(w, attributes.type(i), attributes.value(i));
      w.endObject();
    }
    w.endArray();
  }

  /** An {@code AnyValue} of the given type. */
  public static void writeValue(JsonWriter w, AttributeType type, Object value) {
    switch (type) {
      case STRING:
      case LONG:
      case DOUBLE:
      case BOOLEAN:
        writeScalar(w, value);
        return;
      default:
        w.beginObject().name("arrayValue").beginObject().name("values").beginArray();
        for (Object element : (List<?>) value) {
          writeScalar(w, element);
        }
        w.endArray().endObject().endObject();
    }
  }

  /** An {@code AnyValue} of a String, Long/Integer, Double or Boolean. */
  public static void writeScalar(JsonWriter w, Object value) {
    w.beginObject();
    if (value instanceof String) {
      w.field("stringValue", (String) value);
    } else if (value instanceof Long || value instanceof Integer) {
      w.name("intValue").stringValue(((Number) value).longValue());
    } else if (value instanceof Double) {
      w.field("doubleValue", (double) (Double) value);
    } else if (value instanceof Boolean) {
      w.field("boolValue", (boolean) (Boolean) value);
    } else {
      w.field("stringValue", String.valueOf(value));
    }
    w.endObject();
  }
}
