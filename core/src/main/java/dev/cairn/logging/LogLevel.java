package dev.cairn.logging;

/**
 * Severity of a {@link LogRecord}, with the OpenTelemetry severity number of each level (the
 * first number of its range: TRACE 1, DEBUG 5, INFO 9, WARN 13, ERROR 17).
 */
public enum LogLevel {
  TRACE(1),
  DEBUG(5),
  INFO(9),
  WARN(13),
  ERROR(17);

  private final int severityNumber;

  LogLevel(int severityNumber) {
    this.severityNumber = severityNumber;
  }

  /** The OpenTelemetry {@code SeverityNumber}. */
  public int severityNumber() {
    return severityNumber;
  }
}
