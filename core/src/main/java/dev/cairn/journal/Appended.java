package dev.cairn.journal;

/**
 * What {@link Journal#append} returns: where the event landed, or that it was dropped.
 *
 * @param position the event's place in the journal's total order (0, 1, 2, ... without gaps), or
 *     -1 when dropped
 * @param id the event's id (random 64 bits, unique in practice across journals), for
 *     {@link NewEvent.Builder#causedBy}; 0 when dropped
 * @param hlc packed hybrid clock timestamp ({@link Hlc#packed()}); 0 when dropped
 * @param durable whether the record was on stable storage when append returned (policy
 *     {@link FsyncPolicy#always()}); otherwise compare {@link Journal#durablePosition()}
 */
public record Appended(long position, long id, long hlc, boolean durable) {
  static final Appended DROPPED = new Appended(-1, 0, 0, false);

  /** Whether the event was written; false when it was dropped (and counted). */
  public boolean accepted() {
    return position >= 0;
  }

  /** The id as 16 lower-case hex digits, the form the tool prints. */
  public String idHex() {
    return Event.hex(id);
  }
}
