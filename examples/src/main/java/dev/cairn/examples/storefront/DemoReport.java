package dev.cairn.examples.storefront;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo produced, collected from the files the services wrote, and the guide that
 * explains it. The demo's test asserts on these fields, so the guide never promises what the run
 * did not produce.
 *
 * @param outputDir where everything went
 * @param urls base URL per service
 * @param pids process id per service
 * @param sent every request the load driver sent
 * @param logs the log file per service
 * @param sharedTraceIds driver trace ids that appear in the logs of all three services
 * @param exampleLines for one shared trace, its log lines per service
 */
public record DemoReport(
    Path outputDir,
    Map<String, String> urls,
    Map<String, Long> pids,
    List<LoadDriver.Sent> sent,
    Map<String, Path> logs,
    List<String> sharedTraceIds,
    Map<String, List<String>> exampleLines) {

  static DemoReport collect(
      DemoOptions options, Map<String, String> urls, Map<String, Long> pids,
      List<LoadDriver.Sent> sent, List<ServiceProcess> services) {
    Map<String, Path> logs = new LinkedHashMap<>();
    Map<String, List<String>> lines = new LinkedHashMap<>();
    for (ServiceProcess p : services) {
      logs.put(p.role, p.log);
      lines.put(p.role, StorefrontDemo.readLines(p.log));
    }
    List<String> shared = new ArrayList<>();
    for (LoadDriver.Sent s : sent) {
      boolean everywhere = !lines.isEmpty();
      for (List<String> serviceLines : lines.values()) {
        everywhere &= serviceLines.stream().anyMatch(l -> l.contains(s.traceId()));
      }
      if (everywhere) {
        shared.add(s.traceId());
      }
    }
    Map<String, List<String>> example = new LinkedHashMap<>();
    if (!shared.isEmpty()) {
      String id = shared.get(0);
      lines.forEach((role, ls) -> example.put(role, ls.stream().filter(l -> l.contains(id)).toList()));
    }
    return new DemoReport(
        options.outputDir(), Map.copyOf(urls), Map.copyOf(pids), sent, logs, List.copyOf(shared),
        example);
  }

  /** Prints the short guide: what the run produced, and where to look. */
  public void printGuide(PrintStream out) {
    long failed = sent.stream().filter(s -> s.status() != 200).count();
    out.println();
    out.println("=== Cairn storefront demo: what happened ===");
    out.printf("Requests sent: %d (%d not 200, by design: injected faults)%n", sent.size(), failed);
    out.println();
    out.println("1. One request, three services, one trace id in every JSON log line");
    out.printf("   %d of %d traces appear in the logs of orders, inventory and payments.%n",
        sharedTraceIds.size(), sent.size());
    exampleLines.forEach((role, ls) -> {
      out.printf("   %s (%s):%n", role, logs.get(role));
      ls.stream().limit(2).forEach(l -> out.println("     " + abbreviate(l, 220)));
    });
    out.println();
    out.println("Everything is under " + outputDir);
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
