package dev.cairn.jfr.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * {@code cairn.ExportDropped}: telemetry Cairn dropped since the previous period (one event per
 * counter that grew), read from Cairn's drop counters.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
@Name("cairn.ExportDropped")
@Label("Export Dropped")
@Description("Records Cairn dropped, rejected or truncated since the previous period")
@Category({"Cairn", "Export"})
@StackTrace(false)
@Period("1 s")
public final class ExportDroppedEvent extends Event {
  @Label("Counter")
  @Description("The drop counter's meter name, e.g. cairn.export.dropped")
  public String counter;

  @Label("Tags")
  @Description("The counter's tags as key=value pairs, e.g. exporter=otlp,reason=queue_full")
  public String tags;

  @Label("Dropped")
  @Description("Increase since the previous event for this counter")
  public long dropped;

  @Label("Total")
  @Description("Total since the process started")
  public long total;
}
