package dev.cairn.journal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Rebuilds state from a journal, and finds where the truth was lost.
 *
 * <pre>{@code
 * Replay.Result<Long> r = Replay.of(0L, (balance, e) -> balance + amount(e))
 *     .from(snapshot)                 // optional: start from saved state
 *     .upToPosition(41)               // or upTo(hlc), or until(predicate)
 *     .run(journal.read(snapshot.nextPosition()));
 * }</pre>
 *
 * @param <S> the state type
 */
public final class Replay<S> {
  private final S initial;
  private final Reducer<S> reducer;
  private long startPosition;
  private long lastPosition = Long.MAX_VALUE;
  private long lastHlc = Long.MAX_VALUE;
  private Predicate<Event> until;
  private Predicate<Event> filter = e -> true;

  private Replay(S initial, Reducer<S> reducer) {
    this.initial = initial;
    this.reducer = Objects.requireNonNull(reducer, "reducer");
  }

  /** A replay that folds events with {@code reducer}, starting from {@code initial}. */
  public static <S> Replay<S> of(S initial, Reducer<S> reducer) {
    return new Replay<>(initial, reducer);
  }

  /** Starts from a snapshot: its state, skipping events before its position. */
  public Replay<S> from(Snapshot<S> snapshot) {
    Replay<S> r = copy(snapshot.state());
    r.startPosition = snapshot.nextPosition();
    return r;
  }

  /** Folds events up to and including {@code position}. */
  public Replay<S> upToPosition(long position) {
    Replay<S> r = copy(initial);
    r.lastPosition = position;
    return r;
  }

  /** Folds events whose HLC is at or before {@code hlc}. */
  public Replay<S> upTo(Hlc hlc) {
    Replay<S> r = copy(initial);
    r.lastHlc = hlc.packed();
    return r;
  }

  /** Folds events up to and including the first one that satisfies {@code stop}. */
  public Replay<S> until(Predicate<Event> stop) {
    Replay<S> r = copy(initial);
    r.until = stop;
    return r;
  }

  /** Folds only events that satisfy {@code include} (for example one entity's key). */
  public Replay<S> filter(Predicate<Event> include) {
    Replay<S> r = copy(initial);
    r.filter = include;
    return r;
  }

  private Replay<S> copy(S state) {
    Replay<S> r = new Replay<>(state, reducer);
    r.startPosition = startPosition;
    r.lastPosition = lastPosition;
    r.lastHlc = lastHlc;
    r.until = until;
    r.filter = filter;
    return r;
  }

  /**
   * Folds the events of {@code events} (closing it) and returns the state with where it stopped.
   * Damage met on the way is in {@link Result#corruptions()}: never skipped silently.
   */
  public Result<S> run(EventIterator events) {
    S state = initial;
    long applied = 0;
    long last = startPosition - 1;
    Event stoppedAt = null;
    try (events) {
      while (events.hasNext()) {
        Event e = events.next();
        if (e.position() < startPosition) {
          continue;
        }
        if (e.position() > lastPosition || e.hlc().packed() > lastHlc) {
          break;
        }
        if (!filter.test(e)) {
          continue;
        }
        state = reducer.apply(state, e);
        applied++;
        last = e.position();
        if (until != null && until.test(e)) {
          stoppedAt = e;
          break;
        }
      }
      return new Result<>(state, last, applied, Optional.ofNullable(stoppedAt), events.corruptions());
    }
  }

  /**
   * Replays and compares with the state the application recorded along the way: after each event,
   * {@code recorded} may return what the application believed the state was at that point (for
   * example a balance it stored with the event); the first event where that differs ({@code
   * equals}) from the rebuilt state is where the truth was lost.
   */
  public Optional<Divergence<S>> firstDivergence(EventIterator events, Function<Event, Optional<S>> recorded) {
    S state = initial;
    try (events) {
      while (events.hasNext()) {
        Event e = events.next();
        if (e.position() < startPosition) {
          continue;
        }
        if (e.position() > lastPosition || e.hlc().packed() > lastHlc) {
          break;
        }
        if (!filter.test(e)) {
          continue;
        }
        state = reducer.apply(state, e);
        Optional<S> belief = recorded.apply(e);
        if (belief.isPresent() && !Objects.equals(belief.get(), state)) {
          return Optional.of(new Divergence<>(e, belief.get(), state));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Finds lost updates: an event whose writer had read version {@code v} of its entity (declared
   * with {@link NewEvent.Builder#expectedVersion}, or implied by naming in {@code causedBy} the
   * same-key event that produced version {@code v}) but landed when the entity was already past
   * {@code v}. An entity's version is the number of events with its key so far. Closes {@code
   * events}.
   */
  public static List<LostUpdate> lostUpdates(EventIterator events) {
    List<LostUpdate> found = new ArrayList<>();
    Map<String, List<Event>> history = new HashMap<>();
    Map<Long, Long> versionById = new HashMap<>();
    try (events) {
      while (events.hasNext()) {
        Event e = events.next();
        if (e.key().isEmpty()) {
          continue;
        }
        List<Event> h = history.computeIfAbsent(e.key(), k -> new ArrayList<>());
        long current = h.size();
        long read = readVersion(e, versionById);
        if (read >= 0 && read < current) {
          found.add(new LostUpdate(e.key(), read, current, h.get((int) read), e));
        }
        h.add(e);
        versionById.put(e.id(), current + 1);
      }
    }
    return Collections.unmodifiableList(found);
  }

  private static long readVersion(Event e, Map<Long, Long> versionById) {
    if (e.expectedVersion() >= 0) {
      return e.expectedVersion();
    }
    long read = -1;
    for (long cause : e.causedBy()) {
      Long v = versionById.get(cause);
      if (v != null) {
        read = Math.max(read, v);
      }
    }
    return read;
  }

  /**
   * What a replay produced.
   *
   * @param state the rebuilt state
   * @param lastPosition position of the last event folded (one before the start if none)
   * @param events how many events were folded
   * @param stoppedAt the event that satisfied {@link #until}, if the replay stopped there
   * @param corruptions damage met while reading
   * @param <S> the state type
   */
  public record Result<S>(
      S state, long lastPosition, long events, Optional<Event> stoppedAt, List<Corruption> corruptions) {
    public Result {
      corruptions = List.copyOf(corruptions);
    }
  }
}
