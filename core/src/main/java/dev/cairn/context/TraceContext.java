package dev.cairn.context;

import dev.cairn.internal.ContextInternals;
import dev.cairn.internal.Hex;
import dev.cairn.internal.Ids;
import dev.cairn.internal.context.ContextStorage;
import java.util.Objects;
import java.util.Optional;

/**
 * The correlation context of one unit of work: a W3C trace id (128 bits), span id and parent span id
 * (64 bits each), trace flags, {@code tracestate}, a request/correlation id and baggage. Immutable.
 *
 * <p>Ids are kept as {@code long}s; their hex forms are rendered once per context, on first use.
 * The current context of a thread is set through {@link #makeCurrent()} and read through {@link
 * #current()}; it is mirrored into SLF4J's MDC (see {@code dev.cairn.logging.MdcSettings}).
 *
 * <p>{@link #empty()} stands for "no context": it is never {@code null} and {@link #isValid()} is
 * false.
 */
public final class TraceContext {
  /** W3C trace flag: the caller may have recorded this trace. */
  public static final int FLAG_SAMPLED = 0x01;

  /** W3C Trace Context Level 2 trace flag: the right-most 7 bytes of the trace id are random. */
  public static final int FLAG_RANDOM = 0x02;

  private static final TraceContext EMPTY =
      new TraceContext(0, 0, 0, 0, 0, TraceState.empty(), "", Baggage.empty(), false);

  static {
    // The tracer builds a span's context in one allocation, after its sampling decision.
    ContextInternals.registerTraceContexts(TraceContext::new);
  }

  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final long parentSpanId;
  private final byte flags;
  private final TraceState traceState;
  private final String correlationId;
  private final Baggage baggage;
  private final boolean remote;

  // Rendered on first use; a race renders twice and both threads see equal strings.
  private String traceIdHex;
  private String spanIdHex;

  private TraceContext(
      long traceIdHigh,
      long traceIdLow,
      long spanId,
      long parentSpanId,
      int flags,
      TraceState traceState,
      String correlationId,
      Baggage baggage,
      boolean remote) {
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.parentSpanId = parentSpanId;
    this.flags = (byte) flags;
    this.traceState = traceState;
    this.correlationId = correlationId;
    this.baggage = baggage;
    this.remote = remote;
  }

  /** "No context": invalid ids, no baggage, no correlation id. */
  public static TraceContext empty() {
    return EMPTY;
  }

  /** The context current on this thread, or {@link #empty()}. Allocation-free. */
  public static TraceContext current() {
    return ContextStorage.current();
  }

  /**
   * A new trace: random 128-bit trace id, random span id, no parent, the W3C random flag set and
   * the sampled flag as given.
   */
  public static TraceContext newRoot(boolean sampled) {
    return new TraceContext(
        Ids.any(),
        Ids.nonZero(),
        Ids.nonZero(),
        0,
        FLAG_RANDOM | (sampled ? FLAG_SAMPLED : 0),
        TraceState.empty(),
        "",
        Baggage.empty(),
        false);
  }

  /** A builder for contexts with known ids (propagators, tests, bridges). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A child of this context: same trace, flags, trace state, baggage and correlation id; a new span
   * id whose parent is this span. The child of {@link #empty()} is a new sampled root.
   */
  public TraceContext newChild() {
    if (!isValid()) {
      return withBaggageAndCorrelation(newRoot(true));
    }
    return new TraceContext(
        traceIdHigh, traceIdLow, Ids.nonZero(), spanId, flags, traceState, correlationId, baggage, false);
  }

  private TraceContext withBaggageAndCorrelation(TraceContext root) {
    if (baggage.isEmpty() && correlationId.isEmpty()) {
      return root;
    }
    return new TraceContext(
        root.traceIdHigh, root.traceIdLow, root.spanId, 0, root.flags, root.traceState,
        correlationId, baggage, false);
  }

  /** True when both the trace id and span id are non-zero. */
  public boolean isValid() {
    return (traceIdHigh != 0 || traceIdLow != 0) && spanId != 0;
  }

  /** High 64 bits of the trace id. */
  public long traceIdHigh() {
    return traceIdHigh;
  }

  /** Low 64 bits of the trace id (the part 64-bit systems such as B3-64 and Datadog use). */
  public long traceIdLow() {
    return traceIdLow;
  }

  /** Span id; 0 in {@link #empty()}. */
  public long spanId() {
    return spanId;
  }

  /** Parent span id, 0 for a root or when unknown. */
  public long parentSpanId() {
    return parentSpanId;
  }

  /** The 32-char lower-case hex trace id ({@code 000…0} when invalid). Rendered once. */
  public String traceIdHex() {
    String s = traceIdHex;
    if (s == null) {
      s = Hex.of(traceIdHigh, traceIdLow);
      traceIdHex = s;
    }
    return s;
  }

  /** The 16-char lower-case hex span id. Rendered once. */
  public String spanIdHex() {
    String s = spanIdHex;
    if (s == null) {
      s = Hex.of(spanId);
      spanIdHex = s;
    }
    return s;
  }

  /** The 16-char hex parent span id, or empty when there is no parent. */
  public String parentSpanIdHex() {
    return parentSpanId == 0 ? "" : Hex.of(parentSpanId);
  }

  /** All eight W3C trace-flag bits. */
  public int traceFlags() {
    return flags & 0xFF;
  }

  /** True when the sampled flag is set. */
  public boolean isSampled() {
    return (flags & FLAG_SAMPLED) != 0;
  }

  /** True when the W3C Level 2 random-trace-id flag is set. */
  public boolean isRandomTraceId() {
    return (flags & FLAG_RANDOM) != 0;
  }

  /** True when this context was extracted from a remote caller. */
  public boolean isRemote() {
    return remote;
  }

  /** The W3C {@code tracestate}. */
  public TraceState traceState() {
    return traceState;
  }

  /** The request/correlation id, if any. */
  public Optional<String> correlationId() {
    return correlationId.isEmpty() ? Optional.empty() : Optional.of(correlationId);
  }

  /** The correlation id, or the empty string. Allocation-free, for hot paths. */
  public String correlationIdOrEmpty() {
    return correlationId;
  }

  /** The baggage. */
  public Baggage baggage() {
    return baggage;
  }

  /** A copy with other baggage. */
  public TraceContext withBaggage(Baggage newBaggage) {
    Objects.requireNonNull(newBaggage, "baggage");
    return newBaggage == baggage ? this : toBuilder().baggage(newBaggage).build();
  }

  /** A copy with this correlation id (empty string clears it). */
  public TraceContext withCorrelationId(String id) {
    Objects.requireNonNull(id, "correlationId");
    return id.equals(correlationId) ? this : toBuilder().correlationId(id).build();
  }

  /** A copy with another trace state. */
  public TraceContext withTraceState(TraceState state) {
    Objects.requireNonNull(state, "traceState");
    return state == traceState ? this : toBuilder().traceState(state).build();
  }

  /** A copy with the sampled flag set or cleared. */
  public TraceContext withSampled(boolean sampled) {
    if (sampled == isSampled()) {
      return this;
    }
    return toBuilder().traceFlags(sampled ? (flags | FLAG_SAMPLED) : (flags & ~FLAG_SAMPLED)).build();
  }

  /** A builder pre-filled with this context. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.traceIdHigh = traceIdHigh;
    b.traceIdLow = traceIdLow;
    b.spanId = spanId;
    b.parentSpanId = parentSpanId;
    b.flags = flags & 0xFF;
    b.traceState = traceState;
    b.correlationId = correlationId;
    b.baggage = baggage;
    b.remote = remote;
    return b;
  }

  /**
   * Makes this context current on this thread until the returned scope is closed; SLF4J's MDC
   * mirrors it for the same region.
   *
   * <p>Misuse is survived: a scope closed out of order is marked closed and leaves the scopes
   * opened after it in place, so the context always belongs to the innermost scope still open;
   * once those close, the thread returns to the context from before the misused scope. A scope
   * closed on another thread is ignored there. Both are counted as {@code cairn.scope.misuse}.
   * Cairn's executor wrappers restore the thread's exact prior state after each task, so even an
   * unclosed scope never leaks into the next task of a pooled thread.
   */
  public Scope makeCurrent() {
    return ContextStorage.attach(this);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TraceContext)) {
      return false;
    }
    TraceContext c = (TraceContext) o;
    return traceIdHigh == c.traceIdHigh
        && traceIdLow == c.traceIdLow
        && spanId == c.spanId
        && parentSpanId == c.parentSpanId
        && flags == c.flags
        && remote == c.remote
        && traceState.equals(c.traceState)
        && correlationId.equals(c.correlationId)
        && baggage.equals(c.baggage);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(traceIdLow) * 31 + Long.hashCode(spanId);
  }

  @Override
  public String toString() {
    if (!isValid() && correlationId.isEmpty() && baggage.isEmpty()) {
      return "TraceContext[empty]";
    }
    return "TraceContext[trace="
        + traceIdHex()
        + ", span="
        + spanIdHex()
        + (parentSpanId != 0 ? ", parent=" + parentSpanIdHex() : "")
        + ", flags="
        + Integer.toHexString(traceFlags())
        + (remote ? ", remote" : "")
        + (correlationId.isEmpty() ? "" : ", correlationId=" + correlationId)
        + (baggage.isEmpty() ? "" : ", baggage=" + baggage.asMap().keySet())
        + "]";
  }

  /** Builds a {@link TraceContext}; {@link #build()} validates. */
  public static final class Builder {
    private long traceIdHigh;
    private long traceIdLow;
    private long spanId;
    private long parentSpanId;
    private int flags;
    private TraceState traceState = TraceState.empty();
    private String correlationId = "";
    private Baggage baggage = Baggage.empty();
    private boolean remote;

    private Builder() {}

    /** The 128-bit trace id as two halves. */
    public Builder traceId(long high, long low) {
      this.traceIdHigh = high;
      this.traceIdLow = low;
      return this;
    }

    /** The trace id as 32 (or 16, left-padded) hex digits of either case. */
    public Builder traceId(String hex) {
      Objects.requireNonNull(hex, "traceId");
      if (hex.length() == 32 && Hex.isAnyHex(hex, 0, 32)) {
        return traceId(Hex.parseAnyCase(hex, 0, 16), Hex.parseAnyCase(hex, 16, 16));
      }
      if (hex.length() == 16 && Hex.isAnyHex(hex, 0, 16)) {
        return traceId(0, Hex.parseAnyCase(hex, 0, 16));
      }
      throw new IllegalArgumentException("trace id must be 16 or 32 hex digits: '" + hex + "'");
    }

    /** The span id. */
    public Builder spanId(long id) {
      this.spanId = id;
      return this;
    }

    /** The span id as 16 hex digits of either case. */
    public Builder spanId(String hex) {
      this.spanId = parseId(hex, "spanId");
      return this;
    }

    /** The parent span id (0 for none). */
    public Builder parentSpanId(long id) {
      this.parentSpanId = id;
      return this;
    }

    /** All eight W3C trace-flag bits. */
    public Builder traceFlags(int flags) {
      if (flags < 0 || flags > 0xFF) {
        throw new IllegalArgumentException("trace flags are one byte: " + flags);
      }
      this.flags = flags;
      return this;
    }

    /** Sets or clears the sampled flag. */
    public Builder sampled(boolean sampled) {
      this.flags = sampled ? (flags | FLAG_SAMPLED) : (flags & ~FLAG_SAMPLED);
      return this;
    }

    /** The W3C trace state. */
    public Builder traceState(TraceState state) {
      this.traceState = Objects.requireNonNull(state, "traceState");
      return this;
    }

    /** The correlation id ("" for none). */
    public Builder correlationId(String id) {
      this.correlationId = Objects.requireNonNull(id, "correlationId");
      return this;
    }

    /** The baggage. */
    public Builder baggage(Baggage baggage) {
      this.baggage = Objects.requireNonNull(baggage, "baggage");
      return this;
    }

    /** Marks the context as received from a remote caller. */
    public Builder remote(boolean remote) {
      this.remote = remote;
      return this;
    }

    /**
     * Builds the context. A trace id without a span id (or the reverse) is refused: a context is
     * either fully identified or carries only correlation id and baggage.
     */
    public TraceContext build() {
      boolean hasTrace = traceIdHigh != 0 || traceIdLow != 0;
      if (hasTrace != (spanId != 0)) {
        throw new IllegalStateException(
            "trace id and span id must be both set or both zero (trace="
                + Hex.of(traceIdHigh, traceIdLow)
                + ", span="
                + Hex.of(spanId)
                + ")");
      }
      return new TraceContext(
          traceIdHigh, traceIdLow, spanId, parentSpanId, flags, traceState, correlationId, baggage, remote);
    }

    private static long parseId(String hex, String what) {
      Objects.requireNonNull(hex, what);
      if (hex.length() != 16 || !Hex.isAnyHex(hex, 0, 16)) {
        throw new IllegalArgumentException(what + " must be 16 hex digits: '" + hex + "'");
      }
      return Hex.parseAnyCase(hex, 0, 16);
    }
  }
}
