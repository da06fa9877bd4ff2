package dev.cairn.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.export.ExportResult;
import dev.cairn.export.Exporter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.span.SpanData;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Cairn's own meter families as Prometheus scrapes them pass Prometheus's naming lint: the Java
 * rules of {@link PrometheusLint} always, and {@code promtool check metrics} itself when it is
 * installed (Debian's {@code prometheus} package; {@code .ci/run} installs it when it can).
 *
 * <p>"All of Cairn's meters" comes from two places: every health counter and JFR timer declared
 * with a literal name in the main sources of every module (so a counter that has not fired yet is
 * checked too), and the meters a running instance really registers (exporter counters and gauges,
 * propagation rejections), with their tags.
 */
class CairnMeterNamingTest {
  private static final Pattern SELF_COUNTER =
      Pattern.compile(
          "counter\\(\\s*\"(cairn\\.[a-z0-9_.]+)\"\\s*,\\s*((?:\"(?:[^\"\\\\]|\\\\.)*\"\\s*\\+?\\s*)+),\\s*\"([a-z_]+)\"");
  private static final Pattern TIMER = Pattern.compile("Timer\\.builder\\(\\s*\"(cairn\\.[a-z0-9_.]+)\"");
  private static final String[] MODULES = {"core", "logback-appender", "jfr", "spring-starter"};

  record Declared(String name, String description, String unit) {}

  static List<Declared> declaredCounters(List<String> timers) throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<Declared> out = new ArrayList<>();
    for (String module : MODULES) {
      Path src = root.resolve(module).resolve("src/main/java");
      if (!Files.isDirectory(src)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(src)) {
        for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
          String java = Files.readString(f);
          Matcher m = SELF_COUNTER.matcher(java);
          while (m.find()) {
            String description = m.group(2).replaceAll("\"\\s*\\+\\s*\"", "").replaceAll("^\"|\"\\s*$", "");
            out.add(new Declared(m.group(1), description, m.group(3)));
          }
          Matcher t = TIMER.matcher(java);
          while (t.find()) {
            timers.add(t.group(1));
          }
        }
      }
    }
    return out;
  }

  /** Every declared family registered once, as Prometheus would scrape it. */
  static String declaredExposition() throws IOException {
    List<String> timers = new ArrayList<>();
    List<Declared> counters = declaredCounters(timers);
    assertThat(counters).as("the source scan finds Cairn's counters").hasSizeGreaterThan(30);
    assertThat(timers).as("the source scan finds the JFR timers").isNotEmpty();
    PrometheusSupport prometheus = PrometheusSupport.createIfPresent();
    try {
      SelfCounters own = new SelfCounters();
      for (Declared d : counters) {
        own.counter(d.name(), d.description(), d.unit()).increment();
      }
      CairnHealthMeters.of(own).bindTo(prometheus.registry());
      for (String t : timers) {
        Timer.builder(t).description("timer " + t).register(prometheus.registry())
            .record(3, TimeUnit.MILLISECONDS);
      }
      return prometheus.scrape();
    } finally {
      prometheus.close();
    }
  }

  /** What a running instance registers: exporter counters and gauges, rejections, with tags. */
  static String runningExposition() {
    Exporter<SpanData> exporter =
        new Exporter<>() {
          @Override
          public String name() {
            return "memory";
          }

          @Override
          public ExportResult export(List<SpanData> batch) {
            return ExportResult.success();
          }
        };
    try (Cairn cairn = Cairn.builder().shutdownHook(false).addSpanExporter(exporter).build();
        CairnMetrics metrics = CairnMetrics.create(MetricsSettings.builder().build())) {
      ExporterMeters.of(cairn).bindTo(metrics.registry());
      cairn.tracer().spanBuilder("probe").startSpan().end();
      cairn.flush(Duration.ofSeconds(10));
      dev.cairn.propagation.Propagators.w3cTraceContext()
          .extract(
              dev.cairn.context.TraceContext.empty(),
              java.util.Map.of("traceparent", "not-a-traceparent"),
              dev.cairn.propagation.Carriers.mapGetter());
      return metrics.prometheusText().orElseThrow();
    }
  }

  @Test
  void declaredMeters_passTheJavaLint() throws Exception {
    assertThat(PrometheusLint.check(declaredExposition(), "cairn_")).isEmpty();
  }

  @Test
  void runningInstancesMeters_passTheJavaLint() {
    String text = runningExposition();

    assertThat(text).contains("cairn_export_exported_items_total", "cairn_export_queued_items");
    assertThat(PrometheusLint.check(text, "cairn_")).isEmpty();
  }

  @Test
  void exportTime_isCountedInSeconds() {
    String text = runningExposition();

    assertThat(text).contains("cairn_export_latency_seconds_total").doesNotContain("nanoseconds");
  }

  @Test
  void javaLint_flagsWhatPromtoolFlags() {
    String bad =
        "# HELP cairn_x_latency_nanoseconds_total t\n# TYPE cairn_x_latency_nanoseconds_total counter\n"
            + "cairn_x_latency_nanoseconds_total 1\n"
            + "# TYPE cairn_y counter\ncairn_y 1\n";

    assertThat(PrometheusLint.check(bad, "cairn_"))
        .anyMatch(p -> p.contains("nanoseconds"))
        .anyMatch(p -> p.contains("cairn_y: counter names should end in _total"))
        .anyMatch(p -> p.contains("cairn_y: no HELP"));
  }

  @Test
  void cairnMeters_passPromtoolWhenInstalled() throws Exception {
    Path promtool = promtool();
    if (promtool == null) {
      // Said out loud: a green run without promtool has checked the Java rules only.
      System.out.println("SKIPPED: promtool is not installed; only PrometheusLint's rules were checked");
      org.junit.jupiter.api.Assumptions.abort("promtool is not installed (apt-get install prometheus)");
    }
    for (String text : List.of(declaredExposition(), runningExposition())) {
      String cairnOnly = onlyFamilies(text, "cairn_");
      Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(cairnOnly.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out.trim()).as(out).isEmpty();
    }
  }

  /** Just the families whose name starts with {@code prefix} (JVM meters are not Cairn's to name). */
  static String onlyFamilies(String exposition, String prefix) {
    StringBuilder sb = new StringBuilder();
    for (String line : exposition.split("\n")) {
      String name = line.startsWith("# ") ? line.split(" ", 4)[2] : line;
      if (name.startsWith(prefix)) {
        sb.append(line).append('\n');
      }
    }
    return sb.toString();
  }

  static Path promtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, "promtool");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
