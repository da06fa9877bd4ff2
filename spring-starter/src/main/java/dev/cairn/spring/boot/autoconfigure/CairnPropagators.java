package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.propagation.Propagator;
import dev.cairn.propagation.Propagators;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns {@code cairn.propagation.formats} (and {@code request-id-headers}) into one {@link
 * Propagator}. Both the starter's short names and the {@code OTEL_PROPAGATORS} names are accepted;
 * a misspelt format fails start-up with the list of valid names.
 */
final class CairnPropagators {
  static final String VALID =
      "w3c (or tracecontext), baggage, b3, b3multi, request-id (or correlationid), aws (or xray), gcp (or xcloudtrace), none";

  private CairnPropagators() {}

  static Propagator from(CairnProperties.Propagation p) {
    List<Propagator> out = new ArrayList<>();
    boolean none = false;
    for (String raw : p.getFormats()) {
      String f = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
      if (f.isEmpty()) {
        continue;
      }
      Propagator next;
      switch (f) {
        case "w3c":
        case "tracecontext":
          next = Propagators.w3cTraceContext();
          break;
        case "baggage":
          next = Propagators.w3cBaggage();
          break;
        case "b3":
          next = Propagators.b3Single();
          break;
        case "b3multi":
          next = Propagators.b3Multi();
          break;
        case "aws":
        case "xray":
          next = Propagators.awsXray();
          break;
        case "gcp":
        case "xcloudtrace":
          next = Propagators.googleCloudTrace();
          break;
        case "request-id":
        case "correlationid":
          next = correlationId(p.getRequestIdHeaders());
          break;
        case "none":
          none = true;
          continue;
        default:
          throw new IllegalArgumentException(
              "cairn.propagation.formats: unknown format '" + raw.trim() + "'; valid: " + VALID);
      }
      if (!out.contains(next)) {
        out.add(next);
      }
    }
    if (none && !out.isEmpty()) {
      throw new IllegalArgumentException("cairn.propagation.formats: 'none' cannot be combined with other formats");
    }
    if (out.isEmpty()) {
      return Propagators.noop();
    }
    return out.size() == 1 ? out.get(0) : Propagators.composite(out);
  }

  private static Propagator correlationId(List<String> headers) {
    if (headers == null || headers.isEmpty()) {
      return Propagators.correlationId();
    }
    return Propagators.correlationIdBuilder()
        .headerNames(headers.get(0), headers.subList(1, headers.size()).toArray(new String[0]))
        .build();
  }

  /**
   * The request-id part of {@code cairn.propagation.formats} alone (no-op when it is not listed):
   * with Micrometer Tracing writing the trace headers, Cairn still carries its correlation id.
   */
  static Propagator correlationIdOnly(CairnProperties.Propagation p) {
    for (String raw : p.getFormats()) {
      String f = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
      if (f.equals("request-id") || f.equals("correlationid")) {
        return correlationId(p.getRequestIdHeaders());
      }
    }
    return Propagators.noop();
  }
}
