package dev.cairn.jfr.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.SettingDefinition;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * {@code cairn.Scope}: a trace context was current on this thread for this window. JDK 17
 * variant; the JDK 25 variant (META-INF/versions/25) adds {@code @Throttle} and {@code
 * @Contextual}.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
@Name("cairn.Scope")
@Label("Context Scope")
@Description("A trace context was current on this thread; joins any JDK event to its request")
@Category({"Cairn", "Context"})
@StackTrace(false)
@Threshold("10 ms")
public final class ScopeEvent extends Event {
  @Label("Trace Id")
  @Description("W3C trace id, 32 hex digits")
  public String traceId;

  @Label("Span Id")
  @Description("16 hex digits")
  public String spanId;

  @Label("Correlation Id")
  @Description("Application correlation id, empty when none")
  public String correlationId;

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
