package dev.cairn.jfr.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * {@code cairn.ExporterHealth}: periodic snapshot of one of Cairn's health counters (export,
 * pipeline, scope misuse, self-reports).
 *
 * <p>Internal API: unsupported, may change without notice.
 */
@Name("cairn.ExporterHealth")
@Label("Exporter Health")
@Description("Periodic snapshot of Cairn's own health counters")
@Category({"Cairn", "Export"})
@StackTrace(false)
@Period("10 s")
public final class ExporterHealthEvent extends Event {
  @Label("Counter")
  public String counter;

  @Label("Tags")
  @Description("key=value pairs, comma separated")
  public String tags;

  @Label("Value")
  @Description("Total since the process started")
  public long value;
}
