package dev.cairn.internal.export;

import dev.cairn.internal.export.HttpBatchSender.Rejection;
import dev.cairn.internal.http.HttpResult;
import dev.cairn.internal.json.JsonReader;
import dev.cairn.internal.json.JsonWriter;
import dev.cairn.logging.LogRecord;
import java.util.List;
import java.util.Map;

/**
 * Encodes log records as an Elasticsearch bulk request ({@code POST /_bulk}, NDJSON): per record
 * a {@code {"create":{"_index":...}}} action line (the only operation a data stream accepts) and
 * the record as an ECS document ({@link LogJson}), each line ending in a newline.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class ElasticsearchBulkEncoder {
  private final byte[] action;
  private final String serviceName;

  public ElasticsearchBulkEncoder(String index, String serviceName) {
    this.action =
        new JsonWriter(64)
            .beginObject()
            .name("create")
            .beginObject()
            .field("_index", index)
            .endObject()
            .endObject()
            .toByteArray();
    this.serviceName = serviceName;
  }

  public void encode(List<LogRecord> records, JsonWriter w) {
    for (int i = 0, n = records.size(); i < n; i++) {
      w.rawValue(action).newline();
      LogJson.write(w, records.get(i), serviceName);
      w.newline();
    }
  }

  /**
   * A bulk reply is 200 even when items failed: {@code "errors":true} and an {@code items} entry
   * per document with its own {@code status}. Every item with a status of 300 or more is a
   * rejected record. When the reply was cut at the transport's cap the count is unknown and 0 is
   * reported (the transport counted the truncation).
   */
  public static Rejection readReply(HttpResult result) {
    if (result.bodyTruncated() || result.body().length == 0) {
      return Rejection.none();
    }
    try {
      Object root = JsonReader.parse(result.bodyAsString());
      if (!Boolean.TRUE.equals(JsonReader.at(root, "errors"))) {
        return Rejection.none();
      }
      Object items = JsonReader.at(root, "items");
      if (!(items instanceof List)) {
        return Rejection.none();
      }
      long failed = 0;
      String firstReason = "";
      for (Object item : (List<?>) items) {
        if (!(item instanceof Map) || ((Map<?, ?>) item).isEmpty()) {
          continue;
        }
        Object op = ((Map<?, ?>) item).values().iterator().next();
        long status = JsonReader.asLong(JsonReader.at(op, "status"), 0);
        if (status >= 300) {
          failed++;
          if (firstReason.isEmpty()) {
            Object reason = JsonReader.at(op, "error", "reason");
            firstReason = "status " + status + (reason instanceof String ? ": " + reason : "");
          }
        }
      }
      return new Rejection(failed, firstReason);
    } catch (IllegalArgumentException e) {
      return Rejection.none();
    }
  }
}
