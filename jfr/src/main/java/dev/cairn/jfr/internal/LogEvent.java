package dev.cairn.jfr.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.SettingDefinition;
import jdk.jfr.StackTrace;

/**
 * {@code cairn.Log}: a log line at or above the configured minimum level. JDK 17 variant; the JDK
 * 25 variant adds {@code @Throttle}.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
@Name("cairn.Log")
@Label("Log")
@Description("A log event at or above Cairn's minimum JFR level (WARN by default)")
@Category({"Cairn", "Logging"})
@StackTrace(false)
public final class LogEvent extends Event {
  @Label("Level")
  public String level;

  @Label("Logger")
  public String logger;

  @Label("Message")
  @Description("The formatted message, truncated to 1024 characters")
  public String message;

  @Label("Trace Id")
  public String traceId;

  @Label("Span Id")
  public String spanId;

  @Label("Exception Type")
  @Description("Class name of the attached throwable, empty when none")
  public String exceptionType;

  // commit() evaluates the settings again after the caller's shouldCommit(): decide once per event
  // so the limit counts events, not evaluations. Transient: never written to the recording.
  private transient byte rateDecision;

  @Name("rate")
  @Label("Rate Limit")
  @Description("At most this many events per time unit, e.g. 100/s, or off")
  @SettingDefinition
  protected boolean rate(RateControl control) {
    if (rateDecision == 0) {
      rateDecision = control.allow() ? (byte) 1 : (byte) 2;
    }
    return rateDecision == 1;
  }
}
