package dev.cairn.jfr.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * {@code cairn.ScopeMisuse}: a scope closed out of order, on another thread, or left open by a
 * task. Rare and a bug in the application, so the stack trace is kept.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
@Name("cairn.ScopeMisuse")
@Label("Scope Misuse")
@Description("A context scope closed out of order, on another thread, or leaked by a task")
@Category({"Cairn", "Context"})
@StackTrace(true)
public final class ScopeMisuseEvent extends Event {
  @Label("Reason")
  @Description("out_of_order, wrong_thread or leaked")
  public String reason;

  @Label("Trace Id")
  @Description("The trace current on this thread when the misuse was seen")
  public String traceId;
}
