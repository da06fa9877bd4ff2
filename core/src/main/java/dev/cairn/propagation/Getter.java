package dev.cairn.propagation;

import java.util.List;

/**
 * Reads named fields (HTTP headers, message headers, map entries) from a carrier. Names are given
 * in lower case; a getter for a carrier whose names may arrive in another case (HTTP/1.1 headers)
 * should match them case-insensitively, as {@link Carriers} does.
 *
 * <p>A getter may throw or return {@code null}: Cairn contains both and treats the field as absent.
 *
 * @param <C> the carrier type
 */
@FunctionalInterface
public interface Getter<C> {
  /**
   * The first value of the field, or the empty string when absent ({@code null} is tolerated and
   * means absent too).
   */
  String get(C carrier, String name);

  /**
   * Every value of a field that may be repeated (two {@code traceparent} headers, several {@code
   * tracestate} headers), in arrival order. The default sees one value, through {@link #get}; a
   * getter for a multi-valued carrier should override it so repeated fields are visible.
   */
  default List<String> getAll(C carrier, String name) {
    String v = get(carrier, name);
    return v == null || v.isEmpty() ? List.of() : List.of(v);
  }
}
