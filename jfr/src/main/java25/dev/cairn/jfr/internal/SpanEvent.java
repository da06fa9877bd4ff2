package dev.cairn.jfr.internal;

import jdk.jfr.Category;
import jdk.jfr.Contextual;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.SettingDefinition;
import jdk.jfr.StackTrace;
import jdk.jfr.Throttle;
import jdk.jfr.Threshold;

/**
 * JDK 25+ variant (multi-release jar): the JDK's own {@code @Throttle} limits the rate by
 * default, the portable {@code rate} setting stays (off by default) so the same {@code .jfc}
 * works on every JDK, and the ids are {@code @Contextual} so {@code jfr print} shows them
 * on other events of the same thread. Keep the fields identical to the JDK 17 variant.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
@Name("cairn.Span")
@Label("Span")
@Description("A traced operation; JDK events on the same thread inside its window belong to it")
@Category({"Cairn", "Tracing"})
@StackTrace(false)
@Throttle("100/s")
@Threshold("0 ms")
public final class SpanEvent extends Event {
  @Contextual
  @Label("Trace Id")
  @Description("W3C trace id, 32 hex digits")
  public String traceId;

  @Contextual
  @Label("Span Id")
  @Description("16 hex digits")
  public String spanId;

  @Label("Parent Span Id")
  @Description("16 hex digits, empty for a root span")
  public String parentSpanId;

  @Label("Name")
  public String name;

  @Label("Kind")
  @Description("INTERNAL, SERVER, CLIENT, PRODUCER or CONSUMER")
  public String kind;

  @Label("Status")
  @Description("UNSET, OK or ERROR")
  public String status;

  @Label("Sampled")
  @Description("Whether the span was sampled for export; the recording sees every span")
  public boolean sampled;

  // commit() evaluates the settings again after the caller's shouldCommit(): decide once per event
  // so the limit counts events, not evaluations. Transient: never written to the recording.
  private transient byte rateDecision;

  @Name("rate")
  @Label("Rate Limit")
  @Description("At most this many events per time unit, e.g. 100/s, or off")
  @SettingDefinition
  protected boolean rate(RateControl.Unlimited control) {
    if (rateDecision == 0) {
      rateDecision = control.allow() ? (byte) 1 : (byte) 2;
    }
    return rateDecision == 1;
  }
}
