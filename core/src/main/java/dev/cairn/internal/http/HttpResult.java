package dev.cairn.internal.http;

import java.nio.charset.StandardCharsets;

/**
 * What became of one {@link HttpTransport#send} call, after all its attempts.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class HttpResult {
  /** The final state of a send. */
  public enum Outcome {
    /** A 2xx response. */
    SUCCESS,
    /** The backend refused the data for good (a non-retryable status); not retried. */
    REJECTED,
    /** Retryable failures until the attempts, the time budget or the transport ran out. */
    GAVE_UP,
    /** The body exceeded the request size cap and was not sent. */
    TOO_LARGE
  }

  private final Outcome outcome;
  private final String reason;
  private final int status;
  private final int attempts;
  private final byte[] body;
  private final boolean bodyTruncated;
  private final String lastError;

  HttpResult(
      Outcome outcome,
      String reason,
      int status,
      int attempts,
      byte[] body,
      boolean bodyTruncated,
      String lastError) {
    this.outcome = outcome;
    this.reason = reason;
    this.status = status;
    this.attempts = attempts;
    this.body = body;
    this.bodyTruncated = bodyTruncated;
    this.lastError = lastError;
  }

  public Outcome outcome() {
    return outcome;
  }

  public boolean isSuccess() {
    return outcome == Outcome.SUCCESS;
  }

  /**
   * A short, bounded tag value saying why data was not delivered ({@code ok} on success): {@code
   * http_400}, {@code http_413}, {@code http_4xx}, {@code http_5xx}, {@code retries_exhausted},
   * {@code deadline}, {@code request_too_large}, {@code closed}, {@code interrupted}.
   */
  public String reason() {
    return reason;
  }

  /** Status of the last response, or 0 when none arrived. */
  public int status() {
    return status;
  }

  /** Requests actually sent (0 for {@link Outcome#TOO_LARGE}). */
  public int attempts() {
    return attempts;
  }

  /** The last response body, read up to the response cap; empty when none. */
  public byte[] body() {
    return body;
  }

  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Whether the response body was longer than the cap and reading stopped there. */
  public boolean bodyTruncated() {
    return bodyTruncated;
  }

  /** Description of the last failure (status or exception), or the empty string. */
  public String lastError() {
    return lastError;
  }

  @Override
  public String toString() {
    return "HttpResult{"
        + outcome
        + ", reason="
        + reason
        + ", status="
        + status
        + ", attempts="
        + attempts
        + (lastError.isEmpty() ? "" : ", lastError=" + lastError)
        + "}";
  }
}
