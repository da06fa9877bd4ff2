package dev.cairn.journal;

/**
 * A snapshot of a journal's health.
 *
 * @param appended events written since the journal was opened
 * @param dropped appends refused and counted (closed, too large, encode failure, I/O error)
 * @param nextPosition position the next event will get
 * @param durablePosition highest position known to be on stable storage, or -1
 * @param segments segment files in the journal directory
 * @param bytes total bytes of those files
 * @param truncatedBytes bytes of a torn tail removed by recovery when the journal was opened
 * @param corruptions damaged regions found by recovery (each also reported)
 * @param failing whether the journal is currently unable to write (disk full, read-only)
 */
public record JournalStats(
    long appended,
    long dropped,
    long nextPosition,
    long durablePosition,
    int segments,
    long bytes,
    long truncatedBytes,
    int corruptions,
    boolean failing) {}
