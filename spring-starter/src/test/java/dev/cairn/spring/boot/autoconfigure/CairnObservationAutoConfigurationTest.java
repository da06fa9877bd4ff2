package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.context.TraceContext;
import dev.cairn.span.SpanData;
import dev.cairn.span.SpanKind;
import dev.cairn.span.SpanListener;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import dev.cairn.metrics.observation.BaggageTags;
import dev.cairn.metrics.observation.CairnObservationHandler;
import dev.cairn.propagation.Propagator;
import dev.cairn.propagation.Propagators;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class CairnObservationAutoConfigurationTest {
  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ObservationAutoConfiguration.class,
                  CairnTracingAutoConfiguration.class,
                  CairnObservationAutoConfiguration.class));

  static TraceContext serverContextThrough(ObservationRegistry registry) {
    ReceiverContext<Map<String, String>> c = new ReceiverContext<>((m, k) -> m.get(k));
    c.setCarrier(Map.of("traceparent", TRACEPARENT));
    Observation o = Observation.start("http.server.requests", () -> c, registry);
    o.stop();
    return CairnObservationHandler.contextOf(o.getContextView()).orElse(TraceContext.empty());
  }

  @Test
  void handlerIsRegisteredOnBootsObservationRegistry() {
    runner.run(
        ctx -> {
          assertThat(ctx).hasSingleBean(CairnObservationHandler.class);
          TraceContext c = serverContextThrough(ctx.getBean(ObservationRegistry.class));
          assertThat(c.traceIdHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        });
  }

  @Test
  void propagator_defaultsToW3cTraceContextBaggageAndRequestId() {
    runner.run(
        ctx ->
            assertThat(ctx.getBean(Propagator.class).fields())
                .contains("traceparent", "tracestate", "baggage", "x-request-id", "x-correlation-id"));
  }

  @Test
  void propagator_formatsAndRequestIdHeadersComeFromProperties() {
    runner
        .withPropertyValues("cairn.propagation.formats=b3multi,request-id", "cairn.propagation.request-id-headers=X-Trace-Ref")
        .run(
            ctx ->
                assertThat(ctx.getBean(Propagator.class).fields())
                    .contains("x-b3-traceid", "x-trace-ref")
                    .doesNotContain("traceparent", "x-request-id"));
  }

  @Test
  void propagator_acceptsOtelPropagatorNames() {
    runner
        .withPropertyValues("cairn.propagation.formats=tracecontext,xray")
        .run(ctx -> assertThat(ctx.getBean(Propagator.class).fields()).contains("traceparent", "x-amzn-trace-id"));
  }

  @Test
  void propagator_backsOffForAUserBean() {
    Propagator mine = Propagators.composite(Propagators.w3cTraceContext());
    runner.withBean(Propagator.class, () -> mine).run(ctx -> assertThat(ctx.getBean(Propagator.class)).isSameAs(mine));
  }

  @Test
  void handler_backsOffForAUserBean() {
    CairnObservationHandler mine = CairnObservationHandler.builder().build();
    runner
        .withBean(CairnObservationHandler.class, () -> mine)
        .run(ctx -> assertThat(ctx.getBean(CairnObservationHandler.class)).isSameAs(mine));
  }

  @Test
  void unknownFormat_failsStartupNamingTheValidOnes() {
    runner
        .withPropertyValues("cairn.propagation.formats=w3c,zipkin")
        .run(
            ctx ->
                assertThat(ctx)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("unknown format 'zipkin'")
                    .hasMessageContaining("valid: w3c"));
  }

  @Test
  void tracingModeMicrometer_leavesObservationsToMicrometerTracing() {
    runner
        .withPropertyValues("cairn.tracing.mode=micrometer")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(CairnObservationHandler.class).hasSingleBean(Propagator.class));
  }

  @Test
  void cairnDisabled_configuresNothing() {
    runner
        .withPropertyValues("cairn.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(CairnObservationHandler.class).doesNotHaveBean(Propagator.class));
  }

  @Test
  void baggageTags_onlyWhenNamesAreListed() {
    runner.run(ctx -> assertThat(ctx).doesNotHaveBean(BaggageTags.class));
    runner
        .withPropertyValues("cairn.metrics.baggage-tags=tenant,client.app")
        .run(ctx -> assertThat(ctx.getBean(BaggageTags.class).names()).containsExactly("tenant", "client.app"));
  }

  @Test
  void cairnInstance_isCreated_andClosedWithTheContext() {
    Cairn[] seen = new Cairn[1];
    runner.run(
        ctx -> {
          seen[0] = ctx.getBean(Cairn.class);
          assertThat(seen[0].isClosed()).isFalse();
        });
    assertThat(seen[0].isClosed()).isTrue();
  }

  @Test
  void observations_becomeSpansOfTheUsersCairn() {
    List<SpanData> ended = new CopyOnWriteArrayList<>();
    Cairn mine =
        Cairn.builder()
            .shutdownHook(false)
            .addSpanListener(
                new SpanListener() {
                  @Override
                  public void onEnd(SpanData span, Object state) {
                    ended.add(span);
                  }
                })
            .build();
    runner
        .withBean(Cairn.class, () -> mine)
        .run(
            ctx -> {
              assertThat(ctx.getBean(Cairn.class)).isSameAs(mine);
              serverContextThrough(ctx.getBean(ObservationRegistry.class));
            });
    mine.close();
    assertThat(ended).singleElement().satisfies(s -> assertThat(s.kind()).isEqualTo(SpanKind.SERVER));
  }

  @Test
  void ndjsonExport_writesTheSpansToAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spans.ndjson");
    runner
        .withPropertyValues("cairn.export.protocol=ndjson", "cairn.export.endpoint=" + file, "cairn.service-name=orders")
        .run(ctx -> serverContextThrough(ctx.getBean(ObservationRegistry.class)));
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(JsonMapper.builder().build().readTree(lines.get(0)).isObject()).isTrue();
  }

  @Test
  void otlpExport_postsSpansToTheEndpointFromTheStandardVariable() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    List<String> paths = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext(
        "/",
        ex -> {
          paths.add(ex.getRequestURI().getPath());
          bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(200, ok.length);
          ex.getResponseBody().write(ok);
          ex.close();
        });
    collector.start();
    try {
      runner
          .withInitializer(
              c ->
                  new CairnEnvironmentPostProcessor()
                      .postProcessEnvironment(c.getEnvironment(), new org.springframework.boot.SpringApplication()))
          .withPropertyValues(
              "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:" + collector.getAddress().getPort(),
              "cairn.export.gzip=false",
              "cairn.service-name=orders")
          .run(ctx -> serverContextThrough(ctx.getBean(ObservationRegistry.class)));
      // The context closed: Cairn flushed its queue within its deadline.
      assertThat(paths).contains("/v1/traces");
      JsonNode body = JsonMapper.builder().build().readTree(bodies.get(0));
      JsonNode span = body.get("resourceSpans").get(0).get("scopeSpans").get(0).get("spans").get(0);
      assertThat(span.get("traceId").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(span.get("kind").asInt()).isEqualTo(2); // SPAN_KIND_SERVER
    } finally {
      collector.stop(0);
    }
  }

  @Test
  void invalidSamplingRatio_failsStartup() {
    runner
        .withPropertyValues("cairn.tracing.sampling-ratio=1.5")
        .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("sampling-ratio must be within 0.0 and 1.0"));
  }

  @Test
  void withoutMicrometerObservation_nothingIsConfigured() {
    runner
        .withClassLoader(new FilteredClassLoader("io.micrometer.observation"))
        .run(ctx -> assertThat(ctx).doesNotHaveBean(CairnObservationHandler.class));
  }
}
