package dev.cairn.jfr.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * {@code cairn.ExporterHealth}: periodic snapshot of one exporter's queue and results.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
@Name("cairn.ExporterHealth")
@Label("Exporter Health")
@Description("Periodic snapshot of one exporter: queue, exported, dropped, failed, last error")
@Category({"Cairn", "Export"})
@StackTrace(false)
@Period("10 s")
public final class ExporterHealthEvent extends Event {
  @Label("Signal")
  @Description("spans, logs, metrics, ...")
  public String signal;

  @Label("Exporter")
  public String exporter;

  @Label("Capacity")
  @Description("Queue capacity")
  public int capacity;

  @Label("Queued")
  @Description("Items waiting or in the batch being exported")
  public long queued;

  @Label("Exported")
  @Description("Items the receiver accepted, since start")
  public long exported;

  @Label("Dropped")
  @Description("Items dropped for any reason, since start")
  public long dropped;

  @Label("Failed")
  @Description("Failed export calls, since start")
  public long failed;

  @Label("Last Export Duration")
  @Timespan
  public long lastExportDuration;

  @Label("Last Error")
  @Description("Text of the latest failure, empty when none")
  public String lastError;
}
