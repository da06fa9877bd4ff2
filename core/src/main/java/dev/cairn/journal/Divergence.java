package dev.cairn.journal;

/**
 * The first event after which the state rebuilt by replay differs from the state the application
 * recorded for that point.
 *
 * @param event the event where recorded and rebuilt state part ways
 * @param recorded what the application recorded
 * @param rebuilt what replay computes from the journal
 * @param <S> the state type
 */
public record Divergence<S>(Event event, S recorded, S rebuilt) {}
