package dev.cairn.internal.export;

import dev.cairn.export.ExportResult;
import dev.cairn.internal.http.HttpResult;
import dev.cairn.internal.http.HttpTransport;
import dev.cairn.internal.json.JsonWriter;
import java.util.List;

/**
 * Encodes a batch into one reusable buffer and posts it through an {@link HttpTransport}; the
 * common half of every HTTP exporter.
 *
 * <p>A batch whose encoding exceeds the request cap is split in halves until each part fits (a
 * single item that alone is too large fails with {@code request_too_large}). When only some parts
 * get through, the others are reported as rejected items, so the pipeline counts exactly what was
 * lost.
 *
 * <p>Internal API: unsupported, may change without notice.
 *
 * @param <T> the signal type
 */
public final class HttpBatchSender<T> {
  /** Writes one request body for {@code items}. */
  @FunctionalInterface
  public interface Encoder<T> {
    void encode(List<T> items, JsonWriter out);
  }

  /** Reads a 2xx reply: how many items the receiver rejected (OTLP partial success), or 0. */
  @FunctionalInterface
  public interface ReplyReader {
    Rejection read(HttpResult result);
  }

  /** Items a receiver rejected in a successful reply, and its message. */
  public static final class Rejection {
    static final Rejection NONE = new Rejection(0, "");
    final long count;
    final String message;

    public Rejection(long count, String message) {
      this.count = count;
      this.message = message == null ? "" : message;
    }

    public static Rejection none() {
      return NONE;
    }
  }

  private final HttpTransport transport;
  private final Encoder<T> encoder;
  private final ReplyReader replyReader;
  private final int maxRequestBytes;
  private final JsonWriter writer = new JsonWriter(64 * 1024);
  private byte[] probeBody;

  public HttpBatchSender(
      HttpTransport transport, Encoder<T> encoder, ReplyReader replyReader, int maxRequestBytes) {
    this.transport = transport;
    this.encoder = encoder;
    this.replyReader = replyReader;
    this.maxRequestBytes = maxRequestBytes;
  }

  public ExportResult export(List<T> batch) {
    if (batch.isEmpty()) {
      return ExportResult.success();
    }
    Outcome o = new Outcome();
    send(batch, o);
    if (o.failedItems == batch.size()) {
      return ExportResult.failure(o.failureReason, o.message);
    }
    long rejected = o.failedItems + o.rejectedItems;
    return rejected == 0 ? ExportResult.success() : ExportResult.partialSuccess(rejected, o.message);
  }

  /** Releases the transport. */
  public void close() {
    transport.close();
  }

  private void send(List<T> items, Outcome o) {
    writer.reset();
    encoder.encode(items, writer);
    if (writer.size() > maxRequestBytes && items.size() > 1) {
      int half = items.size() / 2;
      send(items.subList(0, half), o);
      send(items.subList(half, items.size()), o);
      return;
    }
    HttpResult r = transport.send(writer.buffer(), writer.size(), probeBody());
    if (r.isSuccess()) {
      Rejection rej = replyReader.read(r);
      if (rej.count > 0) {
        o.rejectedItems += Math.min(rej.count, items.size());
        o.message = rej.message;
      }
    } else {
      o.failedItems += items.size();
      o.failureReason = r.reason();
      o.message = r.toString();
    }
  }

  /**
   * An empty batch in this exporter's format: the transport probes with it during a long backoff
   * (see {@link HttpTransport#send(byte[], int, long, byte[])}). Encoded once, on the worker.
   */
  private byte[] probeBody() {
    byte[] p = probeBody;
    if (p == null) {
      JsonWriter w = new JsonWriter(256);
      encoder.encode(List.of(), w);
      p = java.util.Arrays.copyOf(w.buffer(), w.size());
      probeBody = p;
    }
    return p;
  }

  private static final class Outcome {
    long failedItems;
    long rejectedItems;
    String failureReason = "";
    String message = "";
  }
}
