package dev.cairn.spring.boot.autoconfigure;

import java.util.List;

/**
 * Boot copies logging settings into system properties when an application starts and leaves them
 * there; tests that start applications with other logging settings clear them so the next
 * application in the same JVM starts from Boot's defaults.
 */
final class BootLoggingProperties {
  private static final List<String> SET_BY_BOOT =
      List.of(
          "CONSOLE_LOG_STRUCTURED_FORMAT",
          "FILE_LOG_STRUCTURED_FORMAT",
          "CONSOLE_LOG_PATTERN",
          "FILE_LOG_PATTERN",
          "LOG_CORRELATION_PATTERN");

  private BootLoggingProperties() {}

  static void clear() {
    SET_BY_BOOT.forEach(System::clearProperty);
  }
}
