package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.internal.Reporter;
import dev.cairn.propagation.Propagator;
import dev.cairn.propagation.Propagators;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns {@code cairn.propagation.formats} into one {@link Propagator}. A misspelt format fails
 * start-up with the list of valid names; a valid format whose implementation this Cairn version
 * does not ship yet is skipped and reported once.
 */
final class CairnPropagators {
  /** Every name {@code cairn.propagation.formats} accepts. */
  static final Set<String> KNOWN = Set.of("w3c", "baggage", "b3", "b3multi", "request-id", "aws", "gcp");

  private CairnPropagators() {}

  static Propagator fromFormats(List<String> formats) {
    List<Propagator> out = new ArrayList<>();
    List<String> unavailable = new ArrayList<>();
    for (String raw : formats) {
      String f = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
      if (!KNOWN.contains(f)) {
        throw new IllegalArgumentException(
            "cairn.propagation.formats: unknown format '" + raw + "'; valid: w3c, baggage, b3, b3multi, request-id, aws, gcp");
      }
      Propagator p = byName(f);
      if (p == null) {
        unavailable.add(f);
      } else if (!out.contains(p)) {
        out.add(p);
      }
    }
    if (!unavailable.isEmpty()) {
      Reporter.warn(
          "spring.propagation.unavailable",
          "cairn.propagation.formats: " + unavailable + " not available in this Cairn version; using " + names(out),
          null);
    }
    if (out.isEmpty()) {
      out.add(Propagators.w3cTraceContext());
    }
    return out.size() == 1 ? out.get(0) : Propagators.composite(out);
  }

  private static Propagator byName(String format) {
    switch (format) {
      case "w3c":
        return Propagators.w3cTraceContext();
      default:
        // Formats that Cairn's propagation package does not provide yet.
        return null;
    }
  }

  private static List<String> names(List<Propagator> ps) {
    List<String> n = new ArrayList<>();
    for (Propagator p : ps) {
      n.add(p.name());
    }
    return n.isEmpty() ? List.of("w3c-tracecontext") : n;
  }
}
