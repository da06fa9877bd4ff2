package dev.cairn.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Cairn's settings under {@code cairn.*}. Every property can also be set from the environment in
 * Spring Boot's relaxed form ({@code CAIRN_SERVICE_NAME}, {@code CAIRN_MDC_TRACE_ID_KEY}, ...); the
 * standard {@code OTEL_SERVICE_NAME}, {@code OTEL_EXPORTER_OTLP_ENDPOINT} and {@code
 * OTEL_RESOURCE_ATTRIBUTES} are honoured as fallbacks, and {@code spring.application.name} names
 * the service when nothing else does.
 */
@ConfigurationProperties("cairn")
public class CairnProperties {
  /** Whether Cairn is active at all. */
  private boolean enabled = true;

  /**
   * Name of this service in logs, spans and metrics. Defaults to OTEL_SERVICE_NAME, then
   * spring.application.name.
   */
  private String serviceName;

  /**
   * Resource attributes as key=value pairs separated by commas (the OTEL_RESOURCE_ATTRIBUTES
   * form), added to everything exported.
   */
  private String resourceAttributes;

  private final Mdc mdc = new Mdc();
  private final Propagation propagation = new Propagation();
  private final Metrics metrics = new Metrics();
  private final Tracing tracing = new Tracing();
  private final Export export = new Export();
  private final Logging logging = new Logging();
  private final Jfr jfr = new Jfr();
  private final Health health = new Health();

  public Logging getLogging() {
    return logging;
  }

  public Jfr getJfr() {
    return jfr;
  }

  public Health getHealth() {
    return health;
  }

  /** Cairn's contribution to Actuator's health endpoint. */
  public static class Health {
    private final Exporters exporters = new Exporters();

    public Exporters getExporters() {
      return exporters;
    }

    /** The {@code cairn} health contributor: one child per exporter. */
    public static class Exporters {
      /**
       * Report DOWN for an exporter whose latest export failed. Off by default: a telemetry
       * backend being down leaves the application UP (the child shows failing=true).
       */
      private boolean downOnFailure = false;

      public boolean isDownOnFailure() {
        return downOnFailure;
      }

      public void setDownOnFailure(boolean downOnFailure) {
        this.downOnFailure = downOnFailure;
      }
    }
  }

  /** JFR events for spans (always cheap), and the opt-in black box and stall attribution. */
  public static class Jfr {
    /** Emit Cairn's JFR events (cairn.Span, cairn.Scope, ...); they cost a check while no recording is on. */
    private boolean enabled = true;

    /** Directory of the black box: an always-on bounded recording dumped on trouble. Unset: no black box. */
    private String blackBoxDirectory;

    /** Dump the black box when an ERROR line is logged. */
    private boolean dumpOnErrorLog = true;

    /** Span duration above which its GC, lock, park, sleep and I/O stalls are explained. Unset: off. */
    private java.time.Duration stallThreshold;

    /**
     * Record Spring's start-up steps (context refresh, bean instantiation, ...) as JFR events
     * through Spring's FlightRecorderApplicationStartup, unless the application set its own
     * ApplicationStartup.
     */
    private boolean applicationStartup = true;

    public boolean isApplicationStartup() {
      return applicationStartup;
    }

    public void setApplicationStartup(boolean applicationStartup) {
      this.applicationStartup = applicationStartup;
    }

    private final Endpoint endpoint = new Endpoint();

    public Endpoint getEndpoint() {
      return endpoint;
    }

    /** The jfr Actuator endpoint: recordings it starts and the dumps it writes, all bounded. */
    public static class Endpoint {
      /**
       * Directory the endpoint dumps recordings into. Unset: a new owner-only temporary directory,
       * created on the first dump.
       */
      private String directory;

      /** Longest history a recording started by the endpoint keeps; also its default. */
      private Duration maxAge = Duration.ofMinutes(15);

      /** Most disk a recording started by the endpoint keeps (a number alone is megabytes); also its default. */
      @org.springframework.boot.convert.DataSizeUnit(org.springframework.util.unit.DataUnit.MEGABYTES)
      private org.springframework.util.unit.DataSize maxSize = org.springframework.util.unit.DataSize.ofMegabytes(100);

      /** Longest a recording started by the endpoint runs before it stops by itself; also its default. */
      private Duration maxDuration = Duration.ofHours(1);

      /** Recordings the endpoint keeps open at once; a start beyond it is refused (409). */
      private int maxRecordings = 2;

      /** Dump files the endpoint keeps; the oldest it wrote is deleted when a new one exceeds it. */
      private int maxDumps = 10;

      public String getDirectory() {
        return directory;
      }

      public void setDirectory(String directory) {
        this.directory = directory;
      }

      public Duration getMaxAge() {
        return maxAge;
      }

      public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
      }

      public org.springframework.util.unit.DataSize getMaxSize() {
        return maxSize;
      }

      public void setMaxSize(org.springframework.util.unit.DataSize maxSize) {
        this.maxSize = maxSize;
      }

      public Duration getMaxDuration() {
        return maxDuration;
      }

      public void setMaxDuration(Duration maxDuration) {
        this.maxDuration = maxDuration;
      }

      public int getMaxRecordings() {
        return maxRecordings;
      }

      public void setMaxRecordings(int maxRecordings) {
        this.maxRecordings = maxRecordings;
      }

      public int getMaxDumps() {
        return maxDumps;
      }

      public void setMaxDumps(int maxDumps) {
        this.maxDumps = maxDumps;
      }
    }

    private final Log log = new Log();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getBlackBoxDirectory() {
      return blackBoxDirectory;
    }

    public void setBlackBoxDirectory(String blackBoxDirectory) {
      this.blackBoxDirectory = blackBoxDirectory;
    }

    public boolean isDumpOnErrorLog() {
      return dumpOnErrorLog;
    }

    public void setDumpOnErrorLog(boolean dumpOnErrorLog) {
      this.dumpOnErrorLog = dumpOnErrorLog;
    }

    public java.time.Duration getStallThreshold() {
      return stallThreshold;
    }

    public void setStallThreshold(java.time.Duration stallThreshold) {
      this.stallThreshold = stallThreshold;
    }

    public Log getLog() {
      return log;
    }

    /** The application's log lines as cairn.Log JFR events. */
    public static class Log {
      /** Record the application's log lines (Logback) as cairn.Log events through the auto-configured CairnJfr. */
      private boolean enabled = true;

      /** Lowest level recorded as cairn.Log: TRACE, DEBUG, INFO, WARN, ERROR or OFF. */
      private String minLevel = "WARN";

      public boolean isEnabled() {
        return enabled;
      }

      public void setEnabled(boolean enabled) {
        this.enabled = enabled;
      }

      public String getMinLevel() {
        return minLevel;
      }

      public void setMinLevel(String minLevel) {
        this.minLevel = minLevel;
      }
    }
  }

  /** Log lines written by Cairn's encoder through Boot's structured logging. */
  public static class Logging {
    /**
     * JSON log format written by Cairn's encoder on the console (and the log file): cairn, ecs,
     * logstash, gcp or gelf; plain keeps Boot's text lines. Unset: cairn on the console when Boot
     * detects a cloud platform (Kubernetes, Cloud Foundry, ...), else Boot's text lines; Boot's
     * logging.structured.format.console wins either way.
     */
    private String format;

    /**
     * Google Cloud project id of the gcp format's logging.googleapis.com/trace. Unset: the
     * GOOGLE_CLOUD_PROJECT, GCLOUD_PROJECT, GCP_PROJECT or CLOUDSDK_CORE_PROJECT environment
     * variable (Cloud Run and GKE set none of them).
     */
    private String gcpProjectId;

    public String getFormat() {
      return format;
    }

    public void setFormat(String format) {
      this.format = format;
    }

    public String getGcpProjectId() {
      return gcpProjectId;
    }

    public void setGcpProjectId(String gcpProjectId) {
      this.gcpProjectId = gcpProjectId;
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getServiceName() {
    return serviceName;
  }

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }

  public String getResourceAttributes() {
    return resourceAttributes;
  }

  public void setResourceAttributes(String resourceAttributes) {
    this.resourceAttributes = resourceAttributes;
  }

  public Mdc getMdc() {
    return mdc;
  }

  public Propagation getPropagation() {
    return propagation;
  }

  public Metrics getMetrics() {
    return metrics;
  }

  public Tracing getTracing() {
    return tracing;
  }

  public Export getExport() {
    return export;
  }

  /** The MDC keys that mirror the current context in every log line. */
  public static class Mdc {
    /** Whether Cairn writes correlation ids into SLF4J's MDC. */
    private boolean enabled = true;

    /** MDC key of the trace id (the name Spring Boot's log pattern and Micrometer Tracing use). */
    private String traceIdKey = "traceId";

    /** MDC key of the span id. */
    private String spanIdKey = "spanId";

    /** MDC key of the correlation (request) id. */
    private String correlationIdKey = "correlationId";

    /** Baggage names copied into the MDC under their own names. */
    private List<String> baggageKeys = new ArrayList<>();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getTraceIdKey() {
      return traceIdKey;
    }

    public void setTraceIdKey(String traceIdKey) {
      this.traceIdKey = traceIdKey;
    }

    public String getSpanIdKey() {
      return spanIdKey;
    }

    public void setSpanIdKey(String spanIdKey) {
      this.spanIdKey = spanIdKey;
    }

    public String getCorrelationIdKey() {
      return correlationIdKey;
    }

    public void setCorrelationIdKey(String correlationIdKey) {
      this.correlationIdKey = correlationIdKey;
    }

    public List<String> getBaggageKeys() {
      return baggageKeys;
    }

    public void setBaggageKeys(List<String> baggageKeys) {
      this.baggageKeys = baggageKeys;
    }
  }

  /** Which header formats are read from requests and written to outgoing calls. */
  public static class Propagation {
    /**
     * Formats, in extraction order: w3c (traceparent/tracestate), baggage, b3 (single header),
     * b3multi, request-id (the request-id-headers), aws (X-Amzn-Trace-Id), gcp
     * (X-Cloud-Trace-Context), or none. The OTEL_PROPAGATORS names (tracecontext, xray,
     * xcloudtrace, correlationid) are accepted too.
     */
    private List<String> formats = new ArrayList<>(List.of("w3c", "baggage", "request-id"));

    /** Headers that carry the correlation id, the first one is also written outbound. */
    private List<String> requestIdHeaders = new ArrayList<>(List.of("X-Request-ID", "X-Correlation-ID"));

    /** Response header that echoes the correlation id; empty to disable. */
    private String responseHeader = "X-Request-ID";

    /** Whether a request that arrives without a correlation id gets one (its trace id). */
    private boolean generateCorrelationId = true;

    public boolean isGenerateCorrelationId() {
      return generateCorrelationId;
    }

    public void setGenerateCorrelationId(boolean generateCorrelationId) {
      this.generateCorrelationId = generateCorrelationId;
    }

    public List<String> getFormats() {
      return formats;
    }

    public void setFormats(List<String> formats) {
      this.formats = formats;
    }

    public List<String> getRequestIdHeaders() {
      return requestIdHeaders;
    }

    public void setRequestIdHeaders(List<String> requestIdHeaders) {
      this.requestIdHeaders = requestIdHeaders;
    }

    public String getResponseHeader() {
      return responseHeader;
    }

    public void setResponseHeader(String responseHeader) {
      this.responseHeader = responseHeader;
    }
  }

  /** Cairn's additions to Boot's Micrometer registry. */
  public static class Metrics {
    private final Cardinality cardinality = new Cardinality();

    /** Baggage names that become tags on Cairn's server and client timers. */
    private List<String> baggageTags = new ArrayList<>();

    public Cardinality getCardinality() {
      return cardinality;
    }

    public List<String> getBaggageTags() {
      return baggageTags;
    }

    public void setBaggageTags(List<String> baggageTags) {
      this.baggageTags = baggageTags;
    }

    /** The cardinality guard. */
    public static class Cardinality {
      /** Whether the cardinality guard caps distinct tag sets. */
      private boolean enabled = true;

      /** Distinct tag sets allowed per meter name before the overflow series takes over. */
      private int maxPerName = 1000;

      /** Meters allowed in all. */
      private int maxTotal = 10000;

      public boolean isEnabled() {
        return enabled;
      }

      public void setEnabled(boolean enabled) {
        this.enabled = enabled;
      }

      public int getMaxPerName() {
        return maxPerName;
      }

      public void setMaxPerName(int maxPerName) {
        this.maxPerName = maxPerName;
      }

      public int getMaxTotal() {
        return maxTotal;
      }

      public void setMaxTotal(int maxTotal) {
        this.maxTotal = maxTotal;
      }
    }
  }

  /** Spans. */
  public static class Tracing {
    /**
     * Who records spans for observations: auto (micrometer when a Micrometer Tracing tracer is
     * present, else cairn), cairn (Cairn's handler), micrometer (Micrometer Tracing records spans
     * and writes trace headers; Cairn's context mirrors its current span), or off.
     */
    private String mode = "auto";

    /** Fraction of new traces sampled for export, 0.0 to 1.0 (local sinks see every span). */
    private double samplingRatio = 1.0;

    /** Upper bound of sampled traces per second; 0 for no bound. */
    private int samplingRateLimit = 0;

    public String getMode() {
      return mode;
    }

    public void setMode(String mode) {
      this.mode = mode;
    }

    public double getSamplingRatio() {
      return samplingRatio;
    }

    public void setSamplingRatio(double samplingRatio) {
      this.samplingRatio = samplingRatio;
    }

    public int getSamplingRateLimit() {
      return samplingRateLimit;
    }

    public void setSamplingRateLimit(int samplingRateLimit) {
      this.samplingRateLimit = samplingRateLimit;
    }
  }

  /** Export to a backend; one set of defaults for all signals, with per-signal overrides. */
  public static class Export {
    /**
     * Where spans go: an OTLP/HTTP base URL, a Zipkin base URL, an NDJSON file or stdout, or empty
     * for no export. Log lines are exported only to cairn.export.logs.endpoint.
     */
    private String endpoint;

    /** Wire format: otlp (OTLP/HTTP JSON), zipkin (Zipkin v2 JSON), ndjson (file or stdout). */
    private String protocol = "otlp";

    /** Extra request headers, for example Authorization. */
    private Map<String, String> headers = new LinkedHashMap<>();

    /** Timeout of one export request. */
    private Duration timeout = Duration.ofSeconds(10);

    /** Records held per exporter before drops begin. */
    private int queueSize = 2048;

    /** Records per export request. */
    private int batchSize = 512;

    /** Longest a record waits before its batch is sent. */
    private Duration flushInterval = Duration.ofSeconds(1);

    /** Whether request bodies are gzip-compressed. */
    private boolean gzip = true;

    private final Signal traces = new Signal();
    private final LogsSignal logs = new LogsSignal();

    public String getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(String endpoint) {
      this.endpoint = endpoint;
    }

    public String getProtocol() {
      return protocol;
    }

    public void setProtocol(String protocol) {
      this.protocol = protocol;
    }

    public Map<String, String> getHeaders() {
      return headers;
    }

    public void setHeaders(Map<String, String> headers) {
      this.headers = headers;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public int getQueueSize() {
      return queueSize;
    }

    public void setQueueSize(int queueSize) {
      this.queueSize = queueSize;
    }

    public int getBatchSize() {
      return batchSize;
    }

    public void setBatchSize(int batchSize) {
      this.batchSize = batchSize;
    }

    public Duration getFlushInterval() {
      return flushInterval;
    }

    public void setFlushInterval(Duration flushInterval) {
      this.flushInterval = flushInterval;
    }

    public boolean isGzip() {
      return gzip;
    }

    public void setGzip(boolean gzip) {
      this.gzip = gzip;
    }

    public Signal getTraces() {
      return traces;
    }

    public LogsSignal getLogs() {
      return logs;
    }

    /** Per-signal overrides; unset values fall back to the shared export settings. */
    public static class Signal {
      /** Whether this signal is exported (when an endpoint is set). */
      private boolean enabled = true;

      /** Endpoint for this signal only. */
      private String endpoint;

      /** Protocol for this signal only. */
      private String protocol;

      public boolean isEnabled() {
        return enabled;
      }

      public void setEnabled(boolean enabled) {
        this.enabled = enabled;
      }

      public String getEndpoint() {
        return endpoint;
      }

      public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
      }

      public String getProtocol() {
        return protocol;
      }

      public void setProtocol(String protocol) {
        this.protocol = protocol;
      }
    }

    /** The logs signal: the per-signal overrides plus the start-up buffer. */
    public static class LogsSignal extends Signal {
      /**
       * Log lines kept from the start of the application (before the logs pipeline exists) and
       * replayed into it; lines beyond are dropped and counted. 0 turns the early capture off.
       */
      private int startupBufferSize = 1024;

      public int getStartupBufferSize() {
        return startupBufferSize;
      }

      public void setStartupBufferSize(int startupBufferSize) {
        this.startupBufferSize = startupBufferSize;
      }
    }
  }
}
