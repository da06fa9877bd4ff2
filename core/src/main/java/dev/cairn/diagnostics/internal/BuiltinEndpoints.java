package dev.cairn.diagnostics.internal;

import dev.cairn.diagnostics.Access;
import dev.cairn.diagnostics.DiagnosticsEndpoint;
import dev.cairn.diagnostics.DiagnosticsRequest;
import dev.cairn.diagnostics.DiagnosticsResponse;
import dev.cairn.diagnostics.DiagnosticsSettings;
import dev.cairn.diagnostics.Fingerprint;
import dev.cairn.diagnostics.RecentErrors;
import dev.cairn.diagnostics.RecentTraces;
import dev.cairn.diagnostics.Redactor;
import dev.cairn.diagnostics.SlowSpans;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.metrics.CairnMetrics;
import dev.cairn.metrics.MeterSnapshots;
import dev.cairn.pipeline.ExporterHealth;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The endpoints every diagnostics surface has. See {@code docs/diagnostics.md} for the list.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class BuiltinEndpoints {
  private final DiagnosticsSettings settings;
  private final Redactor redactor;
  private final Supplier<Fingerprint> fingerprint;
  private final Optional<MeterRegistry> registry;
  private final Optional<CairnMetrics> metrics;
  private final RecentErrors errors;
  private final SlowSpans slowSpans;
  private final Supplier<? extends Collection<DiagnosticsEndpoint>> all;
  private final Supplier<List<ExporterHealth>> exporterHealth;
  private final RecentTraces traces;
  private final SelfCounters selfCounters;
  private final ThreadDumps threads;
  private final JvmProbe jvm;

  public BuiltinEndpoints(
      DiagnosticsSettings settings,
      Redactor redactor,
      Supplier<Fingerprint> fingerprint,
      Optional<MeterRegistry> registry,
      Optional<CairnMetrics> metrics,
      RecentErrors errors,
      SlowSpans slowSpans,
      RecentTraces traces,
      Supplier<List<ExporterHealth>> exporterHealth,
      SelfCounters selfCounters,
      Supplier<? extends Collection<DiagnosticsEndpoint>> all) {
    this.settings = settings;
    this.redactor = redactor;
    this.fingerprint = fingerprint;
    this.registry = registry;
    this.metrics = metrics;
    this.errors = errors;
    this.slowSpans = slowSpans;
    this.all = all;
    this.exporterHealth = exporterHealth;
    this.traces = traces;
    this.selfCounters = selfCounters;
    this.threads = new ThreadDumps(redactor, settings.maxStackFrames(), settings.maxThreads());
    this.jvm = new JvmProbe(redactor);
  }

  public List<DiagnosticsEndpoint> endpoints() {
    List<DiagnosticsEndpoint> l = new ArrayList<>();
    l.add(get("/", "This page", r -> DiagnosticsResponse.of(200, DiagnosticsResponse.HTML, IndexPage.render(all.get(), r.mount()))));
    l.add(get("/endpoints", "Every endpoint as JSON", r -> json(this::endpointsJson)));
    l.add(get("/fingerprint", "Environment fingerprint (JVM, OS, container, pod, build, libraries)",
        r -> DiagnosticsResponse.json(fingerprint.get().toJson())));
    l.add(get("/threads", "Thread dump as text, deadlocks first", r -> DiagnosticsResponse.text(threads.text())));
    l.add(get("/threads/json", "Thread dump as JSON with lock owners", r -> json(threads::json)));
    l.add(get("/threads/deadlocks", "Deadlocked threads (monitors and ownable synchronizers)",
        r -> json(threads::deadlocksJson)));
    // Listed only where it can answer: every link of the index page opens.
    if (Runtime.version().feature() >= 21) {
    l.add(get("/threads/all", "The JDK's JSON thread dump including virtual threads (JDK 21+)",
        r -> {
          Path tmp = Files.createTempDirectory("cairn-threads");
          try {
            Optional<String> s = threads.virtualAwareJson(tmp, settings.maxResponseBytes());
            return s.map(DiagnosticsResponse::json)
                .orElseGet(() -> DiagnosticsResponse.error(404, "needs JDK 21 or later"));
          } finally {
            Files.deleteIfExists(tmp);
          }
        }));
    }
    l.add(DiagnosticsEndpoint.exclusiveRead("/heap/histogram",
        "Top classes by bytes (?top=N, ?live=true forces a full GC first)",
        r -> {
          int top = r.intParam("top", settings.histogramTop(), 1, 10_000);
          boolean live = "true".equals(r.param("live").orElse("false"));
          return json(w -> jvm.heapHistogramJson(w, top, live));
        }));
    l.add(DiagnosticsEndpoint.of("/heap/dump", "POST", Access.DUMP,
        "Heap dump (.hprof, live objects) as a download; needs dumps enabled", this::heapDump));
    l.add(get("/jvm", "Uptime, memory pools, GC, threads, classes, flags, arguments", r -> json(jvm::jvmJson)));
    l.add(get("/system-properties", "System properties, secrets redacted", r -> json(jvm::systemPropertiesJson)));
    l.add(get("/environment", "Environment variables, secrets redacted", r -> json(jvm::environmentJson)));
    l.add(get("/errors", "Recent errors (bounded ring)", r -> json(this::errorsJson)));
    l.add(get("/spans/slow", "Recent slow spans (bounded ring)", r -> json(this::slowSpansJson)));
    l.add(get("/traces", "Recent traces as waterfalls and this instance's service map (HTML)",
        r -> DiagnosticsResponse.of(200, DiagnosticsResponse.HTML,
            TracesPage.render(traces, r.intParam("traces", 20, 1, 200)))));
    l.add(get("/traces/json", "Recent spans grouped by trace (JSON)",
        r -> json(w -> tracesJson(w, r.intParam("traces", 20, 1, 200)))));
    l.add(get("/health", "Cairn's own health: exporter drops, cardinality overflows, propagation rejections",
        r -> json(this::healthJson)));
    l.add(get("/metrics", "Micrometer meters as JSON",
        r -> registry
            .map(reg -> DiagnosticsResponse.json(MeterSnapshots.toJson(reg)))
            .orElseGet(() -> DiagnosticsResponse.error(404, "no meter registry configured"))));
    if (metrics.isPresent()) {
      l.add(get("/metrics/prometheus", "Micrometer meters as Prometheus text",
          r -> metrics
              .flatMap(CairnMetrics::prometheusText)
              .map(t -> DiagnosticsResponse.of(200, DiagnosticsResponse.PROMETHEUS, t))
              .orElseGet(() -> DiagnosticsResponse.error(404, "no Prometheus registry configured"))));
    }
    return l;
  }

  private static DiagnosticsEndpoint get(String path, String description, DiagnosticsEndpoint.Handler h) {
    return DiagnosticsEndpoint.of(path, "GET", Access.READ, description, h);
  }

  interface Body {
    void write(JsonOut w) throws Exception;
  }

  private DiagnosticsResponse json(Body body) throws Exception {
    JsonOut w = new JsonOut((int) Math.min(Integer.MAX_VALUE - 16, settings.maxResponseBytes()));
    body.write(w);
    return DiagnosticsResponse.json(w.toByteArray());
  }

  private DiagnosticsResponse heapDump(DiagnosticsRequest r) throws Exception {
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    if (used > r.maxDumpBytes()) {
      return DiagnosticsResponse.error(
          413, "heap in use (" + used + " bytes) exceeds cairn.diagnostics.dumps.max-bytes (" + r.maxDumpBytes() + ")");
    }
    Path file = r.scratchDirectory().resolve("heap-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis() + ".hprof");
    com.sun.management.HotSpotDiagnosticMXBean hs =
        ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
    hs.dumpHeap(file.toString(), true);
    return DiagnosticsResponse.file(file, "application/octet-stream", file.getFileName().toString(), true);
  }

  private void endpointsJson(JsonOut w) {
    w.beginObject().name("endpoints").beginArray();
    for (DiagnosticsEndpoint e : all.get()) {
      w.beginObject()
          .field("path", e.path())
          .field("method", e.method())
          .field("access", e.access().name())
          .field("exclusive", e.exclusive())
          .field("description", e.description())
          .endObject();
    }
    w.endArray();
    w.field("writeEnabled", settings.writeEnabled());
    w.field("dumpsEnabled", settings.dumpsEnabled());
    w.endObject();
  }

  private void errorsJson(JsonOut w) {
    w.beginObject();
    w.field("capacity", errors.capacity());
    w.field("recorded", errors.recorded());
    w.field("overwritten", errors.overwritten());
    w.name("errors").beginArray();
    for (RecentErrors.Entry e : errors.snapshot()) {
      w.beginObject()
          .field("time", e.time().toString())
          .field("source", redactor.redactValue(e.source()))
          .field("message", redactor.redactValue(e.message()))
          .field("errorType", e.errorType())
          .field("errorMessage", redactor.redactValue(e.errorMessage()))
          .field("where", e.where())
          .field("traceId", e.traceId())
          .endObject();
    }
    w.endArray();
    w.endObject();
  }

  private void slowSpansJson(JsonOut w) {
    w.beginObject();
    w.field("capacity", slowSpans.capacity());
    w.field("threshold.ms", slowSpans.thresholdNanos() / 1_000_000);
    w.field("recorded", slowSpans.recorded());
    w.field("overwritten", slowSpans.overwritten());
    w.name("spans").beginArray();
    for (SlowSpans.Entry s : slowSpans.snapshot()) {
      w.beginObject()
          .field("name", s.name())
          .field("kind", s.kind())
          .field("traceId", s.traceId())
          .field("spanId", s.spanId())
          .field("start", s.start().toString())
          .field("duration.ms", s.durationNanos() / 1e6)
          .field("error", s.error());
      w.name("attributes").beginObject();
      for (Map.Entry<String, String> a : new java.util.TreeMap<>(s.attributes()).entrySet()) {
        w.field(a.getKey(), redactor.redactEntry(a.getKey(), a.getValue()));
      }
      w.endObject();
      w.endObject();
    }
    w.endArray();
    w.endObject();
  }

  private void tracesJson(JsonOut w, int max) {
    w.beginObject();
    w.field("capacity", traces.capacity());
    w.field("recorded", traces.recorded());
    w.field("overwritten", traces.overwritten());
    w.name("traces").beginArray();
    for (List<RecentTraces.SpanSummary> t : traces.traces(max)) {
      w.beginObject().field("traceId", t.get(0).traceId());
      w.name("spans").beginArray();
      for (RecentTraces.SpanSummary s : t) {
        w.beginObject()
            .field("spanId", s.spanId())
            .field("parentSpanId", s.parentSpanId())
            .field("name", s.name())
            .field("kind", s.kind())
            .field("startEpochNanos", s.startEpochNanos())
            .field("durationNanos", s.durationNanos())
            .field("error", s.error())
            .field("peer", s.peer())
            .endObject();
      }
      w.endArray().endObject();
    }
    w.endArray();
    w.endObject();
  }

  private void healthJson(JsonOut w) {
    List<SelfCounter> all = new ArrayList<>(selfCounters.all());
    all.sort(Comparator.comparing(SelfCounter::name).thenComparing(c -> c.tags().toString()));
    w.beginObject();
    w.field("time", Instant.now().toString());
    w.name("exporterHealth").beginArray();
    for (ExporterHealth h : exporterHealth.get()) {
      w.beginObject()
          .field("signal", h.signal())
          .field("exporter", h.exporter())
          .field("capacity", h.capacity())
          .field("queued", h.queued())
          .field("exported", h.exported())
          .field("dropped", h.dropped())
          .field("failed", h.failed())
          .field("batches", h.batches());
      w.name("droppedByReason");
      longMap(w, h.droppedByReason());
      w.name("failedByReason");
      longMap(w, h.failedByReason());
      w.field("lastExport.ms", h.lastExportNanos() / 1e6);
      w.field("lastError", redactor.redactValue(h.lastError().orElse("")));
      w.field("failing", h.failing());
      w.field("lastSuccess", h.lastSuccess().map(Instant::toString).orElse(""));
      w.field("lastFailure", h.lastFailure().map(Instant::toString).orElse(""));
      w.endObject();
    }
    w.endArray();
    group(w, "exporters", all, "cairn.export", "cairn.pipeline");
    group(w, "cardinalityOverflows", all, "cairn.metrics.cardinality");
    group(w, "propagationRejections", all, "cairn.propagation");
    group(w, "diagnostics", all, "cairn.diagnostics");
    w.name("rings").beginObject();
    w.name("errors").beginObject()
        .field("capacity", errors.capacity())
        .field("recorded", errors.recorded())
        .field("overwritten", errors.overwritten())
        .endObject();
    w.name("slowSpans").beginObject()
        .field("capacity", slowSpans.capacity())
        .field("recorded", slowSpans.recorded())
        .field("overwritten", slowSpans.overwritten())
        .endObject();
    w.endObject();
    w.name("counters");
    counters(w, all);
    w.endObject();
  }

  private static void longMap(JsonOut w, Map<String, Long> m) {
    w.beginObject();
    for (Map.Entry<String, Long> e : new java.util.TreeMap<>(m).entrySet()) {
      w.field(e.getKey(), e.getValue());
    }
    w.endObject();
  }

  private static void group(JsonOut w, String name, List<SelfCounter> all, String... prefixes) {
    List<SelfCounter> sel = new ArrayList<>();
    for (SelfCounter c : all) {
      for (String p : prefixes) {
        if (c.name().startsWith(p)) {
          sel.add(c);
          break;
        }
      }
    }
    w.name(name);
    counters(w, sel);
  }

  private static void counters(JsonOut w, List<SelfCounter> list) {
    w.beginArray();
    for (SelfCounter c : list) {
      w.beginObject().field("name", c.name());
      w.name("tags").beginObject();
      List<String> t = c.tags();
      for (int i = 0; i + 1 < t.size(); i += 2) {
        w.field(t.get(i), t.get(i + 1));
      }
      w.endObject();
      w.field("count", c.count()).field("description", c.description()).endObject();
    }
    w.endArray();
  }
}
