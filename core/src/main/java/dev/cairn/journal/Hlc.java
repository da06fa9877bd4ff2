package dev.cairn.journal;

import java.util.Objects;
import java.util.Optional;

/**
 * A hybrid logical clock timestamp: wall-clock milliseconds, a logical counter that orders events
 * within one millisecond (or while the wall clock stands still or goes back), and the id of the node
 * that issued it.
 *
 * <p>Ordering is by physical time, then logical counter, then node id, so timestamps from different
 * nodes form one total order that respects causality: an event caused by another (directly, or via a
 * timestamp received in a {@link HybridClock#HEADER header}) always sorts after it.
 *
 * <p>Text form (the header value): {@code <physicalMillis>.<logical>@<nodeId>}, for example
 * {@code 1764309712345.3@orders-1}; decimal numbers, the node id as in {@link #isValidNodeId}.
 */
public final class Hlc implements Comparable<Hlc> {
  /** Largest logical counter; beyond it the clock advances the physical part by one millisecond. */
  public static final int MAX_LOGICAL = 0xFFFF;

  /** Longest node id, in characters. */
  public static final int MAX_NODE_ID_LENGTH = 64;

  private final long physicalMillis;
  private final int logical;
  private final String nodeId;

  private Hlc(long physicalMillis, int logical, String nodeId) {
    this.physicalMillis = physicalMillis;
    this.logical = logical;
    this.nodeId = nodeId;
  }

  /**
   * A timestamp from its parts.
   *
   * @throws IllegalArgumentException if a part is out of range or the node id is invalid
   */
  public static Hlc of(long physicalMillis, int logical, String nodeId) {
    if (physicalMillis < 0 || physicalMillis > HybridClock.MAX_PHYSICAL) {
      throw new IllegalArgumentException("physicalMillis out of range: " + physicalMillis);
    }
    if (logical < 0 || logical > MAX_LOGICAL) {
      throw new IllegalArgumentException("logical out of range [0, 65535]: " + logical);
    }
    if (!isValidNodeId(nodeId)) {
      throw new IllegalArgumentException(
          "node id must be 1-64 characters of [A-Za-z0-9._:-], got: " + nodeId);
    }
    return new Hlc(physicalMillis, logical, nodeId);
  }

  static Hlc unchecked(long physicalMillis, int logical, String nodeId) {
    return new Hlc(physicalMillis, logical, nodeId);
  }

  /**
   * Parses the text form {@code <physicalMillis>.<logical>@<nodeId>}. Returns empty for anything
   * malformed (never throws): a header from another service is untrusted input.
   */
  public static Optional<Hlc> parse(CharSequence text) {
    if (text == null) {
      return Optional.empty();
    }
    int n = text.length();
    if (n == 0 || n > 20 + 1 + 5 + 1 + MAX_NODE_ID_LENGTH) {
      return Optional.empty();
    }
    int i = 0;
    long physical = 0;
    int digits = 0;
    while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      if (++digits > 15) {
        return Optional.empty(); // more than fits MAX_PHYSICAL
      }
      physical = physical * 10 + (text.charAt(i) - '0');
      i++;
    }
    if (digits == 0 || i >= n || text.charAt(i) != '.') {
      return Optional.empty();
    }
    i++;
    int logical = 0;
    digits = 0;
    while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      if (++digits > 5) {
        return Optional.empty();
      }
      logical = logical * 10 + (text.charAt(i) - '0');
      i++;
    }
    if (digits == 0 || i >= n || text.charAt(i) != '@') {
      return Optional.empty();
    }
    String node = text.subSequence(i + 1, n).toString();
    if (physical > HybridClock.MAX_PHYSICAL || logical > MAX_LOGICAL || !isValidNodeId(node)) {
      return Optional.empty();
    }
    return Optional.of(new Hlc(physical, logical, node));
  }

  /** Whether {@code id} is 1 to 64 characters of {@code A-Z a-z 0-9 . _ : -}. */
  public static boolean isValidNodeId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_NODE_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Wall-clock part, milliseconds since the epoch (as the issuing node's clock saw it, or later). */
  public long physicalMillis() {
    return physicalMillis;
  }

  /** Logical counter within {@link #physicalMillis()}, 0 to {@link #MAX_LOGICAL}. */
  public int logical() {
    return logical;
  }

  /** The node that issued this timestamp. */
  public String nodeId() {
    return nodeId;
  }

  /** Physical and logical parts packed into one long ({@code physical << 16 | logical}). */
  public long packed() {
    return (physicalMillis << 16) | logical;
  }

  @Override
  public int compareTo(Hlc o) {
    int c = Long.compare(packed(), o.packed());
    return c != 0 ? c : nodeId.compareTo(o.nodeId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hlc
        && ((Hlc) o).physicalMillis == physicalMillis
        && ((Hlc) o).logical == logical
        && ((Hlc) o).nodeId.equals(nodeId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(physicalMillis, logical, nodeId);
  }

  /** The text form, {@code <physicalMillis>.<logical>@<nodeId>}. */
  @Override
  public String toString() {
    return physicalMillis + "." + logical + "@" + nodeId;
  }
}
