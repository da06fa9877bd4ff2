package dev.cairn.journal;

/**
 * Told about each event after it is written, on the appending thread. Must be cheap and must not
 * append to the same journal; what it throws is contained and counted.
 */
@FunctionalInterface
public interface AppendListener {
  /** A listener that does nothing. */
  AppendListener NONE = (journal, type, key, position, bytes, hlc, durable) -> {};

  /**
   * @param journal the journal's name
   * @param type the event type
   * @param key the entity key, or empty
   * @param position the event's position
   * @param bytes the record's size on disk
   * @param hlc the packed HLC timestamp ({@link Hlc#packed()})
   * @param durable whether it was on stable storage when append returned
   */
  void onAppend(
      String journal, String type, String key, long position, int bytes, long hlc, boolean durable);
}
