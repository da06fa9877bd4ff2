package dev.cairn.internal.http;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body up to a cap, then cancels the subscription, which makes the JDK client
 * close the connection instead of draining it: a 100 MiB or endless body costs at most the cap.
 * The body is never decompressed, so a gzip bomb is just bytes.
 */
final class CappedBody implements HttpResponse.BodySubscriber<CappedBody.Result> {
  /** Status, the bytes read, whether reading stopped at the cap, and {@code Retry-After}. */
  static final class Result {
    final int status;
    final byte[] body;
    final boolean truncated;
    final Optional<String> retryAfter;

    Result(int status, byte[] body, boolean truncated, Optional<String> retryAfter) {
      this.status = status;
      this.body = body;
      this.truncated = truncated;
      this.retryAfter = retryAfter;
    }
  }

  private final int status;
  private final Optional<String> retryAfter;
  private final int cap;
  private final CompletableFuture<Result> result = new CompletableFuture<>();
  private byte[] buf = new byte[256];
  private int count;
  private Flow.Subscription subscription;

  CappedBody(HttpResponse.ResponseInfo info, int cap) {
    this.status = info.statusCode();
    this.retryAfter = info.headers().firstValue("Retry-After");
    this.cap = cap;
  }

  @Override
  public CompletionStage<Result> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      int n = b.remaining();
      int room = cap - count;
      if (n > room) {
        append(b, room);
        subscription.cancel();
        result.complete(new Result(status, Arrays.copyOf(buf, count), true, retryAfter));
        return;
      }
      append(b, n);
    }
    subscription.request(1);
  }

  private void append(ByteBuffer b, int n) {
    if (n <= 0) {
      return;
    }
    if (count + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.min(cap, Math.max(count + n, buf.length * 2)));
    }
    b.get(buf, count, n);
    count += n;
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(new Result(status, Arrays.copyOf(buf, count), false, retryAfter));
  }
}
