package dev.cairn.propagation;

import dev.cairn.context.TraceContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Several formats as one. Extract: the first trace format that yields valid ids wins and the later
 * trace formats are not read; baggage and correlation formats (and user propagators) all add
 * theirs, in order. Inject: every format writes.
 */
final class CompositePropagator extends BasePropagator {
  private final Propagator[] members;

  CompositePropagator(List<Propagator> members) {
    super(name(members), fieldsOf(members));
    this.members = members.toArray(new Propagator[0]);
  }

  private static String name(List<Propagator> members) {
    StringBuilder sb = new StringBuilder("composite");
    for (Propagator p : members) {
      sb.append(sb.length() == 9 ? '(' : ',').append(p.name());
    }
    return members.isEmpty() ? "composite()" : sb.append(')').toString();
  }

  private static List<String> fieldsOf(List<Propagator> members) {
    Set<String> out = new LinkedHashSet<>();
    for (Propagator p : members) {
      out.addAll(p.fields());
    }
    return new ArrayList<>(out);
  }

  List<Propagator> members() {
    return List.of(members);
  }

  @Override
  boolean carriesTraceIds() {
    for (Propagator p : members) {
      if (p instanceof BasePropagator && ((BasePropagator) p).carriesTraceIds()) {
        return true;
      }
    }
    return false;
  }

  @Override
  <C> TraceContext extract(
      TraceContext base, C carrier, Getter<C> getter, List<Extraction.Rejection> sink) {
    TraceContext ctx = base;
    boolean haveIds = false;
    for (Propagator p : members) {
      if (p instanceof BasePropagator) {
        BasePropagator bp = (BasePropagator) p;
        if (bp.carriesTraceIds()) {
          if (haveIds) {
            continue;
          }
          TraceContext next = bp.extractUnguarded(ctx, carrier, getter, sink);
          haveIds = next != ctx && next.isValid() && next.isRemote();
          ctx = next;
        } else {
          ctx = bp.extractUnguarded(ctx, carrier, getter, sink);
        }
      } else {
        ctx = userExtract(p, ctx, carrier, getter, sink);
      }
    }
    return ctx;
  }

  private static <C> TraceContext userExtract(
      Propagator p, TraceContext ctx, C carrier, Getter<C> getter, List<Extraction.Rejection> sink) {
    // A user propagator may throw or return null: contain both.
    try {
      if (sink != null) {
        Extraction e = p.explain(ctx, carrier, getter);
        sink.addAll(e.rejections());
        return e.context();
      }
      TraceContext out = p.extract(ctx, carrier, getter);
      return out == null ? ctx : out;
    } catch (Throwable t) {
      dev.cairn.internal.Fatal.rethrowIfFatal(t);
      USER_FAILED.record(sink, p.getClass().getName());
      dev.cairn.internal.Reporter.warn(
          "propagation.user." + p.getClass().getName(), "Propagator " + p + " failed to extract", t);
      return ctx;
    }
  }

  private static final Reason USER_FAILED = Reason.of("user", "error");

  @Override
  <C> void write(TraceContext context, C carrier, Setter<C> setter) {
    for (Propagator p : members) {
      try {
        p.inject(context, carrier, setter);
      } catch (Throwable t) {
        dev.cairn.internal.Fatal.rethrowIfFatal(t);
        USER_FAILED.record(null, p.getClass().getName());
        dev.cairn.internal.Reporter.warn(
            "propagation.user." + p.getClass().getName(), "Propagator " + p + " failed to inject", t);
      }
    }
  }
}
