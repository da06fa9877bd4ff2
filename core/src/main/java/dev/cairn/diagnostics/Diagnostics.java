package dev.cairn.diagnostics;

import dev.cairn.Cairn;
import dev.cairn.diagnostics.internal.BuiltinEndpoints;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.OwnerOnlyFiles;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.metrics.CairnMetrics;
import dev.cairn.pipeline.ExporterHealth;
import dev.cairn.pipeline.Sink;
import dev.cairn.span.SpanData;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The diagnostics surface as plain objects: a set of {@link DiagnosticsEndpoint}s (the built-in
 * ones plus those of {@link DiagnosticsContributor}s) and {@link #handle} to answer a request with
 * the access rules applied. The {@link DiagnosticsServer} serves it on loopback; the Spring
 * starter's Actuator endpoint can serve the same object.
 *
 * <pre>{@code
 * Diagnostics diagnostics = Diagnostics.builder().build();
 * try (Diagnostics.Reply r = diagnostics.handle(DiagnosticsRequest.of("GET", "/threads", Map.of()))) {
 *   System.out.println(new String(r.response().body(), StandardCharsets.UTF_8));
 * }
 * }</pre>
 *
 * <p>Rules: {@link Access#WRITE} endpoints answer 403 unless write is enabled; {@link
 * Access#DUMP} endpoints answer 403 unless dumps are enabled; exclusive endpoints (dumps, the class
 * histogram) run one at a time and answer 429 while another runs; answers larger than {@code
 * max-response-bytes} and dumps larger than {@code dumps.max-bytes} are refused. A failing handler
 * answers 500 and never throws into the caller. Every refusal is counted in {@code
 * cairn.diagnostics.refused{reason}}.
 */
public final class Diagnostics {
  private final DiagnosticsSettings settings;
  private final Redactor redactor;
  private final Map<String, DiagnosticsEndpoint> endpoints;
  private final Semaphore exclusive = new Semaphore(1);
  private final RecentErrors errors;
  private final SlowSpans slowSpans;
  private final RecentTraces traces;

  private Diagnostics(Builder b) {
    this.settings = b.settings;
    this.errors = b.errors;
    this.slowSpans = b.slowSpans;
    this.traces = b.traces;
    this.redactor = Redactor.defaults().withNames(settings.redactNames());
    Map<String, DiagnosticsEndpoint> map = new LinkedHashMap<>();
    BuiltinEndpoints builtins =
        new BuiltinEndpoints(
            settings,
            redactor,
            b.fingerprint,
            Optional.ofNullable(b.registry),
            Optional.ofNullable(b.metrics),
            b.errors,
            b.slowSpans,
            b.traces,
            b.exporterHealth,
            b.selfCounters,
            this::endpoints);
    for (DiagnosticsEndpoint e : builtins.endpoints()) {
      map.put(e.path(), e);
    }
    List<DiagnosticsContributor> contributors = new ArrayList<>(b.contributors);
    if (b.discover) {
      try {
        for (DiagnosticsContributor c : ServiceLoader.load(DiagnosticsContributor.class)) {
          // One registered explicitly (say, for a particular CairnJfr) stands for its kind.
          if (b.contributors.stream().noneMatch(x -> x.getClass() == c.getClass())) {
            contributors.add(c);
          }
        }
      } catch (Throwable t) {
        Fatal.rethrowIfFatal(t);
        Reporter.warn("diagnostics.discover", "Loading diagnostics contributors failed: " + t, t);
      }
    }
    for (DiagnosticsContributor c : contributors) {
      try {
        for (DiagnosticsEndpoint e : c.endpoints()) {
          if (map.putIfAbsent(e.path(), e) != null) {
            Reporter.warn(
                "diagnostics.duplicate." + e.path(),
                "Diagnostics endpoint " + e.path() + " of contributor " + c.name()
                    + " skipped: the path is taken",
                null);
          }
        }
      } catch (Throwable t) {
        Fatal.rethrowIfFatal(t);
        Reporter.warn(
            "diagnostics.contributor." + c.getClass().getName(),
            "Diagnostics contributor " + c.getClass().getName() + " failed: " + t,
            t);
      }
    }
    this.endpoints = Collections.unmodifiableMap(map);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The settings. */
  public DiagnosticsSettings settings() {
    return settings;
  }

  /** The redactor used for every view. */
  public Redactor redactor() {
    return redactor;
  }

  /** The ring behind {@code /errors}. */
  public RecentErrors recentErrors() {
    return errors;
  }

  /** The ring behind {@code /spans/slow}. */
  public SlowSpans slowSpans() {
    return slowSpans;
  }

  /** The ring behind {@code /traces}. */
  public RecentTraces recentTraces() {
    return traces;
  }

  /**
   * A synchronous span sink into the rings these pages read ({@link #recentTraces()}, {@link
   * #slowSpans()}, {@link #recentErrors()}). A {@code Cairn} built with {@code diagnostics(...)}
   * installs it itself.
   */
  public Sink<SpanData> spanSink() {
    return SpanRings.sink(slowSpans, errors, traces);
  }

  /** Every endpoint, built-in ones first, in registration order. */
  public List<DiagnosticsEndpoint> endpoints() {
    return List.copyOf(endpoints.values());
  }

  /**
   * Answers a request with the access rules applied. Never throws. Close the reply once the
   * response is sent: that ends an exclusive operation and deletes a dump file.
   */
  public Reply handle(DiagnosticsRequest request) {
    try {
      return handle0(request);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      refused("error").increment();
      return new Reply(DiagnosticsResponse.error(500, "internal error: " + t.getClass().getName()), null);
    }
  }

  private Reply handle0(DiagnosticsRequest request) {
    DiagnosticsEndpoint e = endpoints.get(request.path());
    if (e == null) {
      refused("not_found").increment();
      return new Reply(DiagnosticsResponse.error(404, "no such endpoint: " + request.path()), null);
    }
    if (!e.method().equals(request.method())) {
      refused("method").increment();
      return new Reply(
          DiagnosticsResponse.error(405, request.path() + " answers " + e.method() + " only"), null);
    }
    if (e.access() == Access.WRITE && !settings.writeEnabled()) {
      refused("read_only").increment();
      return new Reply(
          DiagnosticsResponse.error(
              403, "write operations are disabled (cairn.diagnostics.write.enabled=false)"),
          null);
    }
    if (e.access() == Access.DUMP && !settings.dumpsEnabled()) {
      refused("dumps_disabled").increment();
      return new Reply(
          DiagnosticsResponse.error(403, "dumps are disabled (cairn.diagnostics.dumps.enabled=false)"),
          null);
    }
    Semaphore permit = null;
    if (e.exclusive()) {
      if (!exclusive.tryAcquire()) {
        refused("busy").increment();
        return new Reply(
            DiagnosticsResponse.error(429, "another dump or histogram is in progress; retry later"),
            null);
      }
      permit = exclusive;
    }
    boolean handedOver = false;
    try {
      DiagnosticsRequest r = request;
      if (e.access() == Access.DUMP) {
        r = request.withDumpLimits(scratchDirectory(), settings.maxDumpBytes());
      }
      DiagnosticsResponse resp = e.handler().handle(r);
      if (resp.bodyLength() > settings.maxResponseBytes()) {
        refused("too_large").increment();
        return new Reply(tooLarge("max-response-bytes", settings.maxResponseBytes()), null);
      }
      if (resp.file().isPresent()) {
        long size = Files.size(resp.file().get());
        if (size > settings.maxDumpBytes()) {
          refused("too_large").increment();
          if (resp.deleteFileAfterSending()) {
            Files.deleteIfExists(resp.file().get());
          }
          return new Reply(tooLarge("dumps.max-bytes", settings.maxDumpBytes()), null);
        }
      }
      handedOver = true;
      return new Reply(resp, permit);
    } catch (IllegalArgumentException ex) {
      refused("bad_request").increment();
      return new Reply(DiagnosticsResponse.error(400, String.valueOf(ex.getMessage())), null);
    } catch (dev.cairn.diagnostics.internal.JsonOut.TooLargeException ex) {
      refused("too_large").increment();
      return new Reply(tooLarge("max-response-bytes", settings.maxResponseBytes()), null);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      refused("error").increment();
      Reporter.warn("diagnostics.endpoint." + e.path(), "Diagnostics endpoint " + e.path() + " failed: " + t, t);
      return new Reply(
          DiagnosticsResponse.error(500, e.path() + " failed: " + t.getClass().getName()), null);
    } finally {
      if (!handedOver && permit != null) {
        permit.release();
      }
    }
  }

  private static DiagnosticsResponse tooLarge(String property, long max) {
    return DiagnosticsResponse.error(
        413, "answer larger than cairn.diagnostics." + property + " (" + max + " bytes)");
  }

  static SelfCounter refused(String reason) {
    return SelfCounters.GLOBAL.counter(
        "cairn.diagnostics.refused",
        "Diagnostics requests refused or failed (unauthorized, busy, too large, disabled, error)",
        "requests",
        "reason",
        reason);
  }

  private Path scratchDirectory() throws IOException {
    Path dir = settings.dumpDirectory();
    if (!Files.isDirectory(dir)) {
      OwnerOnlyFiles.createDirectories(dir);
    }
    try {
      // A directory someone else prepared (shared /tmp) must not receive a heap dump.
      String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
      if (!perms.endsWith("------")) {
        throw new IOException(dir + " is accessible to other users (" + perms + "); refusing to dump there");
      }
    } catch (UnsupportedOperationException e) {
      // not POSIX
    }
    return dir;
  }

  /** An answer; closing it ends the exclusive operation and deletes a dump file once sent. */
  public static final class Reply implements AutoCloseable {
    private final DiagnosticsResponse response;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Semaphore permit;

    Reply(DiagnosticsResponse response, Semaphore permit) {
      this.response = response;
      this.permit = permit;
    }

    public DiagnosticsResponse response() {
      return response;
    }

    /** Response body bytes without a copy, for servers; do not modify. */
    public byte[] bodyBytes() {
      return response.bodyUnsafe();
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      try {
        if (response.deleteFileAfterSending() && response.file().isPresent()) {
          Files.deleteIfExists(response.file().get());
        }
      } catch (IOException | RuntimeException e) {
        Reporter.warn("diagnostics.delete", "Deleting a dump file failed: " + e, null);
      } finally {
        if (permit != null) {
          permit.release();
        }
      }
    }
  }

  /** Builder of the surface. */
  public static final class Builder {
    private DiagnosticsSettings settings = DiagnosticsSettings.defaults();
    private MeterRegistry registry;
    private CairnMetrics metrics;
    private RecentErrors errors = RecentErrors.global();
    private SlowSpans slowSpans = SlowSpans.global();
    private RecentTraces traces = RecentTraces.global();
    private Supplier<Fingerprint> fingerprint;
    private Supplier<List<ExporterHealth>> exporterHealth = List::of;
    private SelfCounters selfCounters = SelfCounters.GLOBAL;
    private final List<DiagnosticsContributor> contributors = new ArrayList<>();
    private boolean discover = true;

    private Builder() {}

    public Builder settings(DiagnosticsSettings settings) {
      this.settings = settings;
      return this;
    }

    /**
     * Meters shown at {@code /metrics} (when not set: the registry of {@link #metrics}, else
     * Micrometer's {@code Metrics.globalRegistry}).
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /** Cairn's metrics: its registry and Prometheus text at {@code /metrics/prometheus}. */
    public Builder metrics(CairnMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    public Builder recentErrors(RecentErrors errors) {
      this.errors = errors;
      return this;
    }

    public Builder slowSpans(SlowSpans slowSpans) {
      this.slowSpans = slowSpans;
      return this;
    }

    /** The counters {@code /health} shows (tests use their own registry). */
    Builder selfCounters(SelfCounters counters) {
      this.selfCounters = counters;
      return this;
    }

    /** The span ring behind {@code /traces} (default {@link RecentTraces#global()}). */
    public Builder recentTraces(RecentTraces traces) {
      this.traces = traces;
      return this;
    }

    /** Where {@code /fingerprint} comes from (default: captured once, on first request). */
    public Builder fingerprint(Supplier<Fingerprint> fingerprint) {
      this.fingerprint = fingerprint;
      return this;
    }

    /**
     * The Cairn instance whose exporter health (queued, exported, dropped and failed by reason,
     * last error) {@code /health} shows. When that instance was built with diagnostics on ({@code
     * Cairn.Builder.diagnostics(...)}), these pages also read the rings it feeds; otherwise its
     * spans never reach {@code /traces} or {@code /spans/slow}, and this says so once on stderr.
     */
    public Builder cairn(Cairn cairn) {
      this.exporterHealth = cairn::exporterHealth;
      Optional<Diagnostics> fed = cairn.diagnostics();
      if (fed.isPresent()) {
        this.errors = fed.get().recentErrors();
        this.slowSpans = fed.get().slowSpans();
        this.traces = fed.get().recentTraces();
      } else if (!cairn.isClosed()) {
        Reporter.warn(
            "diagnostics.unfed",
            "Diagnostics built over " + cairn + ", which was built without diagnostics(...): its"
                + " spans do not reach /traces and /spans/slow. Build it with"
                + " Cairn.builder().diagnostics(settings) instead of wiring a second Diagnostics.",
            null);
      }
      return this;
    }

    /** Where {@code /health} reads exporter health from (default: none; see {@link #cairn}). */
    public Builder exporterHealth(Supplier<List<ExporterHealth>> health) {
      this.exporterHealth = java.util.Objects.requireNonNull(health, "health");
      return this;
    }

    public Builder contributor(DiagnosticsContributor contributor) {
      this.contributors.add(contributor);
      return this;
    }

    /** Whether to find contributors with {@link ServiceLoader} (default true). */
    public Builder discoverContributors(boolean on) {
      this.discover = on;
      return this;
    }

    public Diagnostics build() {
      if (fingerprint == null) {
        Redactor r = Redactor.defaults().withNames(settings.redactNames());
        fingerprint = new Supplier<>() {
          private volatile Fingerprint fp;

          @Override
          public Fingerprint get() {
            Fingerprint f = fp;
            if (f == null) {
              f = Fingerprint.capture(r);
              fp = f;
            }
            return f;
          }
        };
      }
      if (registry == null) {
        // Micrometer's global registry is where libraries without wiring record; better than nothing.
        registry = metrics != null ? metrics.registry() : io.micrometer.core.instrument.Metrics.globalRegistry;
      }
      return new Diagnostics(this);
    }
  }
}
