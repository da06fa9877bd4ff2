package dev.cairn.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.context.TraceContext;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Random and grammar-mutated header sets through Cairn and through OpenTelemetry's propagators
 * (an implementation Cairn did not write): no throwable escapes Cairn; both accept or both reject;
 * what both accept agrees field by field. Where OpenTelemetry departs from the specification text,
 * Cairn follows the spec: each such case is recognised by {@link Deviations} and listed, with the
 * spec's words, in docs/propagation.md. Anything else fails the test with the input.
 *
 * <p>100,000 header sets per format in the suite; {@code -Dcairn.fuzz.iterations=1000000} for the
 * full figure.
 */
class OtelFuzzAgreementTest {
  static final int ITERATIONS = Integer.getInteger("cairn.fuzz.iterations", 100_000);
  static final long SEED = Long.getLong("cairn.fuzz.seed", 20261128L);

  static final TextMapGetter<Map<String, String>> OTEL_GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          // OpenTelemetry asks for X-B3-TraceId etc.; HTTP names are case-insensitive.
          return carrier == null ? null : Carriers.lookup(carrier, key);
        }
      };

  /** Failures contained inside Cairn's propagators (a throwable that would have escaped). */
  static long containedErrors() {
    long n = 0;
    for (dev.cairn.internal.SelfCounter c : dev.cairn.internal.SelfCounters.GLOBAL.all()) {
      if (c.name().equals(Reason.COUNTER) && c.tag("reason").equals("error")) {
        n += c.count();
      }
    }
    return n;
  }

  long errorsBefore;

  @org.junit.jupiter.api.BeforeEach
  void countErrors() {
    errorsBefore = containedErrors();
  }

  @org.junit.jupiter.api.AfterEach
  void noThrowable() {
    assertThat(containedErrors()).as("throwables contained by the propagators").isEqualTo(errorsBefore);
  }

  /** A comparable view of one extraction: null fields where the format carries nothing. */
  record View(boolean accepted, String traceId, String spanId, boolean sampled, Map<String, String> state) {}

  static View cairnTrace(Propagator p, Map<String, String> h) {
    TraceContext c = p.extract(TraceContext.empty(), h, Carriers.mapGetter());
    if (!c.isValid() || !c.isRemote()) {
      return new View(false, null, null, false, Map.of());
    }
    return new View(true, c.traceIdHex(), c.spanIdHex(), c.isSampled(), new TreeMap<>(c.traceState().asMap()));
  }

  static View otelTrace(TextMapPropagator p, Map<String, String> h) {
    Context ctx = p.extract(Context.root(), h, OTEL_GETTER);
    SpanContext sc = Span.fromContext(ctx).getSpanContext();
    if (!sc.isValid()) {
      return new View(false, null, null, false, Map.of());
    }
    return new View(true, sc.getTraceId(), sc.getSpanId(), sc.isSampled(), new TreeMap<>(sc.getTraceState().asMap()));
  }

  static Map<String, String> cairnBaggage(Map<String, String> h) {
    TraceContext c = Propagators.w3cBaggage().extract(TraceContext.empty(), h, Carriers.mapGetter());
    Map<String, String> out = new TreeMap<>();
    for (int i = 0; i < c.baggage().size(); i++) {
      String props = c.baggage().propertiesAt(i);
      out.put(c.baggage().nameAt(i), c.baggage().valueAt(i) + (props.isEmpty() ? "" : ";" + props));
    }
    return out;
  }

  static Map<String, String> otelBaggage(Map<String, String> h) {
    Context ctx =
        io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator.getInstance()
            .extract(Context.root(), h, OTEL_GETTER);
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, BaggageEntry> e : io.opentelemetry.api.baggage.Baggage.fromContext(ctx).asMap().entrySet()) {
      String md = e.getValue().getMetadata().getValue();
      out.put(e.getKey(), e.getValue().getValue() + (md.isEmpty() ? "" : ";" + md));
    }
    return out;
  }

  /** Counts outcomes of one format's run and keeps samples of unexplained disagreements. */
  static final class Tally {
    final String format;
    long agreedAccept;
    long agreedReject;
    final Map<String, Long> deviations = new TreeMap<>();
    final List<String> unexplained = new ArrayList<>();
    long unexplainedCount;

    Tally(String format) {
      this.format = format;
    }

    void deviation(String label) {
      deviations.merge(label, 1L, Long::sum);
    }

    void unexplained(Map<String, String> h, Object cairn, Object otel) {
      unexplainedCount++;
      if (unexplained.size() < 15) {
        unexplained.add(h + "\n   cairn=" + cairn + "\n   otel =" + otel);
      }
    }

    @Override
    public String toString() {
      return format + ": agreedAccept=" + agreedAccept + " agreedReject=" + agreedReject
          + " deviations=" + deviations + " unexplained=" + unexplainedCount
          + (unexplained.isEmpty() ? "" : "\n  " + String.join("\n  ", unexplained));
    }
  }

  Tally runTrace(
      String format,
      Propagator cairn,
      TextMapPropagator otel,
      Function<HeaderFuzz, Map<String, String>> gen,
      Deviations.TraceClassifier classifier) {
    HeaderFuzz fuzz = new HeaderFuzz(SEED ^ format.hashCode());
    Tally t = new Tally(format);
    for (int i = 0; i < ITERATIONS; i++) {
      Map<String, String> h = gen.apply(fuzz);
      View c = cairnTrace(cairn, h);
      View o = otelTrace(otel, h);
      if (c.equals(o)) {
        if (c.accepted()) {
          t.agreedAccept++;
        } else {
          t.agreedReject++;
        }
        continue;
      }
      String label = classifier.classify(h, c, o);
      if (label != null) {
        t.deviation(label);
      } else {
        t.unexplained(h, c, o);
      }
    }
    System.out.println(t);
    return t;
  }

  @Test
  void w3cTraceContext_agreesWithOpenTelemetryExceptListedDeviations() {
    Tally t =
        runTrace(
            "w3c-tracecontext",
            Propagators.w3cTraceContext(),
            io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance(),
            HeaderFuzz::w3cHeaders,
            Deviations::w3c);
    assertThat(t.unexplained).as(t.toString()).isEmpty();
    assertThat(t.agreedAccept).isGreaterThan(ITERATIONS / 10);
    assertThat(t.agreedReject).isGreaterThan(ITERATIONS / 10);
  }

  @Test
  void b3Single_agreesWithOpenTelemetryExceptListedDeviations() {
    Tally t =
        runTrace(
            "b3-single",
            Propagators.b3Single(),
            io.opentelemetry.extension.trace.propagation.B3Propagator.injectingSingleHeader(),
            HeaderFuzz::b3SingleHeaders,
            Deviations::b3Single);
    assertThat(t.unexplained).as(t.toString()).isEmpty();
    assertThat(t.agreedAccept).isGreaterThan(ITERATIONS / 10);
    assertThat(t.agreedReject).isGreaterThan(ITERATIONS / 10);
  }

  @Test
  void b3Multi_agreesWithOpenTelemetryExceptListedDeviations() {
    Tally t =
        runTrace(
            "b3-multi",
            Propagators.b3Multi(),
            io.opentelemetry.extension.trace.propagation.B3Propagator.injectingMultiHeaders(),
            HeaderFuzz::b3MultiHeaders,
            Deviations::b3Multi);
    assertThat(t.unexplained).as(t.toString()).isEmpty();
    assertThat(t.agreedAccept).isGreaterThan(ITERATIONS / 10);
    assertThat(t.agreedReject).isGreaterThan(ITERATIONS / 10);
  }

  @Test
  void w3cBaggage_agreesWithOpenTelemetryExceptListedDeviations() {
    HeaderFuzz fuzz = new HeaderFuzz(SEED ^ 0xBA66A6E);
    Tally t = new Tally("w3c-baggage");
    for (int i = 0; i < ITERATIONS; i++) {
      Map<String, String> h = fuzz.baggageHeaders();
      Map<String, String> c = cairnBaggage(h);
      Map<String, String> o = otelBaggage(h);
      if (c.equals(o)) {
        if (c.isEmpty()) {
          t.agreedReject++;
        } else {
          t.agreedAccept++;
        }
        continue;
      }
      String label = Deviations.baggage(h, c, o);
      if (label != null) {
        t.deviation(label);
      } else {
        t.unexplained(h, c, o);
      }
    }
    System.out.println(t);
    assertThat(t.unexplained).as(t.toString()).isEmpty();
    assertThat(t.agreedAccept).isGreaterThan(ITERATIONS / 10);
  }

  @Test
  void formatsWithoutAnOracle_neverThrowAndRoundTripWhatTheyAccept() {
    HeaderFuzz fuzz = new HeaderFuzz(SEED ^ 0xA115);
    Map<String, Function<HeaderFuzz, Map<String, String>>> gens = new LinkedHashMap<>();
    gens.put("xray", HeaderFuzz::xrayHeaders);
    gens.put("xcloudtrace", HeaderFuzz::gcpHeaders);
    gens.put("correlationid", f -> Map.of("x-request-id", f.mutate(f.hex(20))));
    for (Map.Entry<String, Function<HeaderFuzz, Map<String, String>>> g : gens.entrySet()) {
      Propagator p = Propagators.named(g.getKey());
      long accepted = 0;
      for (int i = 0; i < ITERATIONS; i++) {
        Map<String, String> h = g.getValue().apply(fuzz);
        TraceContext c = p.extract(TraceContext.empty(), h, Carriers.mapGetter());
        if (c == TraceContext.empty()) {
          continue;
        }
        accepted++;
        Map<String, String> out = new LinkedHashMap<>();
        p.inject(c, out, Carriers.mapSetter());
        TraceContext back = p.extract(TraceContext.empty(), out, Carriers.mapGetter());
        assertThat(back).as("%s %s", g.getKey(), h).isEqualTo(c);
      }
      assertThat(accepted).as(g.getKey()).isGreaterThan(ITERATIONS / 10);
    }
  }
}
