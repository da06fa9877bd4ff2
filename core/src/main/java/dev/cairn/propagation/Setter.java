package dev.cairn.propagation;

/**
 * Writes one named field into a carrier, replacing any value already there. Propagators write
 * names in lower case (HTTP/2 requires it and HTTP/1.1 does not care).
 *
 * @param <C> the carrier type
 */
@FunctionalInterface
public interface Setter<C> {
  /** Sets {@code name} to {@code value} in {@code carrier}. */
  void set(C carrier, String name, String value);
}
