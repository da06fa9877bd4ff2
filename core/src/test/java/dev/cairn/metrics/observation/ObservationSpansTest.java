package dev.cairn.metrics.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.context.TraceContext;
import dev.cairn.span.Sampler;
import dev.cairn.span.SpanData;
import dev.cairn.span.SpanKind;
import dev.cairn.span.SpanListener;
import dev.cairn.span.StatusCode;
import dev.cairn.span.Tracing;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With a tracer, every observation is also a span of the matching kind. */
class ObservationSpansTest {
  static final String REMOTE_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String REMOTE_SPAN = "00f067aa0ba902b7";

  final List<SpanData> ended = new CopyOnWriteArrayList<>();
  Tracing tracing;
  ObservationRegistry registry;

  @BeforeEach
  void setUp() {
    tracing =
        Tracing.builder()
            .sampler(Sampler.alwaysOn())
            .addListener(
                new SpanListener() {
                  @Override
                  public void onEnd(SpanData span, Object state) {
                    ended.add(span);
                  }
                })
            .build();
    registry = ObservationRegistry.create();
    registry.observationConfig()
        .observationHandler(CairnObservationHandler.builder().tracer(tracing.tracer("test")).build());
  }

  @AfterEach
  void tearDown() {
    tracing.close(java.time.Duration.ofSeconds(1));
    assertThat(TraceContext.current()).isSameAs(TraceContext.empty());
  }

  static ReceiverContext<Map<String, String>> server() {
    ReceiverContext<Map<String, String>> c = new ReceiverContext<>(Map::get);
    c.setCarrier(Map.of("traceparent", "00-" + REMOTE_TRACE + "-" + REMOTE_SPAN + "-01"));
    return c;
  }

  @Test
  void serverObservation_isAServerSpanWhoseParentIsTheRemoteCaller() {
    Observation o = Observation.start("http.server.requests", ObservationSpansTest::server, registry);
    TraceContext current;
    try (Observation.Scope s = o.openScope()) {
      current = TraceContext.current();
    }
    o.stop();
    assertThat(ended).hasSize(1);
    SpanData span = ended.get(0);
    assertThat(span.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.context().traceIdHex()).isEqualTo(REMOTE_TRACE);
    assertThat(span.context().parentSpanIdHex()).isEqualTo(REMOTE_SPAN);
    assertThat(span.parentIsRemote()).isTrue();
    assertThat(current.spanId()).isEqualTo(span.context().spanId());
  }

  @Test
  void clientObservationInsideServer_isAClientSpanChildOfTheServerSpan_andItsIdsAreInjected() {
    Observation server = Observation.start("http.server.requests", ObservationSpansTest::server, registry);
    Map<String, String> headers = new HashMap<>();
    try (Observation.Scope s = server.openScope()) {
      SenderContext<Map<String, String>> c = new SenderContext<>(Map::put);
      c.setCarrier(headers);
      Observation.start("http.client.requests", () -> c, registry).stop();
    }
    server.stop();
    SpanData client = ended.get(0);
    SpanData srv = ended.get(1);
    assertThat(client.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(client.context().parentSpanId()).isEqualTo(srv.context().spanId());
    assertThat(headers.get("traceparent")).isEqualTo("00-" + REMOTE_TRACE + "-" + client.context().spanIdHex() + "-01");
  }

  @Test
  void contextualNameKeyValuesAndErrors_endUpOnTheSpan() {
    Observation o = Observation.start("orders.place", registry);
    o.contextualName("place order");
    o.lowCardinalityKeyValue(KeyValue.of("region", "eu"));
    o.highCardinalityKeyValue(KeyValue.of("order.id", "o-17"));
    o.error(new IllegalStateException("out of stock"));
    o.stop();
    SpanData span = ended.get(0);
    assertThat(span.name()).isEqualTo("place order");
    assertThat(span.kind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(span.attributes().get("region")).contains("eu");
    assertThat(span.attributes().get("order.id")).contains("o-17");
    assertThat(span.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.events()).anySatisfy(e -> assertThat(e.name()).isEqualTo("exception"));
  }

  @Test
  void unsampledTraces_stillGetIdsForLogsAndPropagation() {
    Tracing off = Tracing.builder().sampler(Sampler.alwaysOff()).build();
    ObservationRegistry r = ObservationRegistry.create();
    r.observationConfig().observationHandler(CairnObservationHandler.builder().tracer(off.tracer("t")).build());
    Observation o = Observation.start("work", r);
    assertThat(CairnObservationHandler.contextOf(o.getContextView()).orElseThrow().isValid()).isTrue();
    o.stop();
    off.close(java.time.Duration.ofSeconds(1));
  }
}
