package dev.cairn.export.elasticsearch;

import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import dev.cairn.internal.export.ExportConfig;
import dev.cairn.internal.export.HttpBatchSender;
import dev.cairn.internal.export.ResourceBound;
import dev.cairn.internal.export.ElasticsearchBulkEncoder;
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
 * Indexes log records into Elasticsearch (or OpenSearch) with the bulk API: {@code POST
 * <base>/_bulk} as NDJSON, one {@code create} action per record into the configured index or data
 * stream (default {@code logs-cairn-default}, which matches Elasticsearch's built-in {@code
 * logs-*-*} data-stream template), documents with Elastic Common Schema names.
 *
 * <pre>{@code
 * Pipeline<LogRecord> logs = Pipeline.<LogRecord>builder("logs")
 *     .addExporter(ElasticsearchLogExporter.builder()
 *         .endpoint("https://es.example:9200")
 *         .header("Authorization", "ApiKey " + System.getenv("ES_API_KEY"))
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>A bulk reply is 200 even when documents were refused; each refused document is counted as a
 * rejected record (never retried). The request asks for a reply filtered to the status fields, so
 * the reply stays small. Retries, caps and counters otherwise as for OTLP ({@code
 * docs/exporters.md}).
 */
public final class ElasticsearchLogExporter implements Exporter<LogRecord> {
  /** The default base URL of a local Elasticsearch. */
  public static final URI DEFAULT_ENDPOINT = URI.create("http://localhost:9200");

  /** The bulk path and the reply filter appended to the base URL. */
  static final String BULK_PATH = "/_bulk?filter_path=errors,items.*.status,items.*.error.reason";

  private final String name;
  private final ResourceBound<LogRecord> encoder;
  private final HttpBatchSender<LogRecord> sender;

  private ElasticsearchLogExporter(Builder b) {
    this.name = b.name;
    this.encoder =
        new ResourceBound<>(
            b.resource, r -> new ElasticsearchBulkEncoder(b.index, r.serviceName())::encode);
    this.sender =
        new HttpBatchSender<>(
            b.transport().build(),
            encoder,
            ElasticsearchBulkEncoder::readReply,
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
   * A builder configured from system properties {@code cairn.export.elasticsearch.endpoint} and
   * {@code cairn.export.elasticsearch.index} or environment variables {@code
   * CAIRN_EXPORT_ELASTICSEARCH_ENDPOINT} and {@code CAIRN_EXPORT_ELASTICSEARCH_INDEX}.
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

  /** Configures a {@link ElasticsearchLogExporter}. */
  public static final class Builder {
    private String name = "elasticsearch";
    private String index = "logs-cairn-default";
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

    /** The exporter's name: the {@code exporter} tag of its counters (default {@code elasticsearch}). */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("exporter name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** The base URL of the cluster (default {@code http://localhost:9200}); {@code /_bulk} is appended. */
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

    /** Compress request bodies with gzip (Elasticsearch accepts it; default off). */
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

    /** The index or data stream written to (default {@code logs-cairn-default}). */
    public Builder index(String index) {
      if (index == null
          || index.isEmpty()
          || !index.equals(index.toLowerCase(java.util.Locale.ROOT))
          || index.startsWith("-")
          || index.startsWith("_")
          || index.chars().anyMatch(ch -> "\\/*?\"<>| ,#:".indexOf(ch) >= 0)) {
        throw new IllegalArgumentException("invalid Elasticsearch index name: '" + index + "'");
      }
      this.index = index;
      return this;
    }

    /** The resource whose {@code service.name} goes into every document. */
    public Builder resource(Resource resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    Builder applyEnvironment(ExportConfig c) {
      String[] endpointNames = {
        "cairn.export.elasticsearch.endpoint", "CAIRN_EXPORT_ELASTICSEARCH_ENDPOINT"
      };
      String v = c.get(endpointNames);
      if (v != null) {
        endpoint(c.uri(v, c.source(endpointNames)));
      }
      String[] indexNames = {"cairn.export.elasticsearch.index", "CAIRN_EXPORT_ELASTICSEARCH_INDEX"};
      if ((v = c.get(indexNames)) != null) {
        index(v);
      }
      return this;
    }

    HttpTransport.Builder transport() {
      return HttpTransport.builder(ExportConfig.appendPath(endpoint, BULK_PATH))
          .name(name)
          .headers(headers)
          .contentType("application/x-ndjson")
          .maxResponseBytes(1024 * 1024) // a filtered reply for a large batch with errors
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
    public ElasticsearchLogExporter build() {
      transport();
      return new ElasticsearchLogExporter(this);
    }
  }
}
