package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cairn.Cairn;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.testing.TestClassPath;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A newcomer's first Boot application with the starter and no configuration, started in a forked
 * JVM the way it runs for real: what its console shows on a developer's machine and in a
 * Kubernetes pod (Boot detects the pod from the variables the kubelet sets), what an explicit
 * choice changes, and the one start-up line that says where spans, logs and metrics go. The
 * child's environment is cleared first, so the machine the test runs on (a CI pod, say) does not
 * decide the branch.
 */
class FirstApplicationForkedTest {
  /** Set by the kubelet in every pod; Boot's {@code CloudPlatform.KUBERNETES} looks for both. */
  private static final Map<String, String> KUBERNETES =
      Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443");
  private static final Pattern TRACE_IN_MESSAGE = Pattern.compile("order placed in trace ([0-9a-f]{32})");

  private final List<String> receivedPaths = new CopyOnWriteArrayList<>();
  private HttpServer collector;
  private Process process;
  @TempDir Path dir;

  /** The forked application: logs one line inside a trace and records one span, then stops. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  public static class FirstApp {
    public static void main(String[] args) {
      try (ConfigurableApplicationContext ctx =
          new SpringApplicationBuilder(FirstApp.class).web(WebApplicationType.NONE).run(args)) {
        TraceContext trace = TraceContext.newRoot(true);
        try (Scope ignored = trace.makeCurrent()) {
          LoggerFactory.getLogger("shop.orders").info("order placed in trace " + trace.traceIdHex());
        }
        Cairn cairn = ctx.getBean(Cairn.class);
        cairn.tracer().spanBuilder("checkout").startSpan().end();
        cairn.flush(Duration.ofSeconds(10));
      }
    }
  }

  record Run(int exitCode, List<String> stdout, String stderr) {
    String all() {
      return String.join("\n", stdout) + "\n--- stderr ---\n" + stderr;
    }
  }

  @BeforeEach
  void startCollector() throws IOException {
    collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      receivedPaths.add(exchange.getRequestURI().getPath());
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    collector.start();
  }

  @AfterEach
  void stop() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
    collector.stop(0);
  }

  private String collectorUrl() {
    return "http://127.0.0.1:" + collector.getAddress().getPort();
  }

  /** Runs {@link FirstApp} with exactly {@code env} as its environment and waits for it to end. */
  private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx192m", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-cp", TestClassPath.entries().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
        FirstApp.class.getName()));
    cmd.addAll(List.of(args));
    File out = dir.resolve("stdout.txt").toFile();
    File err = dir.resolve("stderr.txt").toFile();
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out).redirectError(err);
    pb.environment().clear();
    pb.environment().putAll(env);
    process = pb.start();
    // Generous: a Boot start-up in a JVM on a loaded 2-core machine; not a timing assertion.
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the application ends").isTrue();
    Run r = new Run(
        process.exitValue(),
        Files.readAllLines(out.toPath(), StandardCharsets.UTF_8),
        Files.readString(err.toPath(), StandardCharsets.UTF_8));
    assertThat(r.exitCode()).as(r.all()).isZero();
    return r;
  }

  private static String orderLine(Run r) {
    return r.stdout().stream().filter(l -> l.contains("order placed in trace")).findFirst()
        .orElseThrow(() -> new AssertionError("no order line in:\n" + r.all()));
  }

  private static String traceIdOf(String line) {
    var m = TRACE_IN_MESSAGE.matcher(line);
    assertThat(m.find()).as(line).isTrue();
    return m.group(1);
  }

  @Test
  void onKubernetes_everyConsoleLineIsCairnJsonWithTheTraceId() throws Exception {
    Run r = run(KUBERNETES);

    JsonMapper json = JsonMapper.builder().build();
    assertThat(r.stdout()).as(r.all()).hasSizeGreaterThan(2);
    for (String line : r.stdout()) {
      JsonNode node = json.readTree(line); // a log agent takes each line as one JSON record
      assertThat(node.isObject()).as(line).isTrue();
      assertThat(node.has("message")).as(line).isTrue();
    }
    String order = orderLine(r);
    JsonNode node = json.readTree(order);
    assertThat(node.get("traceId").asString()).isEqualTo(traceIdOf(order));
    assertThat(node.get("level").asString()).isEqualTo("INFO");
    assertThat(node.get("logger").asString()).isEqualTo("shop.orders");
  }

  @Test
  void onADevelopersMachine_consoleLinesAreBootsTextWithTheIdsColumn() throws Exception {
    Run r = run(Map.of());

    String order = orderLine(r);
    assertThat(order).doesNotStartWith("{");
    // Boot's pattern: ... INFO <pid> --- [app] [thread] [<traceId>-<spanId>] logger : message
    assertThat(order).containsPattern(" INFO ").contains("[" + traceIdOf(order) + "-").contains("shop.orders");
    assertThat(r.stdout()).noneMatch(l -> l.startsWith("{"));
  }

  @Test
  void onKubernetes_bootsOwnStructuredFormatWins() throws Exception {
    Run r = run(KUBERNETES, "--logging.structured.format.console=logstash");

    JsonNode node = JsonMapper.builder().build().readTree(orderLine(r));
    assertThat(node.has("@version")).as("Boot's Logstash format").isTrue();
    assertThat(node.has("@timestamp")).isTrue();
    assertThat(node.has("time")).as("not Cairn's format").isFalse();
  }

  @Test
  void onKubernetes_cairnLoggingFormatPlain_keepsBootsText() throws Exception {
    Run r = run(KUBERNETES, "--cairn.logging.format=plain");

    String order = orderLine(r);
    assertThat(order).doesNotStartWith("{").contains("[" + traceIdOf(order) + "-");
  }

  @Test
  void cairnExportEndpoint_sendsSpansOnly_andOneStartupLineSaysWhereEachSignalGoes() throws Exception {
    Run r = run(Map.of(), "--cairn.export.endpoint=" + collectorUrl());

    List<String> summary = r.stdout().stream().filter(l -> l.contains("Cairn export:")).toList();
    assertThat(summary).as(r.all()).hasSize(1);
    assertThat(summary.get(0))
        .contains(" INFO ")
        .contains("spans -> otlp " + collectorUrl() + "/v1/traces;")
        .contains("logs -> not exported (no cairn.export.logs.endpoint);")
        .contains("metrics -> not exported by Cairn");
    assertThat(receivedPaths).as("the span arrived").contains("/v1/traces");
    assertThat(receivedPaths).as("no log line left the process").doesNotContain("/v1/logs");
  }

  @Test
  void otelExporterOtlpEndpoint_sendsSpansAndLogs_asOpenTelemetryDefines() throws Exception {
    Run r = run(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", collectorUrl()));

    List<String> summary = r.stdout().stream().filter(l -> l.contains("Cairn export:")).toList();
    assertThat(summary).as(r.all()).hasSize(1);
    assertThat(summary.get(0))
        .contains("spans -> otlp " + collectorUrl() + "/v1/traces;")
        .contains("logs -> otlp " + collectorUrl() + "/v1/logs;");
    assertThat(receivedPaths).contains("/v1/traces", "/v1/logs");
  }
}
