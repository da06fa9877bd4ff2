package dev.cairn.jfr;

import dev.cairn.internal.Fatal;
import dev.cairn.jfr.internal.JournalAppendEvent;
import dev.cairn.journal.AppendListener;

/**
 * Journal appends as JFR events ({@code cairn.JournalAppend}), so a recording shows the domain
 * events next to GC pauses, lock waits and I/O:
 *
 * <pre>{@code
 * Journal journal = Journal.builder(dir).listener(JournalJfr.appendListener()).build();
 * }</pre>
 *
 * When no recording has the event enabled the listener costs one check and allocates nothing
 * observable; the HLC text is built only for events that will be committed.
 */
public final class JournalJfr {
  private JournalJfr() {}

  /** A listener that commits a {@code cairn.JournalAppend} event per append. */
  public static AppendListener appendListener() {
    return JournalAppendListener.INSTANCE;
  }

  private enum JournalAppendListener implements AppendListener {
    INSTANCE;

    @Override
    public void onAppend(
        String journal, String type, String key, long position, int bytes, long hlc, boolean durable) {
      try {
        JournalAppendEvent e = new JournalAppendEvent();
        if (!e.shouldCommit()) {
          return;
        }
        e.journal = journal;
        e.type = type;
        e.key = key;
        e.position = position;
        e.bytes = bytes;
        e.hlc = (hlc >>> 16) + "." + (hlc & 0xFFFF);
        e.durable = durable;
        e.commit();
      } catch (Throwable t) {
        Fatal.rethrowIfFatal(t);
        // A failing JFR commit must not turn into a failed append.
      }
    }
  }
}
