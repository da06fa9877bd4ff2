package dev.cairn.propagation;

import dev.cairn.context.TraceContext;
import java.util.List;

/**
 * Reads a {@link TraceContext} from, and writes it to, a carrier such as HTTP or message headers,
 * through a {@link Getter} and a {@link Setter}. Ready propagators come from {@link Propagators}.
 *
 * <p>Extraction augments a base context: a trace format (W3C, B3, AWS, Google) replaces its ids,
 * flags and trace state with the remote caller's and marks it {@linkplain TraceContext#isRemote()
 * remote}; baggage and correlation-id formats add their part. Invalid or hostile input never
 * throws: it is ignored as its specification says, counted as {@code
 * cairn.propagation.rejected{format,reason}}, and {@link #explain} tells why.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface Propagator {
  /**
   * Reads this format from {@code carrier} and returns {@code base} augmented with it, or {@code
   * base} itself when the format is absent or invalid. Never throws.
   */
  <C> TraceContext extract(TraceContext base, C carrier, Getter<C> getter);

  /** Writes {@code context} into {@code carrier} in this format; writes nothing it cannot. */
  <C> void inject(TraceContext context, C carrier, Setter<C> setter);

  /** The field names this propagator reads and writes, lower case. */
  List<String> fields();

  /** A short stable name ({@code w3c-tracecontext}, {@code b3-single}, …), used as a tag. */
  String name();

  /**
   * Like {@link #extract} but also returns every rejection met on the way. Slower (it collects);
   * meant for debugging. Cairn's propagators override it; the default reports none.
   */
  default <C> Extraction explain(TraceContext base, C carrier, Getter<C> getter) {
    return new Extraction(extract(base, carrier, getter), List.of());
  }
}
