package dev.cairn.spring.boot.autoconfigure;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.cairn.export.Exporter;
import dev.cairn.export.elasticsearch.ElasticsearchLogExporter;
import dev.cairn.export.loki.LokiLogExporter;
import dev.cairn.export.otlp.OtlpLogExporter;
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
 * Log export from {@code cairn.export.logs.*} (or the shared {@code cairn.export.*}): a {@code logs}
 * pipeline with the OTLP, Loki or Elasticsearch exporter is added to the auto-configured Cairn
 * instance, and Cairn's forwarding appender feeds it from Logback's root logger. Under {@link
 * org.springframework.boot.SpringApplication} that appender was attached by {@link
 * CairnStartupLogCapture} as soon as Boot configured logging, and the lines it held since are
 * replayed first; otherwise (an {@code ApplicationContextRunner}, a plain context) it is attached
 * once the singletons exist. Nothing happens without an endpoint, or with a protocol that carries
 * no logs (zipkin, ndjson).
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
    CairnProperties.Export.Signal logs = export.getLogs();
    String endpoint = logs.getEndpoint() != null ? logs.getEndpoint() : export.getEndpoint();
    String protocol = logs.getProtocol() != null ? logs.getProtocol() : export.getProtocol();
    if (!logs.isEnabled() || endpoint == null || endpoint.isBlank() || protocol == null) {
      return false;
    }
    switch (protocol.trim().toLowerCase(Locale.ROOT)) {
      case "otlp":
      case "loki":
      case "elasticsearch":
        return true;
      default:
        return false;
    }
  }

  static Optional<Pipeline<LogRecord>> pipeline(CairnProperties.Export export) {
    CairnProperties.Export.Signal logs = export.getLogs();
    if (!logs.isEnabled()) {
      return Optional.empty();
    }
    String endpoint = logs.getEndpoint() != null ? logs.getEndpoint() : export.getEndpoint();
    String protocol = logs.getProtocol() != null ? logs.getProtocol() : export.getProtocol();
    if (endpoint == null || endpoint.isBlank()) {
      return Optional.empty();
    }
    String url = endpoint.trim();
    boolean perSignal = logs.getEndpoint() != null;
    Exporter<LogRecord> exporter;
    switch (protocol.trim().toLowerCase(Locale.ROOT)) {
      case "otlp": {
        // A shared endpoint is a base URL (as OTEL_EXPORTER_OTLP_ENDPOINT); a logs one is used as is.
        String logsUrl = perSignal ? url : url.replaceAll("/+$", "") + "/v1/logs";
        OtlpLogExporter.Builder b =
            OtlpLogExporter.builder().endpoint(URI.create(logsUrl)).timeout(export.getTimeout())
                .gzip(export.isGzip());
        export.getHeaders().forEach(b::header);
        exporter = b.build();
        break;
      }
      case "loki": {
        LokiLogExporter.Builder b = LokiLogExporter.builder().endpoint(URI.create(url));
        export.getHeaders().forEach(b::header);
        exporter = b.build();
        break;
      }
      case "elasticsearch": {
        ElasticsearchLogExporter.Builder b = ElasticsearchLogExporter.builder().endpoint(URI.create(url));
        export.getHeaders().forEach(b::header);
        exporter = b.build();
        break;
      }
      default:
        // zipkin and ndjson carry spans only.
        return Optional.empty();
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
