package dev.cairn.journal;

import java.time.Duration;

/**
 * When the journal asks the operating system to put appended records on stable storage
 * ({@code FileChannel.force}). Every append is written to the file (the OS page cache) before
 * {@link Journal#append} returns, so a crashed or killed <em>process</em> loses nothing under any
 * policy; the policy decides what survives a crashed <em>machine</em> (power loss, kernel panic).
 *
 * <table>
 *   <caption>Policies and their SQLite {@code synchronous} equivalents</caption>
 *   <tr><th>policy</th><th>like SQLite</th><th>machine crash may lose</th><th>append cost</th></tr>
 *   <tr><td>{@link #always()}</td><td>FULL</td><td>nothing acknowledged</td>
 *       <td>one fsync (shared by concurrent appenders: group commit)</td></tr>
 *   <tr><td>{@link #every(Duration)}</td><td>NORMAL</td><td>at most the last interval</td>
 *       <td>a write; a background thread syncs</td></tr>
 *   <tr><td>{@link #never()}</td><td>OFF</td><td>whatever the OS had not written back</td>
 *       <td>a write</td></tr>
 * </table>
 */
public final class FsyncPolicy {
  enum Kind {
    ALWAYS,
    INTERVAL,
    NEVER
  }

  private static final FsyncPolicy ALWAYS = new FsyncPolicy(Kind.ALWAYS, 0);
  private static final FsyncPolicy NEVER = new FsyncPolicy(Kind.NEVER, 0);

  private final Kind kind;
  private final long intervalMillis;

  private FsyncPolicy(Kind kind, long intervalMillis) {
    this.kind = kind;
    this.intervalMillis = intervalMillis;
  }

  /** Sync before each append returns; an acknowledged record survives power loss. */
  public static FsyncPolicy always() {
    return ALWAYS;
  }

  /**
   * Sync in the background every {@code interval}; {@link Journal#durablePosition()} says what is
   * on stable storage.
   *
   * @throws IllegalArgumentException if the interval is shorter than 1 ms
   */
  public static FsyncPolicy every(Duration interval) {
    if (interval == null || interval.toMillis() < 1) {
      throw new IllegalArgumentException("fsync interval must be at least 1 ms: " + interval);
    }
    return new FsyncPolicy(Kind.INTERVAL, interval.toMillis());
  }

  /** Never sync (except on an explicit {@link Journal#sync()}); the OS writes back when it likes. */
  public static FsyncPolicy never() {
    return NEVER;
  }

  /**
   * Parses {@code always}, {@code never} or an interval such as {@code 100ms}, {@code 1s}.
   *
   * @throws IllegalArgumentException with the accepted forms when the text is none of them
   */
  public static FsyncPolicy parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.equals("always")) {
      return ALWAYS;
    }
    if (t.equals("never")) {
      return NEVER;
    }
    try {
      if (t.endsWith("ms")) {
        return every(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))));
      }
      if (t.endsWith("s")) {
        return every(Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1))));
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "fsync policy must be 'always', 'never' or an interval like '100ms' or '1s', got: " + text);
  }

  Kind kind() {
    return kind;
  }

  /** The interval of {@link #every(Duration)}; zero for the other policies. */
  public Duration interval() {
    return Duration.ofMillis(intervalMillis);
  }

  @Override
  public String toString() {
    return kind == Kind.INTERVAL ? intervalMillis + "ms" : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
