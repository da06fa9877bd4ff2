package dev.cairn.journal;

import dev.cairn.context.Baggage;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.propagation.Getter;
import dev.cairn.propagation.Setter;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni et al., 2014) for one node: timestamps that stay close to the wall
 * clock, never go backwards on this node even when the wall clock does (NTP step, VM migration), and
 * advance past any timestamp received from another node, so causality survives crossing services.
 *
 * <p>Across services the clock travels in the {@value #HEADER} header (or the {@value #BAGGAGE_KEY}
 * baggage entry) in the text form of {@link Hlc}: the sender puts {@link #sendHeader()}, the receiver
 * calls {@link #receive(CharSequence)}. A remote timestamp more than {@link #maxDriftMillis()} ahead of
 * the local wall clock is refused and counted ({@code cairn.journal.hlc.rejected{reason=drift}}), so
 * one node with a broken clock cannot drag every other node into the future; malformed values are
 * counted with {@code reason=malformed}.
 *
 * <p>Thread-safe and lock-free: the state is one packed long updated by compare-and-set.
 */
public final class HybridClock {
  /** Propagation header that carries a timestamp between services. */
  public static final String HEADER = "cairn-hlc";

  /** Baggage entry name that carries the same value when headers cannot be added. */
  public static final String BAGGAGE_KEY = "cairn.hlc";

  /** Largest physical part (48 bits of milliseconds: year 10889). */
  static final long MAX_PHYSICAL = (1L << 47) - 1;

  private static final long DEFAULT_MAX_DRIFT_MILLIS = 60_000;

  private static final SelfCounter REJECTED_MALFORMED =
      SelfCounters.GLOBAL.counter(
          "cairn.journal.hlc.rejected",
          "Remote hybrid clock values refused by the local clock",
          "values",
          "reason",
          "malformed");
  private static final SelfCounter REJECTED_DRIFT =
      SelfCounters.GLOBAL.counter(
          "cairn.journal.hlc.rejected",
          "Remote hybrid clock values refused by the local clock",
          "values",
          "reason",
          "drift");

  private final String nodeId;
  private final LongSupplier wallClock;
  private final long maxDriftMillis;
  private final AtomicLong state = new AtomicLong(); // physical << 16 | logical

  private HybridClock(String nodeId, LongSupplier wallClock, long maxDriftMillis) {
    this.nodeId = nodeId;
    this.wallClock = wallClock;
    this.maxDriftMillis = maxDriftMillis;
  }

  /** A clock for {@code nodeId} on {@link System#currentTimeMillis()}. */
  public static HybridClock create(String nodeId) {
    return create(nodeId, System::currentTimeMillis, DEFAULT_MAX_DRIFT_MILLIS);
  }

  /**
   * A clock for {@code nodeId} reading {@code wallClock} (milliseconds since the epoch) that refuses
   * remote timestamps more than {@code maxDriftMillis} ahead of it.
   *
   * @throws IllegalArgumentException if the node id is invalid or the drift is not positive
   */
  public static HybridClock create(String nodeId, LongSupplier wallClock, long maxDriftMillis) {
    if (!Hlc.isValidNodeId(nodeId)) {
      throw new IllegalArgumentException(
          "node id must be 1-64 characters of [A-Za-z0-9._:-], got: " + nodeId);
    }
    if (wallClock == null) {
      throw new IllegalArgumentException("wallClock must not be null");
    }
    if (maxDriftMillis <= 0) {
      throw new IllegalArgumentException("maxDriftMillis must be positive: " + maxDriftMillis);
    }
    return new HybridClock(nodeId, wallClock, maxDriftMillis);
  }

  /** This clock's node id. */
  public String nodeId() {
    return nodeId;
  }

  /** How far ahead of the local wall clock a remote timestamp may be before it is refused. */
  public long maxDriftMillis() {
    return maxDriftMillis;
  }

  /** A timestamp for a local or send event: strictly greater than every one issued before. */
  public Hlc now() {
    long packed = tickPacked();
    return Hlc.unchecked(packed >>> 16, (int) (packed & 0xFFFF), nodeId);
  }

  /** {@link #now()} in its text form, to put in the {@value #HEADER} header of an outgoing call. */
  public String sendHeader() {
    return now().toString();
  }

  /** Ticks and returns the packed value; the journal stores it without allocating an {@link Hlc}. */
  long tickPacked() {
    while (true) {
      long prev = state.get();
      long wall = clampWall(wallClock.getAsLong());
      long prevPhysical = prev >>> 16;
      long next;
      if (wall > prevPhysical) {
        next = wall << 16;
      } else {
        next = prev + 1; // logical overflow carries into the physical part: still monotonic
      }
      if (state.compareAndSet(prev, next)) {
        return next;
      }
    }
  }

  /**
   * Merges a timestamp received from another node (the value of the {@value #HEADER} header). After
   * this, every timestamp this clock issues is greater than {@code remote}. Never throws.
   *
   * @return whether the value was accepted (false when malformed or too far ahead; counted)
   */
  public boolean receive(CharSequence headerValue) {
    Optional<Hlc> parsed = Hlc.parse(headerValue);
    if (parsed.isEmpty()) {
      REJECTED_MALFORMED.increment();
      return false;
    }
    return receive(parsed.get());
  }

  /**
   * Puts {@link #sendHeader()} into an outgoing carrier (HTTP request, message headers) under
   * {@value #HEADER}. Never throws; a setter that throws is contained.
   */
  public <C> void inject(C carrier, Setter<C> setter) {
    try {
      setter.set(carrier, HEADER, sendHeader());
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
    }
  }

  /**
   * Merges the {@value #HEADER} field of an incoming carrier, if present. Never throws.
   *
   * @return whether a timestamp was present and accepted
   */
  public <C> boolean extract(C carrier, Getter<C> getter) {
    String value;
    try {
      value = getter.get(carrier, HEADER);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      return false;
    }
    return value != null && !value.isEmpty() && receive(value);
  }

  /** {@code baggage} with the {@value #BAGGAGE_KEY} entry set to {@link #sendHeader()}. */
  public Baggage inject(Baggage baggage) {
    return baggage.with(BAGGAGE_KEY, sendHeader());
  }

  /**
   * Merges the {@value #BAGGAGE_KEY} entry of {@code baggage}, if present. Never throws.
   *
   * @return whether a timestamp was present and accepted
   */
  public boolean extract(Baggage baggage) {
    Optional<String> value = baggage.get(BAGGAGE_KEY);
    return value.isPresent() && receive(value.get());
  }

  /** Merges a remote timestamp; see {@link #receive(CharSequence)}. Never throws. */
  public boolean receive(Hlc remote) {
    if (remote == null) {
      REJECTED_MALFORMED.increment();
      return false;
    }
    long wall = clampWall(wallClock.getAsLong());
    if (remote.physicalMillis() - wall > maxDriftMillis) {
      REJECTED_DRIFT.increment();
      return false;
    }
    long remotePacked = remote.packed();
    while (true) {
      long prev = state.get();
      // The merged state is the largest of the three; the next tick() then adds one, which is the
      // classic receive rule (l = max(l', l_m, pt); c = matching counters + 1) split in two steps.
      long next = Math.max(prev, remotePacked);
      if (next == prev || state.compareAndSet(prev, next)) {
        return true;
      }
    }
  }

  /** The latest timestamp issued or merged, without advancing the clock. */
  public Hlc peek() {
    long packed = state.get();
    return Hlc.unchecked(packed >>> 16, (int) (packed & 0xFFFF), nodeId);
  }

  /** Makes the clock start at least at {@code packed} (a journal reopening after a restart). */
  void advanceTo(long packed) {
    state.accumulateAndGet(packed, Math::max);
  }

  private static long clampWall(long wall) {
    return wall < 0 ? 0 : Math.min(wall, MAX_PHYSICAL);
  }
}
