package dev.cairn.metrics;

import dev.cairn.internal.Reporter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Touches {@code micrometer-registry-prometheus} only when it is on the classpath.
 *
 * <p>This class is loaded (and verified) by {@link CairnMetrics} unconditionally, so no field,
 * signature or method body here may name a Prometheus type: the JVM's verifier loads a type named
 * in an assignment it has to check (returning a {@code PrometheusMeterRegistry} as a {@link
 * MeterRegistry}, for example), and fails the whole class with {@code NoClassDefFoundError} when
 * the jar is absent. Every Prometheus type lives in {@link Impl}, whose methods take and return
 * only Micrometer-core and JDK types, and which is loaded only after {@link #present()}.
 */
final class PrometheusSupport {
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  static final String MISSING =
      "Prometheus text and exemplars need io.micrometer:micrometer-registry-prometheus on the"
          + " classpath; prometheusText() and openMetricsText() stay empty";

  static final String SCHEDULER_STOPPED =
      "Prometheus exemplars are off for this registry: an earlier CairnMetrics.close() stopped the"
          + " Prometheus client's exemplar scheduler in this class loader";

  /** Open Cairn Prometheus registries in this class loader; the last close stops the scheduler. */
  private static final AtomicInteger OPEN = new AtomicInteger();

  /** A {@code PrometheusMeterRegistry}, typed as what every caller needs. */
  private final MeterRegistry registry;

  private final AtomicBoolean closed = new AtomicBoolean();

  private PrometheusSupport(MeterRegistry registry) {
    this.registry = registry;
  }

  static boolean present() {
    try {
      Class.forName(
          "io.micrometer.prometheusmetrics.PrometheusMeterRegistry",
          false,
          PrometheusSupport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The support, or null when the library is absent or unusable (reported once, then). */
  static PrometheusSupport createIfPresent() {
    if (!present()) {
      return null;
    }
    try {
      PrometheusSupport support = new PrometheusSupport(Impl.newRegistry());
      OPEN.incrementAndGet();
      return support;
    } catch (RuntimeException | LinkageError e) {
      // A LinkageError here is a half-present jar set (say, the registry without its model jar).
      Reporter.warn("metrics.prometheus.init", "Prometheus registry unavailable: " + e, null);
      return null;
    }
  }

  /** Says once per process that a Prometheus feature was asked for without the library. */
  static void reportMissing() {
    Reporter.warnAtMostEvery(Long.MAX_VALUE, "metrics.prometheus.missing", MISSING, null);
  }

  MeterRegistry registry() {
    return registry;
  }

  String scrape() {
    return Impl.scrape(registry, null);
  }

  String scrape(String contentType) {
    return Impl.scrape(registry, contentType);
  }

  /**
   * Closes the registry. The last Cairn registry to close also stops the Prometheus client's
   * exemplar scheduler, a process-wide daemon thread ({@code prometheus-metrics-scheduler-0}) that
   * the client starts on the first exemplar and offers no way to stop: alive, it keeps its class
   * loader, and with it Cairn's and the application's, from ever being collected after a redeploy.
   * Only when the client was loaded by Cairn's own class loader and that is not the system class
   * loader: then both belong to a deployment (a web application, a plugin) that is going away. A
   * plain application's loader lives as long as the JVM, so there is nothing to collect and the
   * scheduler is left to other Prometheus registries; so is a client shared from a parent loader.
   */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    registry.close();
    if (OPEN.decrementAndGet() == 0) {
      try {
        Impl.stopScheduler();
      } catch (RuntimeException | LinkageError e) {
        Reporter.warn(
            "metrics.prometheus.scheduler",
            "Could not stop the Prometheus exemplar scheduler; its thread keeps this class loader: "
                + e,
            null);
      }
    }
  }

  /** Everything that names a Prometheus type; loaded only once the library is known present. */
  private static final class Impl {
    private static final String SCHEDULER = "io.prometheus.metrics.core.util.Scheduler";

    private Impl() {}

    static MeterRegistry newRegistry() {
      // After a stop the scheduler rejects work, and an exemplar sample would throw into the
      // recording thread: such a registry is built without exemplars.
      boolean exemplars = !schedulerStopped();
      if (!exemplars) {
        Reporter.warnAtMostEvery(
            Long.MAX_VALUE, "metrics.prometheus.exemplars.off", SCHEDULER_STOPPED, null);
      }
      return new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
          io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT,
          new io.prometheus.metrics.model.registry.PrometheusRegistry(),
          io.micrometer.core.instrument.Clock.SYSTEM,
          exemplars ? new TraceExemplars() : null);
    }

    /** The scheduler's executor when Cairn may stop it (see {@link #close()}), else null. */
    private static ExecutorService ownScheduler() {
      ClassLoader own = PrometheusSupport.class.getClassLoader();
      Class<?> scheduler;
      try {
        scheduler = Class.forName(SCHEDULER, false, own);
      } catch (ClassNotFoundException e) {
        return null; // a client version without it
      }
      if (scheduler.getClassLoader() != own || own == ClassLoader.getSystemClassLoader()) {
        return null;
      }
      try {
        java.lang.reflect.Field f = scheduler.getDeclaredField("executor");
        f.setAccessible(true);
        Object executor = f.get(null); // initializes the class; that starts no thread
        return executor instanceof ExecutorService ? (ExecutorService) executor : null;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null; // another layout, or a module that does not open the package
      }
    }

    static boolean schedulerStopped() {
      ExecutorService e = ownScheduler();
      return e != null && e.isShutdown();
    }

    static void stopScheduler() {
      ExecutorService e = ownScheduler();
      if (e != null) {
        // Pending tasks only re-arm exemplar sampling of closed registries.
        e.shutdownNow();
      }
    }

    static String scrape(MeterRegistry registry, String contentType) {
      io.micrometer.prometheusmetrics.PrometheusMeterRegistry r =
          (io.micrometer.prometheusmetrics.PrometheusMeterRegistry) registry;
      return contentType == null ? r.scrape() : r.scrape(contentType);
    }
  }
}
