package dev.cairn.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.internal.SelfCounters;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CairnMetricsTest {

  @Test
  void registry_addsCommonTagsToEveryMeter() {
    try (CairnMetrics m =
        CairnMetrics.create(MetricsSettings.builder().commonTag("service", "orders").build())) {
      m.registry().counter("orders.placed").increment();
      assertThat(m.registry().get("orders.placed").counter().getId().getTag("service"))
          .isEqualTo("orders");
    }
  }

  @Test
  void registry_publishesCairnHealthCountersBornBeforeAndAfterIt() {
    SelfCounters.GLOBAL.counter("cairn.test.before", "A counter created before the registry", "events").add(3);
    try (CairnMetrics m = CairnMetrics.create(MetricsSettings.defaults())) {
      SelfCounters.GLOBAL.counter("cairn.test.after", "A counter created after the registry", "events").add(4);
      assertThat(m.registry().get("cairn.test.before").functionCounter().count()).isEqualTo(3.0);
      assertThat(m.registry().get("cairn.test.after").functionCounter().count()).isEqualTo(4.0);
      assertThat(m.registry().get("cairn.test.after").functionCounter().getId().getDescription())
          .isEqualTo("A counter created after the registry");
    }
  }

  @Test
  void guard_isOnByDefault() {
    try (CairnMetrics m = CairnMetrics.create(MetricsSettings.builder().cardinalityLimits(3, 100).build())) {
      for (int i = 0; i < 10; i++) {
        m.registry().counter("hits", "k", "v" + i).increment();
      }
      assertThat(m.registry().find("hits").counters()).hasSize(4);
    }
  }

  @Test
  void prometheusExposition_isLintClean() {
    try (CairnMetrics m =
        CairnMetrics.create(MetricsSettings.builder().jvmMetrics(true).commonTag("service", "s").build())) {
      SelfCounters.GLOBAL.counter("cairn.test.lint", "Lint probe", "events").increment();
      io.micrometer.core.instrument.Counter.builder("orders.placed")
          .description("Orders placed")
          .tag("region", "eu")
          .register(m.registry())
          .increment();
      String text = m.prometheusText().orElseThrow();
      assertThat(lintProblems(text)).isEmpty();
      assertThat(text).contains("# HELP cairn_test_lint_events_total Lint probe");
    }
  }

  @Test
  void histogramSamples_ofSampledSpans_carryTraceExemplars() {
    try (CairnMetrics m = CairnMetrics.create(MetricsSettings.defaults())) {
      Timer timer = Timer.builder("checkout.latency").publishPercentileHistogram().register(m.registry());
      TraceContext c = TraceContext.newRoot(true);
      try (Scope ignored = c.makeCurrent()) {
        timer.record(Duration.ofMillis(5));
      }
      String om = m.openMetricsText().orElseThrow();
      assertThat(om).contains("trace_id=\"" + c.traceIdHex() + "\"").contains("span_id=\"" + c.spanIdHex() + "\"");
    }
  }

  /**
   * A strict subset of Prometheus text-format lint (what {@code promtool check metrics} flags):
   * every family has HELP and TYPE, names are legal, counters end in _total, no family repeats.
   */
  static List<String> lintProblems(String text) {
    List<String> problems = new java.util.ArrayList<>();
    Set<String> help = new HashSet<>();
    Set<String> types = new HashSet<>();
    Pattern name = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP ")) {
        String n = line.split(" ")[2];
        if (!help.add(n)) {
          problems.add("HELP repeated for " + n);
        }
        if (line.split(" ", 4).length < 4 || line.split(" ", 4)[3].isBlank()) {
          problems.add("empty HELP for " + n);
        }
      } else if (line.startsWith("# TYPE ")) {
        String[] p = line.split(" ");
        if (!types.add(p[2])) {
          problems.add("TYPE repeated for " + p[2]);
        }
        if (p[3].equals("counter") && !p[2].endsWith("_total")) {
          problems.add("counter without _total: " + p[2]);
        }
      } else if (!line.isBlank() && !line.startsWith("#")) {
        Matcher mm = Pattern.compile("^([^{ ]+)").matcher(line);
        if (mm.find() && !name.matcher(mm.group(1)).matches()) {
          problems.add("illegal name " + mm.group(1));
        }
      }
    }
    for (String t : types) {
      if (!help.contains(t)) {
        problems.add("TYPE without HELP: " + t);
      }
    }
    return problems;
  }
}
