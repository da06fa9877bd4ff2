package dev.cairn.jfr.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * {@code cairn.SlowSpan}: where a slow span's time went, from JDK events on its thread.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
@Name("cairn.SlowSpan")
@Label("Slow Span Breakdown")
@Description("Time a slow span spent in GC pauses, lock waits, parks, sleeps and I/O")
@Category({"Cairn", "Tracing"})
@StackTrace(false)
public final class SlowSpanEvent extends Event {
  @Label("Trace Id")
  public String traceId;

  @Label("Span Id")
  public String spanId;

  @Label("Name")
  public String name;

  @Label("Span Duration")
  @Timespan
  public long spanDuration;

  @Label("GC Pauses")
  @Timespan
  public long gcPause;

  @Label("Lock Waits")
  @Timespan
  public long lockWait;

  @Label("Parks")
  @Timespan
  public long park;

  @Label("Sleeps")
  @Timespan
  public long sleep;

  @Label("Socket I/O")
  @Timespan
  public long socketIo;

  @Label("File I/O")
  @Timespan
  public long fileIo;

  @Label("Summary")
  @Description("The same breakdown as one line, with the top causes")
  public String summary;
}
