/**
 * The event journal: an append-only, crash-safe log of domain events with hybrid logical clock
 * timestamps, trace correlation and causal links ({@link dev.cairn.journal.Journal}), readable
 * offline ({@link dev.cairn.journal.JournalReader}) and replayable to rebuild state or find lost
 * updates ({@link dev.cairn.journal.Replay}). The file format is documented in docs/journal.md.
 */
package dev.cairn.journal;
