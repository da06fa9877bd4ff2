package dev.cairn.propagation;

import dev.cairn.context.TraceContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The built-in propagators. Each is immutable, thread-safe and shareable.
 *
 * <p>Configuration by name ({@link #fromNames(String)}) accepts the names of the {@code
 * OTEL_PROPAGATORS} environment variable ({@code tracecontext}, {@code baggage}, {@code b3}, {@code
 * b3multi}, {@code xray}, {@code none}) plus {@code xcloudtrace} (Google) and {@code correlationid}
 * ({@code X-Request-ID} then {@code X-Correlation-ID}).
 *
 * <pre>{@code
 * Propagator p = Propagators.defaults();
 * TraceContext remote = p.extract(TraceContext.empty(), headers, Carriers.mapGetter());
 * p.inject(TraceContext.current(), outgoing, Carriers.mapSetter());
 * }</pre>
 */
public final class Propagators {
  private Propagators() {}

  /** W3C Trace Context: {@code traceparent} and {@code tracestate} (Level 2). */
  public static Propagator w3cTraceContext() {
    return W3CTraceContextPropagator.INSTANCE;
  }

  /** W3C Baggage: the {@code baggage} header (64 members, 8192 bytes, percent-encoding, properties). */
  public static Propagator w3cBaggage() {
    return W3CBaggagePropagator.INSTANCE;
  }

  /** B3 single header {@code b3: {trace}-{span}-{sampling}-{parent}}. */
  public static Propagator b3Single() {
    return B3Propagator.SINGLE;
  }

  /** B3 multi header {@code X-B3-TraceId}, {@code X-B3-SpanId}, {@code X-B3-ParentSpanId}, {@code X-B3-Sampled}, {@code X-B3-Flags}. */
  public static Propagator b3Multi() {
    return B3Propagator.MULTI;
  }

  /** AWS X-Ray {@code X-Amzn-Trace-Id: Root=1-…;Parent=…;Sampled=…}. */
  public static Propagator awsXray() {
    return AwsXrayPropagator.INSTANCE;
  }

  /** Google Cloud {@code X-Cloud-Trace-Context: TRACE/SPAN;o=1} (decimal span id). */
  public static Propagator googleCloudTrace() {
    return GoogleCloudTracePropagator.INSTANCE;
  }

  /**
   * Request/correlation id from {@code X-Request-ID}, else {@code X-Correlation-ID}; written as
   * {@code X-Request-ID}; at most 128 safe characters; nothing generated. See {@link
   * #correlationIdBuilder()} for other names, limits and generation.
   */
  public static Propagator correlationId() {
    return DEFAULT_CORRELATION_ID;
  }

  /** Configures a correlation-id propagator. */
  public static CorrelationIdBuilder correlationIdBuilder() {
    return new CorrelationIdBuilder();
  }

  /** Reads and writes nothing ({@code OTEL_PROPAGATORS=none}). */
  public static Propagator noop() {
    return NoopPropagator.INSTANCE;
  }

  /**
   * What Cairn uses when nothing is configured: W3C Trace Context, W3C Baggage and the correlation
   * id, as {@code tracecontext,baggage,correlationid}.
   */
  public static Propagator defaults() {
    return DEFAULTS;
  }

  /** Every name {@link #fromNames} and {@link #named} accept. */
  public static final List<String> NAMES =
      List.of("tracecontext", "baggage", "b3", "b3multi", "xray", "xcloudtrace", "correlationid", "none");

  /**
   * One propagator by its configuration name (case-insensitive): {@code tracecontext}, {@code
   * baggage}, {@code b3} (single header), {@code b3multi}, {@code xray}, {@code xcloudtrace},
   * {@code correlationid}, {@code none}; and the aliases {@code w3c}, {@code aws}, {@code gcp},
   * {@code request-id}.
   *
   * @throws IllegalArgumentException for any other name, listing the known ones
   */
  public static Propagator named(String name) {
    Objects.requireNonNull(name, "name");
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "tracecontext":
      case "w3c":
        return w3cTraceContext();
      case "baggage":
        return w3cBaggage();
      case "b3":
        return b3Single();
      case "b3multi":
        return b3Multi();
      case "xray":
      case "aws":
        return awsXray();
      case "xcloudtrace":
      case "gcp":
        return googleCloudTrace();
      case "correlationid":
      case "request-id":
        return correlationId();
      case "none":
        return noop();
      default:
        throw new IllegalArgumentException(
            "Unknown propagator '" + name.trim() + "'; known: " + String.join(", ", NAMES));
    }
  }

  /**
   * A composite from a comma-separated list such as {@code tracecontext,baggage,b3multi} (the
   * {@code OTEL_PROPAGATORS} syntax): names are trimmed and case-insensitive, empty entries and
   * repeats are ignored, extraction follows the list order. {@code none} alone, or an empty list,
   * gives {@link #noop()}; a list of one name gives that propagator itself.
   *
   * @throws IllegalArgumentException for an unknown name, or {@code none} together with others
   */
  public static Propagator fromNames(String commaSeparated) {
    Objects.requireNonNull(commaSeparated, "commaSeparated");
    return fromNames(Arrays.asList(commaSeparated.split(",", -1)));
  }

  /** {@link #fromNames(String)} for a list of names. */
  public static Propagator fromNames(List<String> names) {
    Objects.requireNonNull(names, "names");
    List<Propagator> out = new ArrayList<>();
    boolean none = false;
    for (String n : names) {
      if (n == null || n.isBlank()) {
        continue;
      }
      Propagator p = named(n);
      if (p == NoopPropagator.INSTANCE) {
        none = true;
      } else if (!out.contains(p)) {
        out.add(p);
      }
    }
    if (none && !out.isEmpty()) {
      throw new IllegalArgumentException(
          "Propagator 'none' cannot be combined with others: " + String.join(",", names));
    }
    if (out.isEmpty()) {
      return noop();
    }
    return out.size() == 1 ? out.get(0) : composite(out);
  }

  private static final Propagator DEFAULT_CORRELATION_ID = new CorrelationIdBuilder().build();
  private static final Propagator DEFAULTS =
      new CompositePropagator(
          List.of(W3CTraceContextPropagator.INSTANCE, W3CBaggagePropagator.INSTANCE, DEFAULT_CORRELATION_ID));

  /**
   * Several propagators as one: extraction takes the first valid trace context among the trace
   * formats (W3C, B3, AWS, Google) in the order given, and lets every baggage, correlation-id and
   * user propagator add its part; injection writes them all.
   *
   * @throws IllegalArgumentException when empty or containing the same propagator twice
   */
  public static Propagator composite(List<Propagator> propagators) {
    Objects.requireNonNull(propagators, "propagators");
    if (propagators.isEmpty()) {
      throw new IllegalArgumentException("composite needs at least one propagator");
    }
    for (int i = 0; i < propagators.size(); i++) {
      Propagator p = Objects.requireNonNull(propagators.get(i), "propagators[" + i + "]");
      for (int j = 0; j < i; j++) {
        if (propagators.get(j) == p) {
          throw new IllegalArgumentException("propagator " + p.name() + " is listed twice");
        }
      }
    }
    return new CompositePropagator(List.copyOf(propagators));
  }

  /** {@link #composite(List)} of the given propagators. */
  public static Propagator composite(Propagator first, Propagator... more) {
    Propagator[] all = new Propagator[more.length + 1];
    all[0] = first;
    System.arraycopy(more, 0, all, 1, more.length);
    return composite(List.of(all));
  }

  /** Builds a correlation-id propagator. */
  public static final class CorrelationIdBuilder {
    private List<String> headerNames = List.of("x-request-id", "x-correlation-id");
    private int maxLength = 128;
    private boolean generate;

    private CorrelationIdBuilder() {}

    /**
     * The header names read in order (the first present wins); the first is the one written.
     * Default {@code X-Request-ID}, {@code X-Correlation-ID}. Names are matched case-insensitively
     * and written in lower case.
     */
    public CorrelationIdBuilder headerNames(String first, String... more) {
      List<String> all = new ArrayList<>();
      all.add(checkName(first));
      for (String m : more) {
        String n = checkName(m);
        if (!all.contains(n)) {
          all.add(n);
        }
      }
      this.headerNames = List.copyOf(all);
      return this;
    }

    /** Longest id accepted, 1–1024 characters; default 128. */
    public CorrelationIdBuilder maxLength(int maxLength) {
      if (maxLength < 1 || maxLength > 1024) {
        throw new IllegalArgumentException("maxLength must be 1..1024: " + maxLength);
      }
      this.maxLength = maxLength;
      return this;
    }

    /**
     * Whether extraction generates a random UUID when no acceptable id arrives and the base
     * context has none; default false.
     */
    public CorrelationIdBuilder generateWhenAbsent(boolean generate) {
      this.generate = generate;
      return this;
    }

    /** The propagator. */
    public Propagator build() {
      return new CorrelationIdPropagator(headerNames, maxLength, generate);
    }

    private static String checkName(String name) {
      Objects.requireNonNull(name, "header name");
      String n = name.trim().toLowerCase(Locale.ROOT);
      if (n.isEmpty() || !dev.cairn.context.Baggage.isValidName(n)) {
        throw new IllegalArgumentException("not an HTTP header name: '" + name + "'");
      }
      return n;
    }
  }

  private static final class NoopPropagator implements Propagator {
    static final NoopPropagator INSTANCE = new NoopPropagator();

    @Override
    public <C> TraceContext extract(TraceContext base, C carrier, Getter<C> getter) {
      return base;
    }

    @Override
    public <C> void inject(TraceContext context, C carrier, Setter<C> setter) {}

    @Override
    public List<String> fields() {
      return List.of();
    }

    @Override
    public String name() {
      return "none";
    }

    @Override
    public String toString() {
      return "Propagator[none]";
    }
  }
}
