package dev.cairn.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one JMH JSON result file into the published benchmark report: per comparison class, per
 * operation, every library's time and allocation and its ratio to Cairn's, plus an SVG chart of
 * the ratios. Pairing relies on the {@code <library>_<operation>} method naming rule.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.cairn.benchmarks.report.BenchmarkReport \
 *     jmh.json docs/benchmarks.md docs/benchmarks.svg</pre>
 */
public final class BenchmarkReport {
  /** One JMH result: {@code ScopeBenchmark.cairn_scopeWithMdc} split into its parts. */
  public record Result(
      String comparison, String library, String operation, String params, double score,
      double error, String unit, Optional<Double> bytesPerOp) {}

  private BenchmarkReport() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: BenchmarkReport <jmh.json> <report.md> [chart.svg [note]]");
      System.exit(2);
    }
    List<Result> results = parse(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
    String machine = machine(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
    String svgName = args.length > 2 ? Path.of(args[2]).getFileName().toString() : null;
    String md = markdown(results, machine, svgName);
    if (args.length > 3) {
      // Conditions of the run (load, concurrent work) that a reader must know to trust the numbers.
      md = md.replaceFirst("\n\n", "\n\n" + args[3] + "\n\n");
    }
    Path report = Path.of(args[1]);
    if (Files.exists(report)) {
      md = keepHandWritten(md, Files.readString(report, StandardCharsets.UTF_8));
    }
    Files.writeString(report, md, StandardCharsets.UTF_8);
    if (args.length > 2) {
      Files.writeString(Path.of(args[2]), svg(results), StandardCharsets.UTF_8);
    }
  }

  /**
   * Everything in the previous report from {@link #HAND_WRITTEN} on (figures that do not come from
   * JMH, such as the start-up benchmark's) is appended to the new one, so regenerating keeps them.
   */
  static final String HAND_WRITTEN = "<!-- Hand-written below: BenchmarkReport keeps it. -->";

  static String keepHandWritten(String generated, String previous) {
    int at = previous.indexOf(HAND_WRITTEN);
    if (at < 0) {
      return generated;
    }
    return generated.stripTrailing() + "\n\n" + previous.substring(at);
  }

  /** Reads JMH's {@code -rf json} output. */
  public static List<Result> parse(String json) {
    ObjectMapper mapper = JsonMapper.builder().build();
    List<Result> out = new ArrayList<>();
    for (JsonNode run : mapper.readTree(json)) {
      String full = run.path("benchmark").asString();
      String method = full.substring(full.lastIndexOf('.') + 1);
      String cls = full.substring(0, full.lastIndexOf('.'));
      cls = cls.substring(cls.lastIndexOf('.') + 1);
      int us = method.indexOf('_');
      if (us <= 0) {
        continue; // not a comparison method
      }
      StringBuilder params = new StringBuilder();
      run.path("params").properties().forEach(e ->
          params.append(params.length() == 0 ? "" : ",").append(e.getKey()).append('=')
              .append(e.getValue().asString()));
      JsonNode primary = run.path("primaryMetric");
      Optional<Double> bytes = Optional.empty();
      for (Map.Entry<String, JsonNode> e : run.path("secondaryMetrics").properties()) {
        if (e.getKey().endsWith("gc.alloc.rate.norm")) {
          bytes = Optional.of(number(e.getValue().path("score")));
        }
      }
      out.add(new Result(cls, method.substring(0, us), method.substring(us + 1), params.toString(),
          number(primary.path("score")), number(primary.path("scoreError")),
          primary.path("scoreUnit").asString(), bytes));
    }
    return out;
  }

  /** JMH writes an error it could not compute (too few iterations) as the string "NaN". */
  static double number(JsonNode n) {
    if (n.isString()) {
      try {
        return Double.parseDouble(n.asString());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  private static String machine(String json) {
    JsonNode first = JsonMapper.builder().build().readTree(json).path(0);
    return first.path("vmName").asString() + " " + first.path("jdkVersion").asString()
        + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, "
        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
        + "; forks " + first.path("forks").asInt() + ", " + first.path("measurementIterations").asInt()
        + " x " + first.path("measurementTime").asString() + " measurement";
  }

  /** Operations of one comparison, each with its results by library, in file order. */
  static Map<String, Map<String, Map<String, Result>>> group(List<Result> results) {
    Map<String, Map<String, Map<String, Result>>> byClass = new LinkedHashMap<>();
    for (Result r : results) {
      String op = r.params().isEmpty() ? r.operation() : r.operation() + " (" + r.params() + ")";
      byClass.computeIfAbsent(r.comparison(), k -> new LinkedHashMap<>())
          .computeIfAbsent(op, k -> new LinkedHashMap<>())
          .put(r.library(), r);
    }
    return byClass;
  }

  /** The Markdown report: one table per comparison, ratio = library time ÷ Cairn time. */
  public static String markdown(List<Result> results, String machine, String svgName) {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n")
        .append("Generated by `dev.cairn.benchmarks.report.BenchmarkReport` from one JMH run; see\n")
        .append("[benchmarks/README.md](../benchmarks/README.md) for the command. Machine: ")
        .append(machine).append(".\n\n")
        .append("\"× Cairn\" is the peer's time divided by Cairn's in the same run: above 1 the peer is\n")
        .append("slower. Allocation is JMH's `gc.alloc.rate.norm` (bytes per operation).\n\n");
    if (svgName != null) {
      md.append("![time relative to Cairn](").append(svgName).append(")\n\n");
    }
    group(results).forEach((cls, ops) -> {
      md.append("## ").append(cls).append("\n\n")
          .append("| operation | library | time | ± | B/op | × Cairn |\n")
          .append("|---|---|---:|---:|---:|---:|\n");
      ops.forEach((op, libs) -> {
        Result cairn = libs.get("cairn");
        libs.values().forEach(r -> md.append("| ").append(op).append(" | ").append(r.library())
            .append(" | ").append(fmt(r.score())).append(' ').append(r.unit())
            .append(" | ").append(fmt(r.error()))
            .append(" | ").append(r.bytesPerOp().map(BenchmarkReport::fmt).orElse("–"))
            .append(" | ").append(cairn == null || r == cairn ? "–" : fmt(ratio(r, cairn)))
            .append(" |\n"));
      });
      md.append('\n');
    });
    return md.toString();
  }

  /** Peer time ÷ Cairn time; for throughput modes the inverse, so above 1 always means Cairn wins. */
  static double ratio(Result peer, Result cairn) {
    boolean throughput = peer.unit().startsWith("ops/");
    return throughput ? cairn.score() / peer.score() : peer.score() / cairn.score();
  }

  /** A horizontal bar per (operation, peer): its ratio to Cairn on a log scale around 1. */
  public static String svg(List<Result> results) {
    List<String[]> bars = new ArrayList<>();
    group(results).forEach((cls, ops) -> ops.forEach((op, libs) -> {
      Result cairn = libs.get("cairn");
      if (cairn == null) {
        return;
      }
      libs.values().stream().filter(r -> r != cairn).forEach(r ->
          bars.add(new String[] {cls + " · " + op + " · " + r.library(),
              Double.toString(ratio(r, cairn))}));
    }));
    int rowHeight = 22;
    int labelWidth = 520;
    int chartWidth = 420;
    int height = 60 + rowHeight * bars.size();
    double maxLog = 1;
    for (String[] b : bars) {
      maxLog = Math.max(maxLog, Math.abs(Math.log10(Double.parseDouble(b[1]))));
    }
    double scale = (chartWidth / 2.0) / maxLog;
    int mid = labelWidth + chartWidth / 2;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(labelWidth + chartWidth + 80)
        .append("\" height=\"").append(height).append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
        .append("<text x=\"10\" y=\"20\" font-size=\"14\">Peer time ÷ Cairn time (log scale; right of the line: Cairn is faster)</text>\n")
        .append("<line x1=\"").append(mid).append("\" y1=\"30\" x2=\"").append(mid).append("\" y2=\"")
        .append(height - 10).append("\" stroke=\"#333\"/>\n");
    int y = 40;
    for (String[] b : bars) {
      double r = Double.parseDouble(b[1]);
      double w = Math.log10(r) * scale;
      double x = w >= 0 ? mid : mid + w;
      s.append("<text x=\"").append(labelWidth - 6).append("\" y=\"").append(y + 14)
          .append("\" text-anchor=\"end\">").append(escape(b[0])).append("</text>\n")
          .append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(y + 3).append("\" width=\"")
          .append(fmt(Math.max(1, Math.abs(w)))).append("\" height=\"").append(rowHeight - 6)
          .append("\" fill=\"").append(r >= 1 ? "#2b7a4b" : "#b5452f").append("\"/>\n")
          .append("<text x=\"").append(fmt(w >= 0 ? mid + w + 4 : mid + 4)).append("\" y=\"")
          .append(y + 14).append("\">").append(fmt(r)).append("×</text>\n");
      y += rowHeight;
    }
    return s.append("</svg>\n").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  static String fmt(double d) {
    if (Double.isNaN(d)) {
      return "–";
    }
    return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%.0f", d)
        : Math.abs(d) >= 10 ? String.format(Locale.ROOT, "%.1f", d)
        : String.format(Locale.ROOT, "%.2f", d);
  }
}
