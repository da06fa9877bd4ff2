package dev.cairn.export;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one {@link Exporter#export} call: success, success with some items rejected by
 * the receiver (OTLP's partial success), or failure with a short reason code. Immutable.
 *
 * <p>The reason code becomes a tag of {@code cairn.export.failed{reason}}, so it must come from a
 * small fixed set ({@code "http_400"}, {@code "timeout"}, {@code "io"}, ...); put variable detail
 * in the message.
 */
public final class ExportResult {
  private static final ExportResult SUCCESS = new ExportResult(true, 0, "", "", null);

  private final boolean success;
  private final long rejected;
  private final String reason;
  private final String message;
  private final Throwable error;

  private ExportResult(
      boolean success, long rejected, String reason, String message, Throwable error) {
    this.success = success;
    this.rejected = rejected;
    this.reason = reason;
    this.message = message;
    this.error = error;
  }

  /** Every item was accepted. */
  public static ExportResult success() {
    return SUCCESS;
  }

  /**
   * The call succeeded but the receiver rejected {@code rejected} items (they are counted as
   * dropped with reason {@code rejected}, never retried).
   */
  public static ExportResult partialSuccess(long rejected, String message) {
    if (rejected < 0) {
      throw new IllegalArgumentException("rejected must be >= 0: " + rejected);
    }
    return rejected == 0 && (message == null || message.isEmpty())
        ? SUCCESS
        : new ExportResult(true, rejected, "", message == null ? "" : message, null);
  }

  /**
   * The batch was not delivered (after whatever retries the exporter does itself); every item is
   * counted as dropped with reason {@code export_failed}.
   *
   * @param reason short code from a fixed set, e.g. {@code "http_503"}
   */
  public static ExportResult failure(String reason, String message) {
    return new ExportResult(
        false, 0, Objects.requireNonNull(reason, "reason"), message == null ? "" : message, null);
  }

  /** A failure caused by an exception. */
  public static ExportResult failure(String reason, Throwable error) {
    Objects.requireNonNull(error, "error");
    return new ExportResult(
        false, 0, Objects.requireNonNull(reason, "reason"), String.valueOf(error), error);
  }

  /** True when the call succeeded (possibly with rejected items). */
  public boolean isSuccess() {
    return success;
  }

  /** Items the receiver rejected in a partial success. */
  public long rejected() {
    return rejected;
  }

  /** The failure reason code; empty on success. */
  public String reason() {
    return reason;
  }

  /** Human-readable detail (receiver message, error text); may be empty. */
  public String message() {
    return message;
  }

  /** The exception behind a failure, if any. */
  public Optional<Throwable> error() {
    return Optional.ofNullable(error);
  }

  @Override
  public String toString() {
    if (success) {
      return rejected == 0 ? "ExportResult[success]" : "ExportResult[partial, rejected=" + rejected + "]";
    }
    return "ExportResult[failure " + reason + (message.isEmpty() ? "" : ": " + message) + "]";
  }
}
