package dev.cairn;

import dev.cairn.diagnostics.Diagnostics;
import dev.cairn.diagnostics.DiagnosticsServer;
import dev.cairn.diagnostics.DiagnosticsSettings;
import dev.cairn.export.Exporter;
import dev.cairn.export.NdjsonExporter;
import dev.cairn.export.SpanNdjson;
import dev.cairn.export.otlp.OtlpSpanExporter;
import dev.cairn.export.zipkin.ZipkinSpanExporter;
import dev.cairn.internal.ServiceIdentity;
import dev.cairn.internal.export.ExportConfig;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import dev.cairn.pipeline.DropPolicy;
import dev.cairn.pipeline.ExportSettings;
import dev.cairn.pipeline.ExporterHealth;
import dev.cairn.pipeline.Pipeline;
import dev.cairn.pipeline.Sink;
import dev.cairn.resource.Resource;
import dev.cairn.span.Sampler;
import dev.cairn.span.SpanData;
import dev.cairn.span.SpanLimits;
import dev.cairn.span.SpanListener;
import dev.cairn.span.Tracer;
import dev.cairn.span.Tracing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One Cairn instance: the configuration, the tracer, and the signal pipelines with their exporter
 * threads. Build one per application, keep it, and close it on shutdown (a JVM shutdown hook does
 * so by default):
 *
 * <pre>{@code
 * Cairn cairn = Cairn.builder()
 *     .serviceName("checkout")
 *     .sampler(Sampler.parentBased(Sampler.traceIdRatio(0.1)))
 *     .addSpanExporter(NdjsonExporter.spansToStdout())
 *     .build();
 * Tracer tracer = cairn.tracer();
 * ...
 * cairn.close(); // flushes within closeTimeout, stops every thread it started
 * }</pre>
 *
 * <p>With {@link Builder#diagnostics(DiagnosticsSettings)} the instance owns its diagnostics
 * surface: it feeds every ring the pages read (recent traces, slow spans, span errors) and, when
 * the settings say {@code enabled}, serves the pages on loopback until it is closed.
 *
 * <p>{@link #global()} is the instance integrations without dependency injection use (the Logback
 * appender); {@link Builder#buildAndRegisterGlobal()} sets it. Until then it is {@link #noop()}.
 *
 * <p>After {@link #close()} every call is a no-op: tracers hand out the no-op span, emits are
 * counted drops.
 */
public final class Cairn implements AutoCloseable {
  private static final Cairn NOOP = new Cairn();
  private static final AtomicReference<Cairn> GLOBAL = new AtomicReference<>(NOOP);

  private final CairnConfig config;
  private final Tracing tracing;
  private final Tracer defaultTracer;
  private final List<Pipeline<?>> pipelines;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;
  private final Optional<Diagnostics> diagnostics;
  private final Optional<DiagnosticsServer> diagnosticsServer;

  private Cairn() {
    this.config =
        new CairnConfig(
            false, Resource.empty(), Sampler.alwaysOff(), SpanLimits.defaults(), Duration.ZERO,
            false);
    this.tracing = Tracing.builder().enabled(false).sampler(Sampler.alwaysOff()).build();
    this.defaultTracer = Tracer.noop();
    this.pipelines = List.of();
    this.shutdownHook = null;
    this.diagnostics = Optional.empty();
    this.diagnosticsServer = Optional.empty();
    closed.set(true);
  }

  private Cairn(Builder b) {
    Resource resource = b.resolveResource();
    b.addEnvironmentExporters(resource);
    this.config =
        new CairnConfig(b.enabled, resource, b.sampler, b.limits, b.closeTimeout, b.shutdownHook);
    Pipeline.Builder<SpanData> spans = Pipeline.builder("spans");
    b.spanSinks.forEach(spans::addSink);
    Diagnostics d = null;
    if (b.diagnosticsSettings != null) {
      Diagnostics.Builder db = Diagnostics.builder().settings(b.diagnosticsSettings);
      b.diagnosticsCustomizer.accept(db);
      // Read when a page is asked for, long after this constructor returned.
      db.exporterHealth(this::exporterHealth);
      d = db.build();
      // The pages read exactly the rings this sink feeds: no second wiring step to forget.
      spans.addSink(d.spanSink());
    }
    this.diagnostics = Optional.ofNullable(d);
    for (int i = 0; i < b.spanExporters.size(); i++) {
      spans.addExporter(b.spanExporters.get(i), b.spanExportSettings.get(i));
    }
    Tracing.Builder tb =
        Tracing.builder()
            .enabled(b.enabled)
            .sampler(b.sampler)
            .limits(b.limits)
            .pipeline(spans.build());
    b.spanListeners.forEach(tb::addListener);
    this.tracing = tb.build();
    this.defaultTracer = tracing.tracer("dev.cairn");
    List<Pipeline<?>> ps = new ArrayList<>();
    ps.add(tracing.pipeline());
    ps.addAll(b.pipelines);
    this.pipelines = Collections.unmodifiableList(ps);
    for (Pipeline<?> p : pipelines) {
      p.useResource(resource);
    }
    ServiceIdentity.publish(this, resource);
    if (b.shutdownHook) {
      Thread hook = new Thread(this::closeFromHook, "cairn-shutdown");
      Thread registered = null;
      try {
        Runtime.getRuntime().addShutdownHook(hook);
        registered = hook;
      } catch (IllegalStateException | SecurityException e) {
        // The JVM is already shutting down, or hooks are forbidden: close() still works.
      }
      this.shutdownHook = registered;
    } else {
      this.shutdownHook = null;
    }
    // Last: the server may answer at once and reads every field above.
    this.diagnosticsServer =
        d == null ? Optional.empty() : DiagnosticsServer.startIfEnabled(d);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder configured from system properties ({@code cairn.*}) and environment variables
   * ({@code CAIRN_*}, then OpenTelemetry's {@code OTEL_*}); see {@code docs/core.md} for the list.
   * Builder calls made afterwards override what the environment said.
   *
   * @throws IllegalArgumentException naming the setting when a value is malformed
   */
  public static Builder fromEnvironment() {
    return builder().applyEnvironment(ExportConfig.system());
  }

  /** The disabled instance: no threads, no exporters, every span the allocation-free no-op. */
  public static Cairn noop() {
    return NOOP;
  }

  /** The global instance, or {@link #noop()} when none is registered. */
  public static Cairn global() {
    return GLOBAL.get();
  }

  /**
   * Registers {@code cairn} as the global instance and returns the one it replaces (which is not
   * closed). Closing the global instance unregisters it.
   */
  public static Cairn setGlobal(Cairn cairn) {
    return GLOBAL.getAndSet(Objects.requireNonNull(cairn, "cairn"));
  }

  /** The resource every exporter should attach (shortcut for {@code config().resource()}). */
  public Resource resource() {
    return config.resource();
  }

  /** The configuration this instance was built with. */
  public CairnConfig config() {
    return config;
  }

  /** The default tracer (instrumentation scope {@code dev.cairn}). */
  public Tracer tracer() {
    return closed.get() ? Tracer.noop() : defaultTracer;
  }

  /** A tracer for an instrumentation scope (a library or component name). */
  public Tracer tracer(String scopeName) {
    return closed.get() ? Tracer.noop() : tracing.tracer(scopeName);
  }

  /** A tracer for an instrumentation scope with a version. */
  public Tracer tracer(String scopeName, String scopeVersion) {
    return closed.get() ? Tracer.noop() : tracing.tracer(scopeName, scopeVersion);
  }

  /** The span machinery (sampler, limits, the span pipeline). */
  public Tracing tracing() {
    return tracing;
  }

  /** Every pipeline this instance owns: spans first, then those added with the builder. */
  public List<Pipeline<?>> pipelines() {
    return pipelines;
  }

  /**
   * The diagnostics surface this instance feeds, when built with {@link
   * Builder#diagnostics(DiagnosticsSettings)}; serve it yourself (the Spring starter's Actuator
   * endpoint does) or let {@link #diagnosticsServer()} do it.
   */
  public Optional<Diagnostics> diagnostics() {
    return diagnostics;
  }

  /**
   * The loopback server this instance started for its diagnostics ({@code enabled} settings), until
   * {@link #close()} stops it. Empty when diagnostics is off, not enabled, or the server could not
   * start (reported once on stderr).
   */
  public Optional<DiagnosticsServer> diagnosticsServer() {
    return diagnosticsServer;
  }

  /** Health of every exporter of every pipeline. */
  public List<ExporterHealth> exporterHealth() {
    List<ExporterHealth> out = new ArrayList<>();
    for (Pipeline<?> p : pipelines) {
      out.addAll(p.health());
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Exports everything emitted so far, waiting at most {@code timeout}.
   *
   * @return true when every exporter caught up in time
   */
  public boolean flush(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    boolean ok = true;
    for (Pipeline<?> p : pipelines) {
      ok &= p.flush(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
    }
    return ok;
  }

  /** True once closed (the no-op instance counts as closed). */
  public boolean isClosed() {
    return closed.get();
  }

  /** Closes within the configured {@code closeTimeout} (default 5 s). Never throws. */
  @Override
  public void close() {
    close(config.closeTimeout());
  }

  /**
   * Stops creating spans, exports what is queued, closes every exporter and ends every thread this
   * instance started, all within {@code timeout}; what is still queued then is dropped and counted.
   * Idempotent; never throws.
   *
   * @return true when everything finished in time
   */
  public boolean close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return true;
    }
    ServiceIdentity.withdraw(this);
    GLOBAL.compareAndSet(this, NOOP);
    boolean ok = true;
    diagnosticsServer.ifPresent(DiagnosticsServer::close);
    try {
      long end = System.nanoTime() + timeout.toNanos();
      ok = tracing.close(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
      for (int i = 1; i < pipelines.size(); i++) {
        ok &= pipelines.get(i).close(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      Reporter.warn("cairn.close", "Cairn failed while closing", t);
      ok = false;
    }
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException | SecurityException e) {
        // Already shutting down: the hook runs and finds us closed.
      }
    }
    return ok;
  }

  private void closeFromHook() {
    close(config.closeTimeout());
  }

  @Override
  public String toString() {
    return this == NOOP
        ? "Cairn[noop]"
        : "Cairn[" + config.serviceName() + (closed.get() ? ", closed" : "") + "]";
  }

  /** Builds a {@link Cairn}. Configuration errors throw here, with a precise message. */
  public static final class Builder {
    private boolean enabled = true;
    private String serviceName;
    private Resource resource;
    private Sampler sampler = Sampler.parentBased(Sampler.alwaysOn());
    private SpanLimits limits = SpanLimits.defaults();
    private Duration closeTimeout = Duration.ofSeconds(5);
    private boolean shutdownHook = true;
    private final List<SpanListener> spanListeners = new ArrayList<>();
    private final List<Sink<SpanData>> spanSinks = new ArrayList<>();
    private final List<Exporter<SpanData>> spanExporters = new ArrayList<>();
    private final List<ExportSettings> spanExportSettings = new ArrayList<>();
    private final List<Pipeline<?>> pipelines = new ArrayList<>();
    private final List<String> environmentExporters = new ArrayList<>();
    private String ndjsonFile;
    private ExportSettings environmentSettings = ExportSettings.defaults();
    private DiagnosticsSettings diagnosticsSettings;
    private Consumer<Diagnostics.Builder> diagnosticsCustomizer = d -> {};

    private Builder() {}

    Builder applyEnvironment(ExportConfig env) {
      String v = env.get("cairn.enabled", "CAIRN_ENABLED");
      if (v != null) {
        enabled = bool(v, env.source("cairn.enabled", "CAIRN_ENABLED"));
      } else if ("true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED"))) {
        enabled = false;
      }
      v = env.get("cairn.service.name");
      if (v != null) {
        serviceName(v);
      }
      String[] samplerNames = {"cairn.traces.sampler", "CAIRN_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER"};
      v = env.get(samplerNames);
      if (v != null) {
        sampler =
            Sampler.parse(
                v,
                env.get("cairn.traces.sampler.arg", "CAIRN_TRACES_SAMPLER_ARG", "OTEL_TRACES_SAMPLER_ARG"));
      }
      SpanLimits.Builder lb = SpanLimits.builder();
      boolean anyLimit = false;
      String[][] limitNames = {
        {"cairn.span.limits.attributes", "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "OTEL_ATTRIBUTE_COUNT_LIMIT"},
        {"cairn.span.limits.events", "OTEL_SPAN_EVENT_COUNT_LIMIT"},
        {"cairn.span.limits.links", "OTEL_SPAN_LINK_COUNT_LIMIT"},
        {"cairn.span.limits.value-length", "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
          "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"}
      };
      for (int i = 0; i < limitNames.length; i++) {
        String lv = env.get(limitNames[i]);
        if (lv == null) {
          continue;
        }
        anyLimit = true;
        int n = integer(lv, env.source(limitNames[i]));
        switch (i) {
          case 0:
            lb.maxAttributes(n);
            break;
          case 1:
            lb.maxEvents(n);
            break;
          case 2:
            lb.maxLinks(n);
            break;
          default:
            lb.maxAttributeValueLength(n);
        }
      }
      if (anyLimit) {
        limits = lb.build();
      }
      ExportSettings.Builder eb = ExportSettings.builder();
      String[] cap = {"cairn.export.queue-capacity", "OTEL_BSP_MAX_QUEUE_SIZE"};
      if ((v = env.get(cap)) != null) {
        eb.queueCapacity(integer(v, env.source(cap)));
      }
      String[] batch = {"cairn.export.max-batch-size", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE"};
      if ((v = env.get(batch)) != null) {
        eb.maxBatchSize(integer(v, env.source(batch)));
      }
      String[] delay = {"cairn.export.schedule-delay", "OTEL_BSP_SCHEDULE_DELAY"};
      if ((v = env.get(delay)) != null) {
        eb.scheduleDelay(ExportConfig.duration(v, env.source(delay)));
      }
      String[] policy = {"cairn.export.drop-policy", "CAIRN_EXPORT_DROP_POLICY"};
      if ((v = env.get(policy)) != null) {
        try {
          eb.dropPolicy(DropPolicy.valueOf(v.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              env.source(policy) + " must be drop_newest or drop_oldest, got '" + v + "'", e);
        }
      }
      environmentSettings = eb.build();
      String[] close = {"cairn.close-timeout", "CAIRN_CLOSE_TIMEOUT"};
      if ((v = env.get(close)) != null) {
        closeTimeout(ExportConfig.duration(v, env.source(close)));
      }
      ndjsonFile = env.get("cairn.export.ndjson.file", "CAIRN_EXPORT_NDJSON_FILE");
      String[] diag = {"cairn.diagnostics.enabled"};
      if ((v = env.get(diag)) != null && bool(v, env.source(diag))) {
        // Every other cairn.diagnostics.* setting is a system property too (docs/diagnostics.md).
        diagnostics(DiagnosticsSettings.fromSystemProperties());
      }
      String[] exporterNames = {"cairn.traces.exporter", "CAIRN_TRACES_EXPORTER", "OTEL_TRACES_EXPORTER"};
      v = env.get(exporterNames);
      if (v != null) {
        for (String e : v.split(",")) {
          String name = e.trim().toLowerCase(Locale.ROOT);
          switch (name) {
            case "otlp":
            case "zipkin":
            case "ndjson":
              environmentExporters.add(name);
              break;
            case "console":
            case "logging":
              environmentExporters.add("ndjson");
              break;
            case "none":
            case "":
              break;
            default:
              throw new IllegalArgumentException(
                  env.source(exporterNames) + ": unknown exporter '" + e.trim()
                      + "'; expected otlp, zipkin, ndjson (console) or none");
          }
        }
      }
      return this;
    }

    private static boolean bool(String v, String source) {
      if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(v);
      }
      throw new IllegalArgumentException(source + " must be true or false, got '" + v + "'");
    }

    private static int integer(String v, String source) {
      try {
        return Integer.parseInt(v.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(source + " must be an integer, got '" + v + "'", e);
      }
    }

    private void addEnvironmentExporters(Resource resource) {
      for (String name : environmentExporters) {
        Exporter<SpanData> e;
        switch (name) {
          case "otlp":
            e = OtlpSpanExporter.fromEnvironment().resource(resource).build();
            break;
          case "zipkin":
            e = ZipkinSpanExporter.fromEnvironment().resource(resource).build();
            break;
          default:
            NdjsonExporter.Builder<SpanData> nb = NdjsonExporter.builder(SpanNdjson.encoder(resource));
            if (ndjsonFile != null) {
              nb.file(Path.of(ndjsonFile));
            }
            e = nb.build();
        }
        addSpanExporter(e, environmentSettings);
      }
      environmentExporters.clear();
    }

    /**
     * The service name; overrides the resource's. Default: what {@link Resource#detect()} finds
     * (environment variable {@code CAIRN_SERVICE_NAME}, then {@code OTEL_SERVICE_NAME}, then
     * {@code unknown_service:java}).
     */
    public Builder serviceName(String name) {
      Objects.requireNonNull(name, "serviceName");
      if (name.isBlank()) {
        throw new IllegalArgumentException("serviceName must not be blank");
      }
      this.serviceName = name;
      return this;
    }

    /**
     * The resource (default {@link Resource#detect()}: environment, system properties and local
     * files, no network). {@link #serviceName(String)} still overrides its service name.
     */
    public Builder resource(Resource resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /** When false the instance is inert: no threads, no-op spans (default true). */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** The span sampler (default: parent-based, always on for new traces). */
    public Builder sampler(Sampler sampler) {
      this.sampler = Objects.requireNonNull(sampler, "sampler");
      return this;
    }

    /** Span limits (default {@link SpanLimits#defaults()}). */
    public Builder spanLimits(SpanLimits limits) {
      this.limits = Objects.requireNonNull(limits, "spanLimits");
      return this;
    }

    /** A listener on span start and end, for every recording span (sampled or not). */
    public Builder addSpanListener(SpanListener listener) {
      spanListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** A synchronous sink for every finished span, sampled or not. */
    public Builder addSpanSink(Sink<SpanData> sink) {
      spanSinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /** An exporter for sampled spans, with the default queue and batching. */
    public Builder addSpanExporter(Exporter<SpanData> exporter) {
      return addSpanExporter(exporter, ExportSettings.defaults());
    }

    /** An exporter for sampled spans, with its own queue and batching settings. */
    public Builder addSpanExporter(Exporter<SpanData> exporter, ExportSettings settings) {
      spanExporters.add(Objects.requireNonNull(exporter, "exporter"));
      spanExportSettings.add(Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /**
     * A pipeline of another signal (logs, metric snapshots, journal events) that this instance
     * owns: flushed by {@link Cairn#flush}, closed by {@link Cairn#close}, reported by {@link
     * Cairn#exporterHealth()}.
     */
    public Builder addPipeline(Pipeline<?> pipeline) {
      pipelines.add(Objects.requireNonNull(pipeline, "pipeline"));
      return this;
    }

    /**
     * Turns diagnostics on for this instance: every finished span (sampled or not) feeds the
     * rings the diagnostics pages read ({@code /traces}, {@code /spans/slow}, span errors at
     * {@code /errors}; by default the process-wide rings, which the Logback appender's ERROR lines
     * also reach), {@link Cairn#diagnostics()} returns the surface, and when {@code
     * settings.enabled()} a loopback {@link DiagnosticsServer} serves it until {@link Cairn#close()}.
     * Off by default; {@link Cairn#fromEnvironment()} turns it on with {@code
     * -Dcairn.diagnostics.enabled=true}.
     */
    public Builder diagnostics(DiagnosticsSettings settings) {
      return diagnostics(settings, d -> {});
    }

    /**
     * As {@link #diagnostics(DiagnosticsSettings)}, with {@code customizer} adding to the surface
     * before it is built (a meter registry, contributors, rings of its own: the instance feeds
     * whichever rings the surface ends up reading).
     */
    public Builder diagnostics(
        DiagnosticsSettings settings, Consumer<Diagnostics.Builder> customizer) {
      this.diagnosticsSettings = Objects.requireNonNull(settings, "settings");
      this.diagnosticsCustomizer = Objects.requireNonNull(customizer, "customizer");
      return this;
    }

    /** How long {@link Cairn#close()} waits for exporters, 0 to 10 min (default 5 s). */
    public Builder closeTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "closeTimeout");
      if (timeout.isNegative() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("closeTimeout must be in [0, 10min]: " + timeout);
      }
      this.closeTimeout = timeout;
      return this;
    }

    /** Whether a JVM shutdown hook closes the instance (default true). */
    public Builder shutdownHook(boolean install) {
      this.shutdownHook = install;
      return this;
    }

    Resource resolveResource() {
      Resource r = resource != null ? resource : Resource.detect();
      return serviceName == null ? r : r.merge(Resource.builder().serviceName(serviceName).build());
    }

    /** The instance; starts one daemon thread per exporter. */
    public Cairn build() {
      if (!enabled) {
        for (Pipeline<?> p : pipelines) {
          p.close(Duration.ZERO);
        }
        return NOOP;
      }
      return new Cairn(this);
    }

    /** Builds the instance and registers it as {@link Cairn#global()}. */
    public Cairn buildAndRegisterGlobal() {
      Cairn c = build();
      setGlobal(c);
      return c;
    }
  }
}
