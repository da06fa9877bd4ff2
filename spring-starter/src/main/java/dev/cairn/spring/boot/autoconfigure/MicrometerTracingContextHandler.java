package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.internal.context.ThreadScopes;
import dev.cairn.propagation.Getter;
import dev.cairn.propagation.Propagator;
import dev.cairn.propagation.Setter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Mirrors Micrometer Tracing's span of each observation into Cairn's context, for {@code
 * cairn.tracing.mode=micrometer}: Micrometer Tracing (Brave or OpenTelemetry bridge) records the
 * spans and writes the trace headers; while the observation is in scope, {@link
 * TraceContext#current()} carries the same trace id, span id, parent span id and sampled flag, so
 * Cairn's MDC ids, log fields, JFR events and diagnostics speak of the same trace. Closing the
 * observation's scope closes Cairn's, restoring the thread's previous context.
 *
 * <p>Cairn keeps its correlation id in this mode: a received request's id is read from the
 * request-id headers (else, when enabled, it is the trace id) and echoed in the response header;
 * outgoing calls carry it in the first request-id header. Trace and baggage headers are left to
 * Micrometer Tracing.
 *
 * <p>The span is read from the observation's own tracing state, which Micrometer Tracing's handler
 * fills when the observation starts, so the result does not depend on the order in which the two
 * handlers are registered. Nothing here throws into the instrumented code: failures are contained,
 * counted as {@code cairn.observation.errors{phase=mirror}} and reported once a minute.
 */
public final class MicrometerTracingContextHandler implements ObservationHandler<Observation.Context> {
  private final Propagator correlation;
  private final boolean generateCorrelationId;
  private final String echoHeader;
  private final Setter<Object> responseWriter;

  /**
   * @param correlation reads and writes the correlation id only (a request-id propagator, or a
   *     no-op one when request ids are not propagated)
   * @param generateCorrelationId whether a received request without an id gets its trace id
   * @param echoHeader response header echoing the correlation id; empty for none
   * @param responseWriter writes {@code echoHeader} into the framework's response object
   */
  MicrometerTracingContextHandler(
      Propagator correlation, boolean generateCorrelationId, String echoHeader, Setter<Object> responseWriter) {
    this.correlation = Objects.requireNonNull(correlation, "correlation");
    this.generateCorrelationId = generateCorrelationId;
    this.echoHeader = Objects.requireNonNull(echoHeader, "echoHeader");
    this.responseWriter = Objects.requireNonNull(responseWriter, "responseWriter");
  }

  @Override
  public boolean supportsContext(Observation.Context context) {
    return true;
  }

  @Override
  public void onStart(Observation.Context context) {
    try {
      Mirror m = new Mirror();
      if (context instanceof ReceiverContext) {
        m.correlationId = receivedCorrelationId((ReceiverContext<?>) context);
        m.echoPending = !echoHeader.isEmpty() && context instanceof RequestReplyReceiverContext;
      } else {
        m.correlationId = parentCorrelationId(context);
        if (context instanceof SenderContext) {
          inject((SenderContext<?>) context, m.correlationId);
        }
      }
      context.put(Mirror.class, m);
      // Micrometer Tracing's handler may have started its span already (it usually runs first);
      // then the id is echoed now, else when the first scope opens, still before the response.
      resolve(context, m);
    } catch (Throwable t) {
      contain(t);
    }
  }

  private <C> String receivedCorrelationId(ReceiverContext<C> context) {
    C carrier = context.getCarrier();
    if (carrier == null) {
      return "";
    }
    io.micrometer.observation.transport.Propagator.Getter<C> g = context.getGetter();
    Getter<C> getter =
        new Getter<>() {
          @Override
          public String get(C c, String name) {
            String v = g.get(c, name);
            return v == null ? "" : v;
          }

          @Override
          public List<String> getAll(C c, String name) {
            List<String> out = new ArrayList<>(1);
            Iterable<String> all = g.getAll(c, name);
            if (all != null) {
              for (String v : all) {
                if (v != null) {
                  out.add(v);
                }
              }
            }
            return out;
          }
        };
    return correlation.extract(TraceContext.empty(), carrier, getter).correlationIdOrEmpty();
  }

  private <C> void inject(SenderContext<C> context, String correlationId) {
    C carrier = context.getCarrier();
    if (carrier == null || correlationId.isEmpty()) {
      return;
    }
    io.micrometer.observation.transport.Propagator.Setter<C> s = context.getSetter();
    TraceContext withId = TraceContext.empty().withCorrelationId(correlationId);
    correlation.inject(withId, carrier, s::set);
  }

  /** The parent observation's correlation id, else the thread's current one. */
  private static String parentCorrelationId(Observation.Context context) {
    ObservationView parent = context.getParentObservation();
    if (parent != null) {
      Object p = parent.getContextView().get(Mirror.class);
      if (p instanceof Mirror) {
        return ((Mirror) p).correlationId;
      }
    }
    return TraceContext.current().correlationIdOrEmpty();
  }

  /** Builds the mirrored context once Micrometer Tracing's span exists; echoes the id once. */
  private void resolve(Observation.Context context, Mirror m) {
    if (m.context == null) {
      TracingObservationHandler.TracingContext tracing = context.get(TracingObservationHandler.TracingContext.class);
      Span span = tracing == null ? null : tracing.getSpan();
      if (span == null || span.isNoop()) {
        return;
      }
      io.micrometer.tracing.TraceContext tc = span.context();
      if (m.correlationId.isEmpty() && generateCorrelationId && context instanceof ReceiverContext) {
        m.correlationId = tc.traceId();
      }
      m.micrometerTraceId = tc.traceId();
      m.context = toCairn(tc, m.correlationId);
    }
    if (m.echoPending) {
      m.echoPending = false;
      Object response = ((RequestReplyReceiverContext<?, ?>) context).getResponse();
      if (response != null && !m.correlationId.isEmpty()) {
        responseWriter.set(response, echoHeader, m.correlationId);
      }
    }
  }

  static TraceContext toCairn(io.micrometer.tracing.TraceContext tc, String correlationId) {
    TraceContext.Builder b =
        TraceContext.builder()
            .traceId(tc.traceId())
            .spanId(tc.spanId())
            .sampled(Boolean.TRUE.equals(tc.sampled()))
            .correlationId(correlationId);
    String parent = tc.parentId();
    if (parent != null && !parent.isEmpty()) {
      b.parentSpanId(Long.parseUnsignedLong(parent, 16));
    }
    return b.build();
  }

  @Override
  public void onScopeOpened(Observation.Context context) {
    Mirror m = context.get(Mirror.class);
    if (m == null) {
      return;
    }
    try {
      resolve(context, m);
      if (m.context == null) {
        return;
      }
      m.push(MirroredContexts.makeCurrent(m.context, m.micrometerTraceId));
    } catch (Throwable t) {
      contain(t);
    }
  }

  @Override
  public void onScopeClosed(Observation.Context context) {
    Mirror m = context.get(Mirror.class);
    if (m == null) {
      return;
    }
    try {
      Scope s = m.popForCurrentThread();
      if (s != null) {
        s.close();
      }
    } catch (Throwable t) {
      contain(t);
    }
  }

  // Deprecated in Micrometer but still what Observation.Scope#reset() calls (context-propagation
  // uses it to clear a thread); without it a reset thread would keep the mirrored context.
  @Override
  @SuppressWarnings("deprecation")
  public void onScopeReset(Observation.Context context) {
    Mirror m = context.get(Mirror.class);
    if (m == null) {
      return;
    }
    try {
      for (Scope s = m.popForCurrentThread(); s != null; s = m.popForCurrentThread()) {
        s.close();
      }
    } catch (Throwable t) {
      contain(t);
    }
  }

  private static void contain(Throwable t) {
    MirroredContexts.contain(t);
  }

  @Override
  public String toString() {
    return "MicrometerTracingContextHandler[propagator=" + correlation.name() + ", echo=" + echoHeader + "]";
  }

  /** Per-observation state: the mirrored context and the Cairn scopes opened for it, per thread. */
  private static final class Mirror extends ThreadScopes {
    // Written by the thread that starts the observation, before any scope opens; a scope opened on
    // another thread sees them through the observation's context map (a concurrent map).
    volatile String correlationId = "";
    volatile String micrometerTraceId = "";
    volatile TraceContext context;
    volatile boolean echoPending;
  }
}
