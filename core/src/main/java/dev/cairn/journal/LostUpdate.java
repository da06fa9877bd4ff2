package dev.cairn.journal;

/**
 * Two writers read the same version of an entity and both wrote: the second write was computed from
 * stale state, so the first writer's change was silently overwritten. {@code lost} is the event where
 * the truth broke; {@code first} is the event that got there first.
 *
 * @param key the entity
 * @param readVersion the version the stale writer had read ({@link NewEvent.Builder#expectedVersion}
 *     or the version of a same-key event it names in {@code causedBy})
 * @param actualVersion the entity's version when the stale write landed
 * @param first the event that moved the entity past {@code readVersion}
 * @param lost the stale write
 */
public record LostUpdate(String key, long readVersion, long actualVersion, Event first, Event lost) {}
