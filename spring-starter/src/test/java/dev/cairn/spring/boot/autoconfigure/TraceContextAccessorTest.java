package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import dev.cairn.metrics.observation.CairnObservationHandler;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

/** Cairn's context and Micrometer's observation through context-propagation, as Reactor uses it. */
class TraceContextAccessorTest {

  private static List<Object> keys(ContextRegistry registry) {
    return registry.getThreadLocalAccessors().stream().map(a -> a.key()).toList();
  }

  @Test
  void register_putsCairnAheadOfAnObservationAccessorRegisteredEarlier() {
    ContextRegistry registry = new ContextRegistry();
    registry.registerThreadLocalAccessor(new ObservationThreadLocalAccessor());
    TraceContextAccessor.register(registry);
    assertThat(keys(registry)).containsExactly(TraceContextAccessor.KEY, ObservationThreadLocalAccessor.KEY);
  }

  @Test
  void register_isIdempotent() {
    ContextRegistry registry = new ContextRegistry();
    registry.registerThreadLocalAccessor(new ObservationThreadLocalAccessor());
    TraceContextAccessor.register(registry);
    TraceContextAccessor.register(registry);
    assertThat(keys(registry)).containsExactly(TraceContextAccessor.KEY, ObservationThreadLocalAccessor.KEY);
  }

  /**
   * What Reactor's automatic propagation does for a WebFlux request: the observation is in the
   * reactive context, Cairn's key is not, missing keys are cleared.
   */
  @Test
  void restoringOnlyAnObservation_makesItsCairnContextCurrentThenRestoresTheThread() {
    ContextRegistry registry = new ContextRegistry().loadContextAccessors(); // Reactor's Context
    registry.registerThreadLocalAccessor(new ObservationThreadLocalAccessor());
    TraceContextAccessor.register(registry);
    ObservationRegistry observations = ObservationRegistry.create();
    observations.observationConfig().observationHandler(CairnObservationHandler.builder().build());
    Observation request = Observation.start("request", observations);
    TraceContext expected = CairnObservationHandler.contextOf(request.getContext()).orElseThrow();
    TraceContext before = TraceContext.newRoot(true);
    AtomicReference<TraceContext> inside = new AtomicReference<>();
    try (Scope outer = before.makeCurrent()) {
      ContextSnapshotFactory factory = ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(true).build();
      try (io.micrometer.context.ContextSnapshot.Scope s =
          factory.setThreadLocalsFrom(Context.of(ObservationThreadLocalAccessor.KEY, request))) {
        inside.set(TraceContext.current());
      }
      assertThat(TraceContext.current()).isEqualTo(before);
    } finally {
      request.stop();
    }
    assertThat(inside.get()).isEqualTo(expected);
    assertThat(TraceContext.current().isValid()).isFalse();
  }
}
