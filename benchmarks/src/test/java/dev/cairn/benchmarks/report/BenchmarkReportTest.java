package dev.cairn.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkReportTest {
  private static final String JMH_JSON = """
      [ { "jmhVersion": "1.37", "benchmark": "dev.cairn.benchmarks.ScopeBenchmark.cairn_scopeWithMdc",
          "mode": "avgt", "threads": 1, "forks": 1, "jdkVersion": "17.0.15", "vmName": "OpenJDK 64-Bit Server VM",
          "measurementIterations": 3, "measurementTime": "1 s", "params": {},
          "primaryMetric": { "score": 20.0, "scoreError": 1.5, "scoreUnit": "ns/op" },
          "secondaryMetrics": { "gc.alloc.rate.norm": { "score": 0.0, "scoreUnit": "B/op" } } },
        { "jmhVersion": "1.37", "benchmark": "dev.cairn.benchmarks.ScopeBenchmark.otel_scopeWithMdc",
          "mode": "avgt", "threads": 1, "forks": 1, "params": {},
          "primaryMetric": { "score": 50.0, "scoreError": 2.0, "scoreUnit": "ns/op" },
          "secondaryMetrics": { "·gc.alloc.rate.norm": { "score": 48.0, "scoreUnit": "B/op" } } },
        { "jmhVersion": "1.37", "benchmark": "dev.cairn.benchmarks.ScopeBenchmark.helper",
          "mode": "avgt", "params": {}, "primaryMetric": { "score": 1.0, "scoreError": 0, "scoreUnit": "ns/op" } } ]
      """;

  @Test
  void pairsMethodsByOperationAndSkipsMethodsOutsideTheNamingRule() {
    List<BenchmarkReport.Result> results = BenchmarkReport.parse(JMH_JSON);

    assertThat(results).extracting(BenchmarkReport.Result::library).containsExactly("cairn", "otel");
    assertThat(results).extracting(BenchmarkReport.Result::operation).containsOnly("scopeWithMdc");
  }

  @Test
  void readsAllocationUnderBothJmhSpellingsOfTheGcMetric() {
    List<BenchmarkReport.Result> results = BenchmarkReport.parse(JMH_JSON);

    assertThat(results).extracting(r -> r.bytesPerOp().orElseThrow()).containsExactly(0.0, 48.0);
  }

  @Test
  void reportsThePeersTimeAsAMultipleOfCairns() {
    String md = BenchmarkReport.markdown(BenchmarkReport.parse(JMH_JSON), "test machine", null);

    assertThat(md).contains("| scopeWithMdc | otel | 50.0 ns/op | 2.00 | 48.0 | 2.50 |");
    assertThat(md).contains("| scopeWithMdc | cairn | 20.0 ns/op | 1.50 | 0.00 | – |");
  }

  @Test
  void anErrorJmhCouldNotComputeIsShownAsADash() {
    String json = JMH_JSON.replace("\"scoreError\": 2.0", "\"scoreError\": \"NaN\"");

    String md = BenchmarkReport.markdown(BenchmarkReport.parse(json), "test machine", null);

    assertThat(md).contains("| scopeWithMdc | otel | 50.0 ns/op | – | 48.0 | 2.50 |");
  }

  @Test
  void regeneratingKeepsTheHandWrittenSectionsOfThePreviousReport() {
    String previous =
        "# Benchmarks\n\nold table\n\n" + BenchmarkReport.HAND_WRITTEN + "\n## Start-up\nfigures\n";
    assertThat(BenchmarkReport.keepHandWritten("# Benchmarks\n\nnew table\n", previous))
        .isEqualTo(
            "# Benchmarks\n\nnew table\n\n" + BenchmarkReport.HAND_WRITTEN + "\n## Start-up\nfigures\n");
    assertThat(BenchmarkReport.keepHandWritten("new\n", "no marker")).isEqualTo("new\n");
  }

  @Test
  void chartHasOneBarPerPeerComparison() {
    String svg = BenchmarkReport.svg(BenchmarkReport.parse(JMH_JSON));

    assertThat(svg).startsWith("<svg").contains("ScopeBenchmark · scopeWithMdc · otel").contains("2.50×");
    assertThat(svg.split("<rect", -1)).hasSize(2);
  }
}
