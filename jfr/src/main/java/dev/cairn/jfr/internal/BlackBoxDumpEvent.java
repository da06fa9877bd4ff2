package dev.cairn.jfr.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * {@code cairn.BlackBoxDump}: the black box wrote (or failed to write) a dump.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
@Name("cairn.BlackBoxDump")
@Label("Black Box Dump")
@Description("The black box recording was dumped to a file")
@Category({"Cairn", "Black Box"})
@StackTrace(false)
public final class BlackBoxDumpEvent extends Event {
  @Label("Reason")
  @Description("api, error_log, uncaught_exception or slow_span, with detail")
  public String reason;

  @Label("Path")
  public String path;

  @Label("Size")
  @jdk.jfr.DataAmount
  public long size;

  @Label("Succeeded")
  public boolean succeeded;
}
