package dev.cairn.propagation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ready getters and setters for map carriers. Getters match names case-insensitively: an exact
 * lookup first (no allocation: propagators ask in lower case, which is what HTTP/2 and most
 * frameworks deliver), then, only on a miss, one scan comparing names ignoring case.
 */
public final class Carriers {
  private Carriers() {}

  /** Getter for a {@code Map<String, String>} (one value per name). */
  public static Getter<Map<String, String>> mapGetter() {
    return MapGetter.INSTANCE;
  }

  /** Setter for a mutable {@code Map<String, String>}. */
  public static Setter<Map<String, String>> mapSetter() {
    return MapSetter.INSTANCE;
  }

  /**
   * Getter for a {@code Map<String, List<String>>} (repeated headers, as servlet containers,
   * {@code java.net.http.HttpHeaders#map()} and Spring's {@code HttpHeaders} hold them); {@link
   * Getter#getAll} sees every value.
   */
  public static Getter<Map<String, List<String>>> multiMapGetter() {
    return MultiMapGetter.INSTANCE;
  }

  /** Setter for a mutable {@code Map<String, List<String>>}: replaces the list of the name. */
  public static Setter<Map<String, List<String>>> multiMapSetter() {
    return MultiMapSetter.INSTANCE;
  }

  static <V> V lookup(Map<String, V> map, String name) {
    V v = map.get(name);
    if (v != null || map.isEmpty()) {
      return v;
    }
    for (Map.Entry<String, V> e : map.entrySet()) {
      String k = e.getKey();
      if (k != null && k.length() == name.length() && k.equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private enum MapGetter implements Getter<Map<String, String>> {
    INSTANCE;

    @Override
    public String get(Map<String, String> carrier, String name) {
      String v = lookup(carrier, name);
      return v == null ? "" : v;
    }
  }

  private enum MapSetter implements Setter<Map<String, String>> {
    INSTANCE;

    @Override
    public void set(Map<String, String> carrier, String name, String value) {
      carrier.put(name, value);
    }
  }

  private enum MultiMapGetter implements Getter<Map<String, List<String>>> {
    INSTANCE;

    @Override
    public String get(Map<String, List<String>> carrier, String name) {
      List<String> v = lookup(carrier, name);
      if (v == null || v.isEmpty()) {
        return "";
      }
      String first = v.get(0);
      return first == null ? "" : first;
    }

    @Override
    public List<String> getAll(Map<String, List<String>> carrier, String name) {
      List<String> v = lookup(carrier, name);
      return v == null ? List.of() : v;
    }
  }

  private enum MultiMapSetter implements Setter<Map<String, List<String>>> {
    INSTANCE;

    @Override
    public void set(Map<String, List<String>> carrier, String name, String value) {
      List<String> l = new ArrayList<>(1);
      l.add(value);
      carrier.put(name, l);
    }
  }
}
