package dev.cairn.jfr.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * {@code cairn.JournalAppend}: one event appended to a Cairn journal.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
@Name("cairn.JournalAppend")
@Label("Journal Append")
@Description("An event appended to a Cairn journal: its type, entity key, position and hybrid clock time")
@Category({"Cairn", "Journal"})
@StackTrace(false)
public final class JournalAppendEvent extends Event {
  @Label("Journal")
  public String journal;

  @Label("Event Type")
  public String type;

  @Label("Key")
  @Description("Entity key, empty if none")
  public String key;

  @Label("Position")
  public long position;

  @Label("Bytes")
  @Description("Size of the record on disk")
  public int bytes;

  @Label("HLC")
  @Description("Hybrid logical clock timestamp, physicalMillis.logical")
  public String hlc;

  @Label("Durable")
  @Description("Whether the record was on stable storage when the append returned")
  public boolean durable;
}
