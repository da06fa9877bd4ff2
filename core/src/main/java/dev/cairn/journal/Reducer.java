package dev.cairn.journal;

/**
 * Folds one event into the state rebuilt so far. Pure functions make replay repeatable; a reducer
 * may return the same (mutated) object or a new one.
 *
 * @param <S> the state type
 */
@FunctionalInterface
public interface Reducer<S> {
  S apply(S state, Event event);
}
