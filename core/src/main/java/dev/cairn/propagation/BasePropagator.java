package dev.cairn.propagation;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import java.util.ArrayList;
import java.util.List;

/**
 * What every built-in propagator shares: the failure boundary (a getter or setter that throws, or
 * a bug of ours, never reaches the caller) and the explain path. The fast path passes a {@code
 * null} sink, so nothing is collected and nothing allocated for rejections beyond the count.
 */
abstract class BasePropagator implements Propagator {
  private final String name;
  private final List<String> fields;
  private final Reason failed;

  BasePropagator(String name, List<String> fields) {
    this.name = name;
    this.fields = List.copyOf(fields);
    this.failed = Reason.of(name, "error");
  }

  /** True for formats that carry trace ids (the composite takes the first valid one). */
  abstract boolean carriesTraceIds();

  abstract <C> TraceContext extract(
      TraceContext base, C carrier, Getter<C> getter, List<Extraction.Rejection> sink);

  abstract <C> void write(TraceContext context, C carrier, Setter<C> setter);

  @Override
  public final <C> TraceContext extract(TraceContext base, C carrier, Getter<C> getter) {
    try {
      return extract(base, carrier, getter, null);
    } catch (Throwable t) {
      return failed(base, t, null);
    }
  }

  @Override
  public final <C> Extraction explain(TraceContext base, C carrier, Getter<C> getter) {
    List<Extraction.Rejection> sink = new ArrayList<>();
    TraceContext out;
    try {
      out = extract(base, carrier, getter, sink);
    } catch (Throwable t) {
      out = failed(base, t, sink);
    }
    return new Extraction(out, sink);
  }

  @Override
  public final <C> void inject(TraceContext context, C carrier, Setter<C> setter) {
    try {
      write(context, carrier, setter);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      failed.record(null, t.getClass().getName());
      Reporter.warn("propagation.inject." + name, "Propagator " + name + " failed to inject", t);
    }
  }

  /** Package-level access for the composite, which already holds the boundary. */
  final <C> TraceContext extractUnguarded(
      TraceContext base, C carrier, Getter<C> getter, List<Extraction.Rejection> sink) {
    try {
      return extract(base, carrier, getter, sink);
    } catch (Throwable t) {
      return failed(base, t, sink);
    }
  }

  private TraceContext failed(TraceContext base, Throwable t, List<Extraction.Rejection> sink) {
    Fatal.rethrowIfFatal(t);
    failed.record(sink, t.getClass().getName());
    Reporter.warn("propagation.extract." + name, "Propagator " + name + " failed to extract", t);
    return base;
  }

  @Override
  public final List<String> fields() {
    return fields;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public String toString() {
    return "Propagator[" + name + "]";
  }

  // ---- helpers shared by the formats ----

  /** The first value of a field, or "" — tolerant of getters that return null. */
  static <C> String first(C carrier, Getter<C> getter, String name) {
    String v = getter.get(carrier, name);
    return v == null ? "" : v;
  }

  static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }
}
