package dev.cairn.journal;

/**
 * A damaged region found while reading or recovering a journal. Corruption is always reported, never
 * skipped silently: the reader continues after it only at the next record whose frame and checksum
 * are valid.
 *
 * @param segment the segment file name
 * @param offset byte offset of the damaged region in that file
 * @param length bytes skipped until the next valid record (or to the end of the file)
 * @param reason what was wrong, e.g. "crc mismatch"
 */
public record Corruption(String segment, long offset, long length, String reason) {}
