package dev.cairn.export.otlp;

import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.export.ExportConfig;
import dev.cairn.internal.export.HttpBatchSender;
import dev.cairn.internal.export.ResourceBound;
import dev.cairn.internal.export.OtlpTraceEncoder;
import dev.cairn.internal.http.HttpTransport;
import dev.cairn.resource.Resource;
import dev.cairn.span.SpanData;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Exports spans as OTLP/HTTP JSON ({@code POST <endpoint>}, default {@code
 * http://localhost:4318/v1/traces}) to an OpenTelemetry Collector or any OTLP receiver.
 *
 * <pre>{@code
 * Cairn cairn = Cairn.builder()
 *     .addSpanExporter(OtlpSpanExporter.fromEnvironment().build())
 *     .build();
 * }</pre>
 *
 * <p>Retries follow the OTLP rules (429/502/503/504 and connection failures, exponential backoff
 * with jitter, {@code Retry-After}); a partial success is not retried and its rejected spans are
 * counted. Settings and what is counted: {@code docs/exporters.md}.
 */
public final class OtlpSpanExporter implements Exporter<SpanData> {
  /** The default traces endpoint of a local collector. */
  public static final URI DEFAULT_ENDPOINT = URI.create("http://localhost:4318/v1/traces");

  private final String name;
  private final ResourceBound<SpanData> encoder;
  private final HttpBatchSender<SpanData> sender;

  private OtlpSpanExporter(Builder b) {
    this.name = b.name;
    HttpTransport transport = b.transport().build();
    this.encoder = new ResourceBound<>(b.resource, r -> new OtlpTraceEncoder(r)::encode);
    this.sender =
        new HttpBatchSender<>(
            transport, encoder, r -> PartialSuccess.read(r, "rejectedSpans"), b.maxRequestBytes);
  }

  /** Adopts the Cairn instance's resource unless the builder set one. */
  @Override
  public void useResource(Resource resource) {
    encoder.adopt(resource);
  }

  /** A builder with the defaults, ignoring the environment. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder configured from system properties ({@code cairn.export.otlp.*}) and the standard
   * {@code OTEL_EXPORTER_OTLP_*} environment variables; see {@code docs/exporters.md}.
   *
   * @throws IllegalArgumentException naming the setting when a value is malformed
   */
  public static Builder fromEnvironment() {
    return builder().applyEnvironment(ExportConfig.system());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ExportResult export(List<SpanData> batch) {
    return sender.export(batch);
  }

  @Override
  public void close() {
    sender.close();
  }

  /** Configures an {@link OtlpSpanExporter}. */
  public static final class Builder {
    private String name = "otlp";
    private URI endpoint = DEFAULT_ENDPOINT;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private boolean gzip;
    private int maxAttempts = 5;
    private Duration maxElapsed = Duration.ofSeconds(30);
    private int maxRequestBytes = HttpTransport.DEFAULT_MAX_REQUEST_BYTES;
    private Resource resource;

    private Builder() {}

    /** The exporter's name: the {@code exporter} tag of its counters (default {@code otlp}). */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("exporter name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** The full traces URL, used as is (default {@code http://localhost:4318/v1/traces}). */
    public Builder endpoint(URI tracesEndpoint) {
      this.endpoint = Objects.requireNonNull(tracesEndpoint, "endpoint");
      return this;
    }

    /** The full traces URL, used as is. */
    public Builder endpoint(String tracesEndpoint) {
      return endpoint(URI.create(Objects.requireNonNull(tracesEndpoint, "endpoint")));
    }

    /** A base URL (scheme, host, port, optional path prefix) to which {@code /v1/traces} is appended. */
    public Builder baseEndpoint(URI base) {
      return endpoint(ExportConfig.appendPath(Objects.requireNonNull(base, "base"), "/v1/traces"));
    }

    /** A request header, e.g. {@code Authorization} or {@code api-key}. */
    public Builder header(String key, String value) {
      headers.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Request timeout of one attempt, to the last byte of the reply (default 10 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** TCP connect timeout (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
      return this;
    }

    /** Compress request bodies with gzip (default off). */
    public Builder gzip(boolean gzip) {
      this.gzip = gzip;
      return this;
    }

    /** Attempts per batch including the first (default 5; 1 disables retries). */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = attempts;
      return this;
    }

    /** Total time one batch may take with its retries (default 30 s). */
    public Builder maxElapsed(Duration maxElapsed) {
      this.maxElapsed = Objects.requireNonNull(maxElapsed, "maxElapsed");
      return this;
    }

    /** Largest request body before compression; bigger batches are split (default 20 MiB, the maximum). */
    public Builder maxRequestBytes(int bytes) {
      this.maxRequestBytes = bytes;
      return this;
    }

    /**
     * The resource sent with every request (default {@link Resource#detect()}); pass the one your
     * {@code Cairn} instance uses so both agree on {@code service.name}.
     */
    public Builder resource(Resource resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /**
     * Applies {@code cairn.export.otlp.*} system properties and {@code OTEL_EXPORTER_OTLP_*}
     * environment variables on top of what is set so far.
     */
    Builder applyEnvironment(ExportConfig c) {
      String[] traces = {
        "cairn.export.otlp.traces.endpoint",
        "otel.exporter.otlp.traces.endpoint",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
      };
      String[] base = {
        "cairn.export.otlp.endpoint", "otel.exporter.otlp.endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT"
      };
      String v = c.get(traces);
      if (v != null) {
        endpoint(c.uri(v, c.source(traces)));
      } else if ((v = c.get(base)) != null) {
        baseEndpoint(c.uri(v, c.source(base)));
      }
      String[] generic = {"cairn.export.otlp.headers", "otel.exporter.otlp.headers", "OTEL_EXPORTER_OTLP_HEADERS"};
      String[] signal = {
        "cairn.export.otlp.traces.headers",
        "otel.exporter.otlp.traces.headers",
        "OTEL_EXPORTER_OTLP_TRACES_HEADERS"
      };
      if ((v = c.get(generic)) != null) {
        ExportConfig.headers(v, c.source(generic)).forEach(this::header);
      }
      if ((v = c.get(signal)) != null) {
        ExportConfig.headers(v, c.source(signal)).forEach(this::header);
      }
      String[] timeoutNames = {
        "cairn.export.otlp.timeout",
        "otel.exporter.otlp.traces.timeout",
        "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
        "otel.exporter.otlp.timeout",
        "OTEL_EXPORTER_OTLP_TIMEOUT"
      };
      if ((v = c.get(timeoutNames)) != null) {
        timeout(ExportConfig.duration(v, c.source(timeoutNames)));
      }
      String[] compression = {
        "cairn.export.otlp.compression",
        "otel.exporter.otlp.traces.compression",
        "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION",
        "otel.exporter.otlp.compression",
        "OTEL_EXPORTER_OTLP_COMPRESSION"
      };
      if ((v = c.get(compression)) != null) {
        gzip(ExportConfig.gzip(v, c.source(compression)));
      }
      String[] protocol = {
        "otel.exporter.otlp.traces.protocol",
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
        "otel.exporter.otlp.protocol",
        "OTEL_EXPORTER_OTLP_PROTOCOL"
      };
      if ((v = c.get(protocol)) != null && !v.toLowerCase(Locale.ROOT).equals("http/json")) {
        Reporter.warn(
            "otlp.protocol",
            c.source(protocol) + "=" + v + ": Cairn sends OTLP as http/json only; using http/json",
            null);
      }
      return this;
    }

    HttpTransport.Builder transport() {
      return HttpTransport.builder(endpoint)
          .name(name)
          .headers(headers)
          .contentType("application/json")
          .gzip(gzip)
          .requestTimeout(timeout)
          .connectTimeout(connectTimeout)
          .maxAttempts(maxAttempts)
          .maxElapsed(maxElapsed)
          .maxRequestBytes(maxRequestBytes);
    }

    /** The configured endpoint (for tests and diagnostics). */
    public URI endpoint() {
      return endpoint;
    }

    /** The configured headers. */
    public Map<String, String> headers() {
      return Map.copyOf(headers);
    }

    /**
     * The exporter. Validates every setting (throws {@link IllegalArgumentException} with the
     * setting's name); threads and connections are only created by the first export.
     */
    public OtlpSpanExporter build() {
      transport(); // validates before anything is created
      return new OtlpSpanExporter(this);
    }
  }
}
