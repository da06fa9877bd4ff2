package dev.cairn.metrics.observation;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.internal.context.ThreadScopes;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.propagation.Getter;
import dev.cairn.propagation.Propagator;
import dev.cairn.propagation.Propagators;
import dev.cairn.propagation.Setter;
import dev.cairn.span.Span;
import dev.cairn.span.SpanKind;
import dev.cairn.span.StatusCode;
import dev.cairn.span.Tracer;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Gives every Micrometer {@link Observation} a Cairn context: anything instrumented with the
 * Observation API (Spring's HTTP server and clients, {@code @Observed}, messaging) thereby gets
 * propagation, MDC ids and correlation.
 *
 * <ul>
 *   <li>{@link ReceiverContext} (a server receiving a request): the remote context is extracted
 *       from the carrier with the configured {@link Propagator}; the observation's context is a
 *       child of it (or a new trace when the request carries none), current on the thread, with
 *       MDC ids, for each of the observation's scopes. A request without a correlation id gets one
 *       (the trace id) unless turned off; with {@link Builder#echoCorrelationId} it is written to
 *       the response of a {@link RequestReplyReceiverContext}.
 *   <li>{@link SenderContext} (a client sending a request): a child of the parent observation's
 *       context (or of the thread's current context) is injected into the carrier.
 *   <li>Any other observation: a child of its parent, current for its scopes.
 * </ul>
 *
 * <p>With a {@linkplain Builder#tracer tracer}, each observation is also recorded as a span of the
 * matching kind, whose context is the one made current.
 *
 * <p>Nothing here throws into the instrumented code: a failing getter, setter, propagator or
 * response writer is contained, counted as {@code cairn.observation.errors{phase}} and reported
 * once a minute.
 *
 * <p>Register it on an {@code ObservationRegistry}: {@code
 * registry.observationConfig().observationHandler(CairnObservationHandler.builder().build())}.
 * The Spring Boot starter does this for you.
 */
public final class CairnObservationHandler implements ObservationHandler<Observation.Context> {
  /** Key under which the per-observation state is stored in the observation's context. */
  private static final Class<State> KEY = State.class;

  private static final SelfCounter START_ERRORS = errors("start");
  private static final SelfCounter SCOPE_ERRORS = errors("scope");
  private static final SelfCounter ECHO_ERRORS = errors("echo");
  private static final SelfCounter STOP_ERRORS = errors("stop");

  private final Propagator propagator;
  private final boolean generateCorrelationId;
  private final String echoHeader;
  private final Setter<Object> responseWriter;
  private final boolean allObservations;
  private final Tracer tracer;

  private CairnObservationHandler(Builder b) {
    this.tracer = b.tracer;
    this.propagator = b.propagator;
    this.generateCorrelationId = b.generateCorrelationId;
    this.echoHeader = b.echoHeader;
    this.responseWriter = b.responseWriter;
    this.allObservations = b.allObservations;
  }

  private static SelfCounter errors(String phase) {
    return SelfCounters.GLOBAL.counter(
        "cairn.observation.errors",
        "Failures contained while Cairn handled a Micrometer observation (carrier access, propagator, response writer)",
        "errors",
        "phase",
        phase);
  }

  /** Failures contained so far, all phases (tests; the meter is {@code cairn.observation.errors}). */
  static long errorCount() {
    return START_ERRORS.count() + SCOPE_ERRORS.count() + ECHO_ERRORS.count() + STOP_ERRORS.count();
  }

  /** A builder with the defaults: {@link Propagators#defaults()}, correlation ids generated, no echo. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The Cairn context of an observation this handler has started, for filters, conventions and
   * tests. Empty for observations it does not handle.
   */
  public static Optional<TraceContext> contextOf(Observation.ContextView observation) {
    State s = stateOf(observation);
    return s == null ? Optional.empty() : Optional.of(s.context);
  }

  static State stateOf(Observation.ContextView observation) {
    if (observation == null) {
      return null;
    }
    Object s = observation.get(KEY);
    return s instanceof State ? (State) s : null;
  }

  @Override
  public boolean supportsContext(Observation.Context context) {
    return allObservations || context instanceof ReceiverContext || context instanceof SenderContext;
  }

  @Override
  public void onStart(Observation.Context context) {
    try {
      State state;
      if (context instanceof ReceiverContext) {
        state = startServer((ReceiverContext<?>) context);
      } else if (context instanceof SenderContext) {
        state = startClient((SenderContext<?>) context);
      } else {
        state = start(context, parentOf(context), SpanKind.INTERNAL);
      }
      context.put(KEY, state);
    } catch (Throwable t) {
      contain(t, START_ERRORS, "start");
    }
  }

  private <C> State startServer(ReceiverContext<C> context) {
    C carrier = context.getCarrier();
    TraceContext remote = TraceContext.empty();
    if (carrier != null) {
      remote = propagator.extract(TraceContext.empty(), carrier, new GetterAdapter<>(context.getGetter()));
    }
    State state = start(context, remote, SpanKind.SERVER);
    TraceContext ctx = state.context;
    if (generateCorrelationId && ctx.correlationIdOrEmpty().isEmpty()) {
      // The trace id is already unique and rendered once; reusing it costs nothing and ties the
      // correlation id a user sees in a response header to the trace.
      ctx = ctx.withCorrelationId(ctx.traceIdHex());
      state = new State(ctx, state.span);
    }
    if (!echoHeader.isEmpty() && context instanceof RequestReplyReceiverContext) {
      echo(((RequestReplyReceiverContext<C, ?>) context).getResponse(), ctx);
    }
    return state;
  }

  private void echo(Object response, TraceContext ctx) {
    String id = ctx.correlationIdOrEmpty();
    if (response == null || id.isEmpty()) {
      return;
    }
    try {
      responseWriter.set(response, echoHeader, id);
    } catch (Throwable t) {
      contain(t, ECHO_ERRORS, "echo");
    }
  }

  private <C> State startClient(SenderContext<C> context) {
    State state = start(context, parentOf(context), SpanKind.CLIENT);
    C carrier = context.getCarrier();
    if (carrier != null) {
      propagator.inject(state.context, carrier, new SetterAdapter<>(context.getSetter()));
    }
    return state;
  }

  /**
   * A child of {@code parent}: a span of the tracer when one is configured (its context, which
   * carries the parent's baggage and correlation id), else a bare child context.
   */
  private State start(Observation.Context context, TraceContext parent, SpanKind kind) {
    if (tracer == null) {
      return new State(parent.newChild(), null);
    }
    String name = context.getContextualName();
    if (name == null || name.isEmpty()) {
      name = context.getName();
    }
    Span span = tracer.spanBuilder(name).setParent(parent).setKind(kind).startSpan();
    TraceContext ctx = span.context();
    if (!ctx.isValid()) {
      // A disabled tracer: the request still gets ids for logs and propagation.
      return new State(parent.newChild(), span);
    }
    return new State(ctx, span);
  }

  @Override
  public void onError(Observation.Context context) {
    State state = stateOf(context);
    if (state == null || state.span == null) {
      return;
    }
    try {
      Throwable error = context.getError();
      if (error != null) {
        state.span.recordException(error).setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
      }
    } catch (Throwable t) {
      contain(t, STOP_ERRORS, "stop");
    }
  }

  @Override
  public void onEvent(Observation.Event event, Observation.Context context) {
    State state = stateOf(context);
    if (state == null || state.span == null) {
      return;
    }
    try {
      state.span.addEvent(event.getContextualName());
    } catch (Throwable t) {
      contain(t, STOP_ERRORS, "stop");
    }
  }

  @Override
  public void onStop(Observation.Context context) {
    State state = stateOf(context);
    if (state == null || state.span == null) {
      return;
    }
    try {
      Span span = state.span;
      if (span.isRecording()) {
        String name = context.getContextualName();
        if (name != null && !name.isEmpty()) {
          span.updateName(name);
        }
        for (KeyValue kv : context.getLowCardinalityKeyValues()) {
          span.setAttribute(kv.getKey(), kv.getValue());
        }
        for (KeyValue kv : context.getHighCardinalityKeyValues()) {
          span.setAttribute(kv.getKey(), kv.getValue());
        }
      }
      span.end();
    } catch (Throwable t) {
      contain(t, STOP_ERRORS, "stop");
    }
  }

  /** The parent observation's Cairn context when it has one, else the thread's current context. */
  private static TraceContext parentOf(Observation.Context context) {
    ObservationView parent = context.getParentObservation();
    if (parent != null) {
      State s = stateOf(parent.getContextView());
      if (s != null) {
        return s.context;
      }
    }
    return TraceContext.current();
  }

  @Override
  public void onScopeOpened(Observation.Context context) {
    State state = stateOf(context);
    if (state == null) {
      return;
    }
    try {
      state.push(state.context.makeCurrent());
    } catch (Throwable t) {
      contain(t, SCOPE_ERRORS, "scope");
    }
  }

  @Override
  public void onScopeClosed(Observation.Context context) {
    State state = stateOf(context);
    if (state == null) {
      return;
    }
    try {
      Scope s = state.popForCurrentThread();
      if (s != null) {
        s.close();
      }
    } catch (Throwable t) {
      contain(t, SCOPE_ERRORS, "scope");
    }
  }

  // Deprecated in Micrometer but still what Observation.Scope#reset() calls (context-propagation
  // uses it to clear a thread); without it a reset thread would keep Cairn's context.
  @Override
  @SuppressWarnings("deprecation")
  public void onScopeReset(Observation.Context context) {
    State state = stateOf(context);
    if (state == null) {
      return;
    }
    try {
      for (Scope s = state.popForCurrentThread(); s != null; s = state.popForCurrentThread()) {
        s.close();
      }
    } catch (Throwable t) {
      contain(t, SCOPE_ERRORS, "scope");
    }
  }

  private static void contain(Throwable t, SelfCounter counter, String phase) {
    Fatal.rethrowIfFatal(t);
    counter.increment();
    Reporter.warn("observation." + phase, "Cairn's observation handler failed (" + phase + "): " + t, t);
  }

  @Override
  public String toString() {
    return "CairnObservationHandler[propagator=" + propagator.name() + ", echo=" + echoHeader + "]";
  }

  /** Per-observation state: its context, its span (if any) and the scopes opened for it, per thread. */
  static final class State extends ThreadScopes {
    final TraceContext context;
    final Span span;

    State(TraceContext context, Span span) {
      this.context = context;
      this.span = span;
    }

    @Override
    public String toString() {
      return "cairn:" + context;
    }
  }

  /** Adapts Micrometer's getter; a throwing getter reads as absent. */
  private static final class GetterAdapter<C> implements Getter<C> {
    private final io.micrometer.observation.transport.Propagator.Getter<C> delegate;

    GetterAdapter(io.micrometer.observation.transport.Propagator.Getter<C> delegate) {
      this.delegate = delegate;
    }

    @Override
    public String get(C carrier, String name) {
      String v = delegate.get(carrier, name);
      return v == null ? "" : v;
    }

    @Override
    public List<String> getAll(C carrier, String name) {
      Iterable<String> all = delegate.getAll(carrier, name);
      if (all == null) {
        return List.of();
      }
      List<String> out = new ArrayList<>(2);
      for (String v : all) {
        if (v != null) {
          out.add(v);
        }
      }
      return out;
    }
  }

  private static final class SetterAdapter<C> implements Setter<C> {
    private final io.micrometer.observation.transport.Propagator.Setter<C> delegate;

    SetterAdapter(io.micrometer.observation.transport.Propagator.Setter<C> delegate) {
      this.delegate = delegate;
    }

    @Override
    public void set(C carrier, String name, String value) {
      delegate.set(carrier, name, value);
    }
  }

  /** Builds a {@link CairnObservationHandler}. */
  public static final class Builder {
    private Propagator propagator = Propagators.defaults();
    private boolean generateCorrelationId = true;
    private String echoHeader = "";
    private Setter<Object> responseWriter = (r, n, v) -> {};
    private boolean allObservations = true;
    private Tracer tracer;

    private Builder() {}

    /**
     * Records each observation as a span of this tracer: {@link SpanKind#SERVER} for receiver
     * contexts, {@link SpanKind#CLIENT} for sender contexts, {@link SpanKind#INTERNAL} otherwise;
     * named by the observation's contextual name; errors recorded as exception events with status
     * {@code ERROR}; low- and high-cardinality key-values as attributes; ended when the
     * observation stops. Without a tracer the handler gives observations contexts but no spans.
     */
    public Builder tracer(Tracer tracer) {
      this.tracer = Objects.requireNonNull(tracer, "tracer");
      return this;
    }

    /**
     * The formats read from requests and written to outgoing calls (default {@link
     * Propagators#defaults()}: W3C Trace Context, W3C Baggage, {@code X-Request-ID}).
     */
    public Builder propagator(Propagator propagator) {
      this.propagator = Objects.requireNonNull(propagator, "propagator");
      return this;
    }

    /**
     * Whether a received request that carries no correlation id gets one (its trace id). Default
     * true.
     */
    public Builder generateCorrelationId(boolean generate) {
      this.generateCorrelationId = generate;
      return this;
    }

    /**
     * Writes the correlation id of each received request to its response, under {@code header},
     * through {@code responseWriter} (which knows the framework's response type, e.g. {@code
     * HttpServletResponse#setHeader}). It runs when the observation starts, before the response is
     * committed.
     *
     * @throws IllegalArgumentException when the header name is blank or not an HTTP token
     */
    public Builder echoCorrelationId(String header, Setter<Object> responseWriter) {
      Objects.requireNonNull(header, "header");
      Objects.requireNonNull(responseWriter, "responseWriter");
      if (!dev.cairn.context.Baggage.isValidName(header)) {
        throw new IllegalArgumentException("response header must be an HTTP token: '" + header + "'");
      }
      this.echoHeader = header;
      this.responseWriter = responseWriter;
      return this;
    }

    /**
     * Whether observations that are neither receiver nor sender contexts ({@code @Observed}
     * methods, repository calls) also get a child context. Default true.
     */
    public Builder allObservations(boolean all) {
      this.allObservations = all;
      return this;
    }

    /** Builds the handler. */
    public CairnObservationHandler build() {
      return new CairnObservationHandler(this);
    }
  }
}
