package dev.cairn.export.loki;

import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import dev.cairn.internal.export.ExportConfig;
import dev.cairn.internal.export.HttpBatchSender;
import dev.cairn.internal.export.ResourceBound;
import dev.cairn.internal.export.LokiEncoder;
import dev.cairn.internal.http.HttpTransport;
import dev.cairn.resource.Resource;
import dev.cairn.logging.LogRecord;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pushes log records to Grafana Loki ({@code POST <endpoint>}, default {@code
 * http://localhost:3100/loki/api/v1/push}, JSON). Streams are labelled {@code service_name},
 * {@code level} and the configured static labels only (each distinct label set is a stream in
 * Loki, so nothing per record); each line is the record as one JSON document with ECS names,
 * which LogQL's {@code | json} reads.
 *
 * <pre>{@code
 * Pipeline<LogRecord> logs = Pipeline.<LogRecord>builder("logs")
 *     .addExporter(LokiLogExporter.builder().endpoint("http://loki:3100/loki/api/v1/push").build())
 *     .build();
 * }</pre>
 *
 * <p>Retries, caps and counters are those of the OTLP exporter; see {@code docs/exporters.md}.
 */
public final class LokiLogExporter implements Exporter<LogRecord> {
  /** The default push endpoint of a local Loki. */
  public static final URI DEFAULT_ENDPOINT = URI.create("http://localhost:3100/loki/api/v1/push");

  private final String name;
  private final ResourceBound<LogRecord> encoder;
  private final HttpBatchSender<LogRecord> sender;

  private LokiLogExporter(Builder b) {
    this.name = b.name;
    this.encoder =
        new ResourceBound<>(b.resource, r -> new LokiEncoder(r.serviceName(), b.labels)::encode);
    this.sender =
        new HttpBatchSender<>(
            b.transport().build(),
            encoder,
            r -> HttpBatchSender.Rejection.none(),
            b.maxRequestBytes);
  }

  /** Adopts the Cairn instance's resource unless the builder set one. */
  @Override
  public void useResource(Resource resource) {
    encoder.adopt(resource);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder configured from system property {@code cairn.export.loki.endpoint} or environment
   * variable {@code CAIRN_EXPORT_LOKI_ENDPOINT} (the full push URL).
   */
  public static Builder fromEnvironment() {
    return builder().applyEnvironment(ExportConfig.system());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ExportResult export(List<LogRecord> batch) {
    return sender.export(batch);
  }

  @Override
  public void close() {
    sender.close();
  }

  /** Configures a {@link LokiLogExporter}. */
  public static final class Builder {
    private String name = "loki";
    private final Map<String, String> labels = new LinkedHashMap<>();
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

    /** The exporter's name: the {@code exporter} tag of its counters (default {@code loki}). */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("exporter name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** The full URL, used as is (default {@code http://localhost:3100/loki/api/v1/push}). */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    public Builder endpoint(String endpoint) {
      return endpoint(URI.create(Objects.requireNonNull(endpoint, "endpoint")));
    }

    public Builder header(String key, String value) {
      headers.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Request timeout of one attempt, to the last byte of the reply (default 10 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
      return this;
    }

    /** Compress request bodies with gzip (Loki accepts it; default off). */
    public Builder gzip(boolean gzip) {
      this.gzip = gzip;
      return this;
    }

    public Builder maxAttempts(int attempts) {
      this.maxAttempts = attempts;
      return this;
    }

    public Builder maxElapsed(Duration maxElapsed) {
      this.maxElapsed = Objects.requireNonNull(maxElapsed, "maxElapsed");
      return this;
    }

    public Builder maxRequestBytes(int bytes) {
      this.maxRequestBytes = bytes;
      return this;
    }

    /**
     * A static stream label, e.g. {@code env=prod}. Names follow Prometheus rules ({@code
     * [a-zA-Z_][a-zA-Z0-9_]*}); {@code service_name} and {@code level} are set by the exporter.
     */
    public Builder label(String name, String value) {
      Objects.requireNonNull(value, "value");
      if (name == null || !name.matches("[a-zA-Z_][a-zA-Z0-9_]*") || name.startsWith("__")) {
        throw new IllegalArgumentException("invalid Loki label name: '" + name + "'");
      }
      if (name.equals("service_name") || name.equals("level")) {
        throw new IllegalArgumentException("label '" + name + "' is set by the exporter");
      }
      labels.put(name, value);
      return this;
    }

    /** The resource whose {@code service.name} becomes the {@code service_name} label. */
    public Builder resource(Resource resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    Builder applyEnvironment(ExportConfig c) {
      String[] endpointNames = {"cairn.export.loki.endpoint", "CAIRN_EXPORT_LOKI_ENDPOINT"};
      String v = c.get(endpointNames);
      if (v != null) {
        endpoint(c.uri(v, c.source(endpointNames)));
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

    public URI endpoint() {
      return endpoint;
    }

    /** The exporter; throws {@link IllegalArgumentException} naming a malformed setting. */
    public LokiLogExporter build() {
      transport();
      return new LokiLogExporter(this);
    }
  }
}
