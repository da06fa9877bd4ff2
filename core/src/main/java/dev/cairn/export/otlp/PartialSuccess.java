package dev.cairn.export.otlp;

import dev.cairn.internal.export.HttpBatchSender.Rejection;
import dev.cairn.internal.http.HttpResult;
import dev.cairn.internal.json.JsonReader;

/**
 * Reads OTLP's partial success from a 2xx reply: {@code
 * {"partialSuccess":{"rejectedSpans":"5","errorMessage":"..."}}} (int64 as a string or a number).
 * An empty, truncated, non-JSON or compressed reply means full success, as the specification
 * says a receiver that accepted everything may answer with nothing.
 */
final class PartialSuccess {
  private PartialSuccess() {}

  static Rejection read(HttpResult result, String countField) {
    byte[] body = result.body();
    if (body.length == 0 || result.bodyTruncated() || body[0] != '{') {
      return Rejection.none();
    }
    try {
      Object root = JsonReader.parse(result.bodyAsString());
      long rejected = JsonReader.asLong(JsonReader.at(root, "partialSuccess", countField), 0);
      Object message = JsonReader.at(root, "partialSuccess", "errorMessage");
      if (rejected <= 0 && !(message instanceof String)) {
        return Rejection.none();
      }
      return new Rejection(Math.max(0, rejected), message instanceof String ? (String) message : "");
    } catch (IllegalArgumentException e) {
      return Rejection.none();
    }
  }
}
