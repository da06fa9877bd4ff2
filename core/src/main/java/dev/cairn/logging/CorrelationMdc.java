package dev.cairn.logging;

import java.util.Objects;

/**
 * The process-wide MDC bridge: while a {@link dev.cairn.context.TraceContext} is current, SLF4J's
 * MDC holds its ids under the keys of the installed {@link MdcSettings}.
 *
 * <p>Install the settings once at start-up, before scopes are opened; a scope always restores the
 * keys it wrote, even if the settings change while it is open.
 */
public final class CorrelationMdc {
  private static volatile MdcSettings settings = MdcSettings.defaults();

  private CorrelationMdc() {}

  /** Replaces the process-wide settings. */
  public static void install(MdcSettings newSettings) {
    settings = Objects.requireNonNull(newSettings, "settings");
  }

  /** The settings in force. */
  public static MdcSettings settings() {
    return settings;
  }
}
