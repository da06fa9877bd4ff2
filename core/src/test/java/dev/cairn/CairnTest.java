package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.context.Scope;
import dev.cairn.export.ExportResult;
import dev.cairn.export.NdjsonExporter;
import dev.cairn.export.SpanNdjson;
import dev.cairn.pipeline.ExportSettings;
import dev.cairn.pipeline.ExporterHealth;
import dev.cairn.pipeline.Pipeline;
import dev.cairn.resource.Resource;
import dev.cairn.span.Sampler;
import dev.cairn.span.Span;
import dev.cairn.span.SpanData;
import dev.cairn.span.Tracer;
import dev.cairn.testing.InMemoryExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

@Timeout(30)
class CairnTest {

  @Test
  void tracerSpansReachTheNdjsonFileOnClose(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spans.ndjson");
    Resource resource = Resource.builder().serviceName("checkout").build();
    Cairn cairn =
        Cairn.builder()
            .resource(resource)
            .shutdownHook(false)
            .addSpanExporter(
                NdjsonExporter.builder(SpanNdjson.encoder(resource)).file(file).build(),
                ExportSettings.builder().scheduleDelay(Duration.ofMinutes(1)).build())
            .build();
    Tracer tracer = cairn.tracer();
    Span parent = tracer.startSpan("parent");
    try (Scope ignored = parent.makeCurrent()) {
      tracer.startSpan("child").end();
    }
    parent.end();
    assertThat(cairn.close(Duration.ofSeconds(10))).isTrue();

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    JsonMapper json = JsonMapper.builder().build();
    assertThat(json.readTree(lines.get(0)).get("name").asString()).isEqualTo("child");
    assertThat(json.readTree(lines.get(0)).get("parentSpanId").asString())
        .isEqualTo(parent.context().spanIdHex());
    assertThat(json.readTree(lines.get(1)).get("resource").get("service.name").asString())
        .isEqualTo("checkout");
  }

  @Test
  void config_isTheBuiltConfigurationWithDefaultsFilledIn() {
    Cairn cairn =
        Cairn.builder().serviceName("orders").sampler(Sampler.alwaysOff()).shutdownHook(false).build();
    try {
      assertThat(cairn.config().serviceName()).isEqualTo("orders");
      assertThat(cairn.config().sampler()).isSameAs(Sampler.alwaysOff());
      assertThat(cairn.config().closeTimeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(cairn.resource().attributes()).containsKey("process.pid");
    } finally {
      cairn.close();
    }
  }

  @Test
  void serviceName_overridesAnExplicitResource() {
    Cairn cairn =
        Cairn.builder()
            .resource(Resource.builder().serviceName("from-resource").put("team", "a").build())
            .serviceName("explicit")
            .shutdownHook(false)
            .build();
    assertThat(cairn.config().serviceName()).isEqualTo("explicit");
    assertThat(cairn.resource().getString("team")).contains("a");
    cairn.close();
  }

  @Test
  void buildAndRegisterGlobal_setsTheGlobalUntilClosed() {
    assertThat(Cairn.global()).isSameAs(Cairn.noop());
    Cairn cairn = Cairn.builder().shutdownHook(false).buildAndRegisterGlobal();
    assertThat(Cairn.global()).isSameAs(cairn);
    cairn.close();
    assertThat(Cairn.global()).isSameAs(Cairn.noop());
  }

  @Test
  void noop_isClosedAndHandsOutTheNoopSpan() {
    assertThat(Cairn.noop().tracer().startSpan("x")).isSameAs(Span.noop());
    assertThat(Cairn.noop().isClosed()).isTrue();
    assertThat(Cairn.noop().close(Duration.ZERO)).isTrue();
    assertThat(Cairn.builder().enabled(false).build()).isSameAs(Cairn.noop());
  }

  @Test
  void afterClose_tracersHandOutTheNoopSpan() {
    Cairn cairn = Cairn.builder().shutdownHook(false).build();
    Tracer held = cairn.tracer("held");
    cairn.close();
    assertThat(cairn.tracer().startSpan("x")).isSameAs(Span.noop());
    assertThat(held.startSpan("x")).isSameAs(Span.noop());
  }

  @Test
  void close_withAHangingExporter_returnsAtItsDeadlineAndLeavesNoCairnThreads() throws Exception {
    // RELIABILITY H36, bounded and in-process.
    CountDownLatch never = new CountDownLatch(1);
    InMemoryExporter<SpanData> hanging =
        new InMemoryExporter<SpanData>("hanging")
            .behave(
                b -> {
                  try {
                    never.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return ExportResult.failure("interrupted", "stopped");
                });
    Cairn cairn =
        Cairn.builder()
            .shutdownHook(false)
            .addSpanExporter(hanging, ExportSettings.builder().maxBatchSize(1).build())
            .build();
    for (int i = 0; i < 100; i++) {
      cairn.tracer().startSpan("s" + i).end();
    }
    List<Thread> threads = cairn.tracing().pipeline().threads();
    assertThat(cairn.close(Duration.ofMillis(300))).isFalse();
    for (Thread t : threads) {
      t.join(5000);
      assertThat(t.isAlive()).isFalse();
    }
    ExporterHealth h = cairn.exporterHealth().get(0);
    assertThat(h.exported() + h.dropped() + h.queued()).isEqualTo(100);
    assertThat(h.queued()).isZero();
  }

  @Test
  void closeOwnsAddedPipelines() {
    InMemoryExporter<String> logs = new InMemoryExporter<>("logs");
    Pipeline<String> logPipeline = Pipeline.<String>builder("logs").addExporter(logs).build();
    Cairn cairn = Cairn.builder().shutdownHook(false).addPipeline(logPipeline).build();
    logPipeline.emit("hello");
    assertThat(cairn.exporterHealth()).extracting(ExporterHealth::signal).contains("logs");
    cairn.close();
    assertThat(logs.items()).containsExactly("hello");
    assertThat(logs.isClosed()).isTrue();
  }

  @Test
  void createAndClose100Times_leavesNoCairnThreads() throws Exception {
    // RELIABILITY H35, bounded and in-process (no throwaway class loader).
    List<Thread> started = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Cairn cairn =
          Cairn.builder()
              .addSpanExporter(new InMemoryExporter<>("lifecycle"))
              .addSpanExporter(new InMemoryExporter<>("lifecycle2"))
              .build();
      cairn.tracer().startSpan("s").end();
      started.addAll(cairn.tracing().pipeline().threads());
      cairn.close();
    }
    for (Thread t : started) {
      t.join(5000);
    }
    assertThat(started).hasSize(200).noneMatch(Thread::isAlive);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("cairn-export-spans-lifecycle"));
  }

  @Test
  void builder_rejectsBadConfigurationWithAPreciseMessage() {
    assertThatThrownBy(() -> Cairn.builder().serviceName(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("serviceName");
    assertThatThrownBy(() -> Cairn.builder().closeTimeout(Duration.ofMinutes(11)))
        .hasMessageContaining("closeTimeout");
  }
}
