package dev.cairn.span;

/** The status of a finished span, as OpenTelemetry defines it. */
public enum StatusCode {
  /** No status was set (the default): the span is treated as successful by most backends. */
  UNSET,
  /** The operation was explicitly marked as successful; later {@code ERROR} is ignored. */
  OK,
  /** The operation failed. */
  ERROR
}
