package dev.cairn.spring.boot.autoconfigure;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.cairn.export.Exporter;
import dev.cairn.export.elasticsearch.ElasticsearchLogExporter;
import dev.cairn.export.loki.LokiLogExporter;
import dev.cairn.export.otlp.OtlpLogExporter;
import dev.cairn.internal.Reporter;
import dev.cairn.logback.CairnAppender;
import dev.cairn.logging.LogRecord;
import dev.cairn.pipeline.ExportSettings;
import dev.cairn.pipeline.Pipeline;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;

/**
 * Log export to {@code cairn.export.logs.endpoint} (filled by {@code OTEL_EXPORTER_OTLP_ENDPOINT} /
 * {@code OTEL_EXPORTER_OTLP_LOGS_ENDPOINT}; the shared {@code cairn.export.endpoint} alone sends
 * spans only): a {@code logs} pipeline with the OTLP, Loki or Elasticsearch exporter is added to
 * the auto-configured Cairn instance, and Cairn's forwarding appender feeds it from Logback's root logger. Under {@link
 * org.springframework.boot.SpringApplication} that appender was attached by {@link
 * CairnStartupLogCapture} as soon as Boot configured logging, and the lines it held since are
 * replayed first; otherwise (an {@code ApplicationContextRunner}, a plain context) it is attached
 * once the singletons exist. Nothing happens without a logs endpoint, or with a protocol that
 * carries no logs (zipkin, ndjson). Once the singletons exist it also logs the one INFO line saying
 * where spans, logs and metrics go ({@link CairnExportSummary}).
 */
@AutoConfiguration(before = CairnTracingAutoConfiguration.class)
@ConditionalOnClass({CairnAppender.class, LoggerContext.class})
@ConditionalOnBooleanProperty(name = "cairn.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CairnProperties.class)
public class CairnLogsExportAutoConfiguration {

  /** The logs pipeline (if configured) and the appender that feeds it. */
  @Bean
  public CairnLogsExport cairnLogsExport(CairnProperties properties, Environment environment) {
    return new CairnLogsExport(pipeline(properties.getExport()), environment, properties);
  }

  /** Adds the logs pipeline to the Cairn bean, which flushes and closes it. */
  @Bean
  public CairnBuilderCustomizer cairnLogsPipeline(CairnLogsExport logs) {
    return builder -> logs.pipeline.ifPresent(builder::addPipeline);
  }

  /** Whether {@code export} configures a logs exporter ({@link #pipeline} would build one). */
  static boolean exportsLogs(CairnProperties.Export export) {
    return protocol(export) != null;
  }

  /**
   * The logs protocol ({@code otlp}, {@code loki}, {@code elasticsearch}) when logs are exported,
   * else null. Only a logs endpoint counts ({@code cairn.export.logs.endpoint}, which the
   * OpenTelemetry variables fill): the shared {@code cairn.export.endpoint} is where spans go, and
   * log lines (which may hold personal data) leave the process only when asked for by name.
   */
  private static String protocol(CairnProperties.Export export) {
    CairnProperties.Export.Signal logs = export.getLogs();
    String protocol = logs.getProtocol() != null ? logs.getProtocol() : export.getProtocol();
    if (!logs.isEnabled() || logs.getEndpoint() == null || logs.getEndpoint().isBlank() || protocol == null) {
      return null;
    }
    String p = protocol.trim().toLowerCase(Locale.ROOT);
    switch (p) {
      case "otlp":
      case "loki":
      case "elasticsearch":
        return p;
      default:
        return null; // zipkin and ndjson carry spans only
    }
  }

  /**
   * Where log lines go, for the start-up summary: {@code "otlp http://collector:4318/v1/logs"}, or
   * {@code "not exported (...)"} with the reason and the setting that would change it.
   */
  static String describe(CairnProperties.Export export) {
    CairnProperties.Export.Signal logs = export.getLogs();
    String p = protocol(export);
    if (p != null) {
      return p + " " + CairnExportSummary.safeUrl(logs.getEndpoint().trim());
    }
    if (!logs.isEnabled()) {
      return "not exported (cairn.export.logs.enabled=false)";
    }
    if (logs.getEndpoint() == null || logs.getEndpoint().isBlank()) {
      return "not exported (no cairn.export.logs.endpoint)";
    }
    String protocol = logs.getProtocol() != null ? logs.getProtocol() : export.getProtocol();
    return "not exported (protocol " + protocol + " carries no logs; set cairn.export.logs.protocol)";
  }

  static Optional<Pipeline<LogRecord>> pipeline(CairnProperties.Export export) {
    String protocol = protocol(export);
    if (protocol == null) {
      return Optional.empty();
    }
    // A logs endpoint is the full URL (OTLP: .../v1/logs), used as given.
    URI url = URI.create(export.getLogs().getEndpoint().trim());
    Exporter<LogRecord> exporter;
    switch (protocol) {
      case "otlp": {
        OtlpLogExporter.Builder b =
            OtlpLogExporter.builder().endpoint(url).timeout(export.getTimeout()).gzip(export.isGzip());
        export.getHeaders().forEach(b::header);
        exporter = b.build();
        break;
      }
      case "loki": {
        LokiLogExporter.Builder b = LokiLogExporter.builder().endpoint(url);
        export.getHeaders().forEach(b::header);
        exporter = b.build();
        break;
      }
      default: {
        ElasticsearchLogExporter.Builder b = ElasticsearchLogExporter.builder().endpoint(url);
        export.getHeaders().forEach(b::header);
        exporter = b.build();
        break;
      }
    }
    ExportSettings settings =
        ExportSettings.builder()
            .queueCapacity(export.getQueueSize())
            .maxBatchSize(export.getBatchSize())
            .scheduleDelay(export.getFlushInterval())
            .build();
    return Optional.of(Pipeline.<LogRecord>builder("logs").addExporter(exporter, settings).build());
  }

  /**
   * Gives the forwarding appender its pipeline (adopting the start-up capture's appender, whose
   * held lines go first) and detaches it on shutdown.
   */
  public static final class CairnLogsExport
      implements SmartInitializingSingleton,
          DisposableBean,
          ApplicationListener<ContextClosedEvent>,
          ApplicationContextAware {
    private static final org.slf4j.Logger SUMMARY_LOG = LoggerFactory.getLogger(CairnExportSummary.class);
    private final Optional<Pipeline<LogRecord>> pipeline;
    private final Environment environment;
    private final CairnProperties properties;
    private CairnAppender appender;
    private ApplicationContext applicationContext;
    private volatile boolean closing;

    CairnLogsExport(
        Optional<Pipeline<LogRecord>> pipeline, Environment environment, CairnProperties properties) {
      this.pipeline = pipeline;
      this.environment = environment;
      this.properties = properties;
    }

    /** The logs pipeline, when an endpoint is configured. */
    public Optional<Pipeline<LogRecord>> pipeline() {
      return pipeline;
    }

    @Override
    public void afterSingletonsInstantiated() {
      attach();
      try {
        // After attaching, so that with logs exported the line is exported too.
        SUMMARY_LOG.info(CairnExportSummary.line(properties, applicationContext));
      } catch (RuntimeException e) {
        Reporter.warn("spring.export-summary", "cairn: describing where signals go failed", e);
      }
    }

    private void attach() {
      Optional<CairnAppender> early = CairnStartupLogCapture.claim(environment);
      if (pipeline.isEmpty()) {
        early.ifPresent(CairnLogsExport::discard);
        return;
      }
      if (early.isPresent()) {
        appender = early.get();
        appender.setPipeline(pipeline.get()); // the held lines first, in order, then live ones
        CairnStartupLogCapture.reportOverflow(appender, properties);
        return;
      }
      if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
        return;
      }
      CairnAppender a = new CairnAppender();
      a.setName("CAIRN_EXPORT");
      a.setContext(ctx);
      a.setPipeline(pipeline.get());
      a.start();
      ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(a);
      appender = a;
    }

    /**
     * The refresh failed after the singletons existed (e.g. the web server could not bind its
     * port): Boot's failure report is logged after this, when the Cairn bean has closed this
     * pipeline, so the appender gets a new one that lives until the JVM exits (bounded).
     */
    private boolean handOverToFailedStartup(CairnAppender a) {
      if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
        return false;
      }
      Optional<Pipeline<LogRecord>> failure;
      try {
        failure = CairnLogsExportAutoConfiguration.pipeline(properties.getExport());
      } catch (RuntimeException e) {
        return false;
      }
      if (failure.isEmpty()) {
        return false;
      }
      a.setPipeline(failure.get());
      CairnStartupLogCapture.exportUntilExit(a, ctx, failure.get());
      return true;
    }

    private static void discard(CairnAppender early) {
      if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(early);
      }
      early.stop(); // no pipeline: what it holds is discarded and counted
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
      this.applicationContext = applicationContext;
    }

    /** A context closing normally says so first; a refresh that failed destroys beans without it. */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
      if (event.getApplicationContext() == applicationContext) {
        closing = true;
      }
    }

    @Override
    public void destroy() {
      if (!closing && appender != null && handOverToFailedStartup(appender)) {
        pipeline.ifPresent(p -> p.close(java.time.Duration.ofSeconds(5)));
        return;
      }
      CairnAppender a = appender;
      if (a != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(a);
        a.stop();
      }
      // The Cairn bean closes it too; closing twice is harmless, and an application that defines
      // its own Cairn bean (without this pipeline) still gets its logs flushed and threads ended.
      pipeline.ifPresent(p -> p.close(java.time.Duration.ofSeconds(5)));
    }
  }
}
