package dev.cairn.export.zipkin;

import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import dev.cairn.internal.export.ExportConfig;
import dev.cairn.internal.export.HttpBatchSender;
import dev.cairn.internal.export.ResourceBound;
import dev.cairn.internal.export.ZipkinSpanEncoder;
import dev.cairn.internal.http.HttpTransport;
import dev.cairn.resource.Resource;
import dev.cairn.span.SpanData;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Exports spans as Zipkin v2 JSON ({@code POST <endpoint>}, default {@code
 * http://localhost:9411/api/v2/spans}) to Zipkin or any receiver of its API.
 *
 * <pre>{@code
 * Cairn cairn = Cairn.builder()
 *     .addSpanExporter(ZipkinSpanExporter.builder().endpoint("http://zipkin:9411/api/v2/spans").build())
 *     .build();
 * }</pre>
 *
 * <p>Retries, caps and counters are those of the OTLP exporter; the mapping of span fields is
 * described in {@code docs/exporters.md}.
 */
public final class ZipkinSpanExporter implements Exporter<SpanData> {
  /** The default endpoint of a local Zipkin. */
  public static final URI DEFAULT_ENDPOINT = URI.create("http://localhost:9411/api/v2/spans");

  private final String name;
  private final ResourceBound<SpanData> encoder;
  private final HttpBatchSender<SpanData> sender;

  private ZipkinSpanExporter(Builder b) {
    this.name = b.name;
    this.encoder =
        new ResourceBound<>(b.resource, r -> new ZipkinSpanEncoder(r)::encode);
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
   * A builder configured from system property {@code cairn.export.zipkin.endpoint} or the
   * environment variable {@code OTEL_EXPORTER_ZIPKIN_ENDPOINT} (the full URL), and {@code
   * cairn.export.zipkin.timeout} / {@code OTEL_EXPORTER_ZIPKIN_TIMEOUT} (milliseconds).
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

  /** Configures a {@link ZipkinSpanExporter}. */
  public static final class Builder {
    private String name = "zipkin";
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

    /** The exporter's name: the {@code exporter} tag of its counters (default {@code zipkin}). */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("exporter name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** The full URL, used as is (default {@code http://localhost:9411/api/v2/spans}). */
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

    /** Compress request bodies with gzip (Zipkin accepts it; default off). */
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

    /** The resource whose {@code service.name} becomes {@code localEndpoint.serviceName}. */
    public Builder resource(Resource resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    Builder applyEnvironment(ExportConfig c) {
      String[] endpointNames = {"cairn.export.zipkin.endpoint", "OTEL_EXPORTER_ZIPKIN_ENDPOINT"};
      String v = c.get(endpointNames);
      if (v != null) {
        endpoint(c.uri(v, c.source(endpointNames)));
      }
      String[] timeoutNames = {"cairn.export.zipkin.timeout", "OTEL_EXPORTER_ZIPKIN_TIMEOUT"};
      if ((v = c.get(timeoutNames)) != null) {
        timeout(ExportConfig.duration(v, c.source(timeoutNames)));
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
    public ZipkinSpanExporter build() {
      transport();
      return new ZipkinSpanExporter(this);
    }
  }
}
