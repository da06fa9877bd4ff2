package dev.cairn.jfr.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * {@code cairn.Metric}: periodic value of one selected Micrometer meter measurement.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
@Name("cairn.Metric")
@Label("Metric")
@Description("Periodic snapshot of a selected Micrometer meter")
@Category({"Cairn", "Metrics"})
@StackTrace(false)
@Period("10 s")
public final class MetricEvent extends Event {
  @Label("Name")
  public String name;

  @Label("Tags")
  @Description("key=value pairs, comma separated")
  public String tags;

  @Label("Statistic")
  @Description("Micrometer statistic: COUNT, TOTAL, TOTAL_TIME, MAX, VALUE, ...")
  public String statistic;

  @Label("Value")
  public double value;

  @Label("Base Unit")
  public String baseUnit;
}
