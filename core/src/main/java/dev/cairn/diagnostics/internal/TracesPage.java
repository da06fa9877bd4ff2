package dev.cairn.diagnostics.internal;

import dev.cairn.diagnostics.RecentTraces;
import dev.cairn.diagnostics.RecentTraces.SpanSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The "look, don't read" page: recent traces as waterfalls (one bar per span, offset and width
 * proportional to its start and duration within the trace, indented by depth) and this
 * instance's service map (requests it served by operation; calls it made by peer) with request
 * count, error rate and latency. Plain HTML and inline CSS: no script, no external assets.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
final class TracesPage {
  private TracesPage() {}

  /** Aggregates of one edge of the map. */
  static final class Edge {
    long count;
    long errors;
    long totalNanos;
    long maxNanos;
  }

  static Map<String, Edge> edges(List<SpanSummary> spans, String kind) {
    Map<String, Edge> out = new TreeMap<>();
    for (SpanSummary s : spans) {
      if (!s.kind().equals(kind)) {
        continue;
      }
      String key = kind.equals("server") ? s.name() : (s.peer().isEmpty() ? "(unknown peer)" : s.peer());
      Edge e = out.computeIfAbsent(key, k -> new Edge());
      e.count++;
      e.errors += s.error() ? 1 : 0;
      e.totalNanos += s.durationNanos();
      e.maxNanos = Math.max(e.maxNanos, s.durationNanos());
    }
    return out;
  }

  static String render(RecentTraces traces, int maxTraces) {
    List<SpanSummary> all = traces.snapshot();
    StringBuilder sb = new StringBuilder(16 * 1024);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cairn traces</title>")
        .append("<style>body{font:14px/1.4 sans-serif;margin:2em;max-width:70em}")
        .append("table{border-collapse:collapse;margin-bottom:1.5em}td,th{padding:.2em .7em;border-bottom:1px solid #ddd;text-align:left}")
        .append(".trace{margin:1em 0 2em}.row{display:flex;align-items:center;height:1.5em}")
        .append(".label{width:22em;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}")
        .append(".lane{position:relative;flex:1;height:1em;background:#f4f4f4}")
        .append(".bar{position:absolute;height:100%;background:#4a7bd0;min-width:1px}.bar.error{background:#d04a4a}")
        .append(".dur{width:7em;text-align:right;font-variant-numeric:tabular-nums}</style></head><body>\n")
        .append("<h1>Recent traces</h1>\n<p>").append(all.size()).append(" spans kept of ")
        .append(traces.recorded()).append(" seen (ring of ").append(traces.capacity()).append(").</p>\n");
    sb.append("<h2>Service map</h2>\n<h3>Served by this instance</h3>\n");
    edgeTable(sb, edges(all, "server"), "operation", "service-map-in");
    sb.append("<h3>Called by this instance</h3>\n");
    edgeTable(sb, edges(all, "client"), "peer", "service-map-out");
    sb.append("<h2>Waterfalls</h2>\n");
    for (List<SpanSummary> trace : traces.traces(maxTraces)) {
      waterfall(sb, trace);
    }
    sb.append("</body></html>\n");
    return sb.toString();
  }

  private static void edgeTable(StringBuilder sb, Map<String, Edge> edges, String what, String id) {
    sb.append("<table id=\"").append(id).append("\"><tr><th>").append(what)
        .append("</th><th>requests</th><th>error rate</th><th>mean ms</th><th>max ms</th></tr>\n");
    for (Map.Entry<String, Edge> e : edges.entrySet()) {
      Edge v = e.getValue();
      sb.append("<tr class=\"edge\"><td>").append(IndexPage.html(e.getKey())).append("</td><td>")
          .append(v.count).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.1f%%", 100.0 * v.errors / v.count)).append("</td><td>")
          .append(ms(v.totalNanos / v.count)).append("</td><td>").append(ms(v.maxNanos))
          .append("</td></tr>\n");
    }
    sb.append("</table>\n");
  }

  private static void waterfall(StringBuilder sb, List<SpanSummary> trace) {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    Map<String, SpanSummary> byId = new HashMap<>();
    for (SpanSummary s : trace) {
      start = Math.min(start, s.startEpochNanos());
      end = Math.max(end, s.startEpochNanos() + s.durationNanos());
      byId.put(s.spanId(), s);
    }
    long total = Math.max(1, end - start);
    String traceId = trace.get(0).traceId();
    sb.append("<div class=\"trace\" id=\"trace-").append(IndexPage.html(traceId)).append("\"><h3>trace ")
        .append(IndexPage.html(traceId)).append(" — ").append(ms(total)).append(" ms</h3>\n");
    for (SpanSummary s : ordered(trace, byId)) {
      int depth = depth(s, byId);
      double left = 100.0 * (s.startEpochNanos() - start) / total;
      double width = 100.0 * s.durationNanos() / total;
      sb.append("<div class=\"row span\" data-span-id=\"").append(IndexPage.html(s.spanId())).append("\">")
          .append("<div class=\"label\" style=\"padding-left:").append(depth).append("em\">")
          .append(IndexPage.html(s.name())).append(" <small>").append(s.kind()).append("</small></div>")
          .append("<div class=\"lane\"><div class=\"bar").append(s.error() ? " error" : "")
          .append("\" style=\"left:").append(String.format(Locale.ROOT, "%.2f", left))
          .append("%;width:").append(String.format(Locale.ROOT, "%.2f", width)).append("%\"></div></div>")
          .append("<div class=\"dur\">").append(ms(s.durationNanos())).append(" ms</div></div>\n");
    }
    sb.append("</div>\n");
  }

  /** Depth-first by parent, children by start time, so a waterfall reads top-down. */
  private static List<SpanSummary> ordered(List<SpanSummary> trace, Map<String, SpanSummary> byId) {
    Map<String, List<SpanSummary>> children = new HashMap<>();
    List<SpanSummary> roots = new ArrayList<>();
    for (SpanSummary s : trace) {
      if (s.parentSpanId().isEmpty() || !byId.containsKey(s.parentSpanId())) {
        roots.add(s);
      } else {
        children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
      }
    }
    List<SpanSummary> out = new ArrayList<>(trace.size());
    for (SpanSummary r : roots) {
      visit(r, children, out, 0);
    }
    return out;
  }

  private static void visit(SpanSummary s, Map<String, List<SpanSummary>> children, List<SpanSummary> out, int depth) {
    out.add(s);
    if (depth > 64) {
      return;
    }
    for (SpanSummary c : children.getOrDefault(s.spanId(), List.of())) {
      visit(c, children, out, depth + 1);
    }
  }

  private static int depth(SpanSummary s, Map<String, SpanSummary> byId) {
    int d = 0;
    SpanSummary cur = s;
    while (d < 32 && !cur.parentSpanId().isEmpty() && byId.containsKey(cur.parentSpanId())) {
      cur = byId.get(cur.parentSpanId());
      d++;
    }
    return d;
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }
}
