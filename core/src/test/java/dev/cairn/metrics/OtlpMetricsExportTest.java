package dev.cairn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtlpMetricsExportTest {
  private HttpServer server;
  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          paths.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Authorization"));
          bodies.add(ex.getRequestBody().readAllBytes());
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void metrics_arePushedAsOtlpProtobufToV1Metrics() throws Exception {
    CairnMetrics m =
        CairnMetrics.create(
            MetricsSettings.builder()
                .prometheus(false)
                .commonTag("service.name", "orders")
                .otlpEndpoint(base())
                .otlpHeader("Authorization", "Bearer t0k3n")
                .otlpStep(Duration.ofSeconds(30))
                .build());
    m.registry().counter("orders.placed", "region", "eu").increment(3);
    m.close(); // publishes the final step

    assertThat(paths).isNotEmpty().allMatch(p -> p.equals("/v1/metrics Bearer t0k3n"));
    ExportMetricsServiceRequest req = ExportMetricsServiceRequest.parseFrom(bodies.get(bodies.size() - 1));
    List<Metric> metrics =
        req.getResourceMetricsList().stream()
            .flatMap(r -> r.getScopeMetricsList().stream())
            .flatMap(s -> s.getMetricsList().stream())
            .collect(Collectors.toList());
    Metric placed = metrics.stream().filter(x -> x.getName().equals("orders.placed")).findFirst().orElseThrow();
    assertThat(placed.getSum().getDataPoints(0).getAsDouble()).isEqualTo(3.0);
    assertThat(req.getResourceMetrics(0).getResource().getAttributesList())
        .anyMatch(a -> a.getKey().equals("service.name") && a.getValue().getStringValue().equals("orders"));
  }

  @Test
  void otlpEndpoint_refusesNonHttpSchemesNamingTheValue() {
    assertThatThrownBy(() -> MetricsSettings.builder().otlpEndpoint("ftp://x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ftp://x'");
  }

  @Test
  void otlpEndpoint_baseUrlGetsTheMetricsPath() {
    assertThat(MetricsSettings.builder().otlpEndpoint("http://c:4318/").build().otlpEndpoint())
        .contains("http://c:4318/v1/metrics");
  }
}
