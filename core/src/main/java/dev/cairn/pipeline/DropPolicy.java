package dev.cairn.pipeline;

/** What an exporter queue does when it is full. Either way the drop is counted. */
public enum DropPolicy {
  /** Refuse the new item (the default: cheapest, and keeps the start of an incident). */
  DROP_NEWEST,
  /** Evict the oldest queued item to make room (keeps the most recent data). */
  DROP_OLDEST
}
