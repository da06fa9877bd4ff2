package dev.cairn.propagation;

import dev.cairn.propagation.OtelFuzzAgreementTest.View;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where OpenTelemetry departs from the specification text and Cairn follows the text. Each method
 * names the deviation an input shows, or returns null when the difference is unexplained. The
 * labels are the rows of the deviations table in docs/propagation.md.
 */
final class Deviations {
  private Deviations() {}

  interface TraceClassifier {
    String classify(Map<String, String> h, View cairn, View otel);
  }

  static boolean sameIds(View c, View o) {
    return c.accepted() && o.accepted()
        && c.traceId().equals(o.traceId())
        && c.spanId().equals(o.spanId())
        && c.sampled() == o.sampled();
  }

  // ---- W3C Trace Context ----

  static String w3c(Map<String, String> h, View c, View o) {
    if (sameIds(c, o) && o.state().isEmpty() && !c.state().isEmpty()) {
      return tracestateFeature(h.getOrDefault("tracestate", ""));
    }
    return null;
  }

  /** The feature of a tracestate value that OpenTelemetry refuses but the spec allows. */
  static String tracestateFeature(String ts) {
    String[] members = ts.split(",", -1);
    Set<String> keys = new HashSet<>();
    String found = null;
    for (String m : members) {
      String t = m.strip();
      if (t.isEmpty()) {
        found = found == null ? "tracestate-empty-member" : found;
        continue;
      }
      if (!t.equals(m) && found == null) {
        found = "tracestate-ows";
      }
      int eq = t.indexOf('=');
      String key = eq < 0 ? t : t.substring(0, eq);
      if (!keys.add(key) && found == null) {
        found = "tracestate-duplicate-key";
      }
      if (!isLevel1Key(key) && dev.cairn.context.TraceState.isValidKey(key) && found == null) {
        found = "tracestate-level2-key-grammar";
      }
    }
    return found;
  }

  /**
   * Level 1 key grammar (what OpenTelemetry checks): {@code lcalpha 0*255(keychar)}, or {@code
   * tenant@system} with a tenant of 1–241 and a system of 1–14 characters, the system starting with
   * a letter.
   */
  static boolean isLevel1Key(String key) {
    int at = key.indexOf('@');
    if (at < 0) {
      return key.length() >= 1 && key.length() <= 256 && isLc(key.charAt(0)) && keyChars(key, 1, key.length());
    }
    String tenant = key.substring(0, at);
    String system = key.substring(at + 1);
    return tenant.length() >= 1 && tenant.length() <= 241
        && (isLc(tenant.charAt(0)) || Character.isDigit(tenant.charAt(0))) && keyChars(tenant, 1, tenant.length())
        && system.length() >= 1 && system.length() <= 14 && isLc(system.charAt(0)) && keyChars(system, 1, system.length());
  }

  private static boolean isLc(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean keyChars(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(isLc(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '*' || c == '/')) {
        return false;
      }
    }
    return true;
  }

  // ---- B3 ----

  static String b3Single(Map<String, String> h, View c, View o) {
    String b3 = h.getOrDefault("b3", "");
    if (!c.accepted() && o.accepted() && b3.endsWith("-")) {
      return "b3-single-trailing-empty-field";
    }
    String[] parts = b3.split("-", -1);
    if (c.accepted() && o.accepted() && c.sampled() != o.sampled() && parts.length >= 3
        && !parts[2].equals("0") && !parts[2].equals("1") && !parts[2].equals("d")) {
      return "b3-sampling-outside-spec";
    }
    return null;
  }

  static String b3Multi(Map<String, String> h, View c, View o) {
    String s = h.getOrDefault("x-b3-sampled", "");
    if (c.accepted() && o.accepted() && c.sampled() != o.sampled() && !s.equals("0") && !s.equals("1")) {
      return "b3-sampling-outside-spec";
    }
    return null;
  }

  static boolean isLowerHex16(String s) {
    return s.length() == 16 && s.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'));
  }

  // ---- W3C Baggage ----

  static String baggage(Map<String, String> h, Map<String, String> c, Map<String, String> o) {
    String b = h.getOrDefault("baggage", "");
    if (o.isEmpty() && !c.isEmpty() && hasBadPercent(b)) {
      return "baggage-bad-escape-drops-everything";
    }
    if (b.length() > 8192) {
      return "baggage-over-8192-bytes";
    }
    Set<String> differing = new HashSet<>();
    for (String k : c.keySet()) {
      if (!c.get(k).equals(o.get(k))) {
        differing.add(k);
      }
    }
    for (String k : o.keySet()) {
      if (!o.get(k).equals(c.get(k))) {
        differing.add(k);
      }
    }
    String label = null;
    for (String k : differing) {
      String l = memberFeature(b, k);
      if (l == null) {
        return null;
      }
      label = label == null ? l : label;
    }
    return label;
  }

  /** Why the raw members of key {@code k} read differently; null when nothing explains it. */
  static String memberFeature(String header, String k) {
    String found = null;
    for (String raw : header.split(",", -1)) {
      String m = raw.transform(Deviations::ows);
      int eq = m.indexOf('=');
      String key = (eq < 0 ? m : m.substring(0, eq)).transform(Deviations::ows);
      if (!key.equals(k) && !(k.length() > 0 && m.contains(k) && (eq < 0 || !isToken(key)))) {
        continue;
      }
      if (eq < 0 || !isToken(key)) {
        return "baggage-invalid-key";
      }
      String rest = m.substring(eq + 1);
      int semi = rest.indexOf(';');
      String value = (semi < 0 ? rest : rest.substring(0, semi)).transform(Deviations::ows);
      String props = semi < 0 ? "" : rest.substring(semi + 1);
      if (hasBadPercent(value)) {
        return "baggage-bad-escape";
      }
      if (semi >= 0 && !validProperties(props)) {
        return "baggage-invalid-property";
      }
      if (props.indexOf('%') >= 0) {
        found = "baggage-property-percent-decoding";
      }
      if (value.isEmpty()) {
        found = "baggage-empty-value";
      }
    }
    return found;
  }

  /** Trims HTTP OWS (space and tab) only, as the grammar does. */
  static String ows(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
      a++;
    }
    while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
      b--;
    }
    return s.substring(a, b);
  }

  static boolean isToken(String s) {
    return !s.isEmpty() && s.chars().allMatch(ch -> dev.cairn.context.Baggage.isTchar((char) ch));
  }

  static boolean validProperties(String props) {
    for (String p : props.split(";", -1)) {
      String t = p.transform(Deviations::ows);
      int eq = t.indexOf('=');
      String key = (eq < 0 ? t : t.substring(0, eq)).transform(Deviations::ows);
      if (!isToken(key)) {
        return false;
      }
      if (eq >= 0) {
        String v = t.substring(eq + 1).transform(Deviations::ows);
        for (int i = 0; i < v.length(); i++) {
          if (!W3CBaggagePropagator.isBaggageOctet(v.charAt(i))) {
            return false;
          }
        }
      }
    }
    return true;
  }

  static boolean hasBadPercent(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '%') {
        if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
          return true;
        }
      }
    }
    return false;
  }
}
