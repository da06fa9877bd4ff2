package dev.cairn.examples.storefront;

import dev.cairn.diagnostics.Fingerprint;
import dev.cairn.diagnostics.FingerprintDiff;
import dev.cairn.journal.Event;
import dev.cairn.journal.JournalReader;
import dev.cairn.journal.LostUpdate;
import dev.cairn.journal.Replay;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * @param journalEvents how many events the inventory journal holds
 * @param lostUpdates the lost updates a replay of the journal found
 * @param stockRecorded the contested item's stock level the service believed at the end
 * @param stockReplayed the same level rebuilt from the journal
 * @param fingerprintDiff what differs between the inventory and payments instances, one line each
 * @param spanFiles the NDJSON span file per service (empty when spans went to a backend)
 * @param spansExported spans found in those files
 * @param exampleTrace the spans of one shared trace: service, kind, name, duration
 * @param blackBoxDumps JFR black-box dumps the services wrote
 * @param slowLock a stall breakdown of a request that waited for a lock
 * @param slowIo a stall breakdown of a request that waited for a socket
 * @param diagnostics each service's diagnostics page as printed at start
 */
public record DemoReport(
    Path outputDir,
    Map<String, String> urls,
    Map<String, Long> pids,
    List<LoadDriver.Sent> sent,
    Map<String, Path> logs,
    List<String> sharedTraceIds,
    Map<String, List<String>> exampleLines,
    long journalEvents,
    List<LostUpdate> lostUpdates,
    long stockRecorded,
    long stockReplayed,
    List<String> fingerprintDiff,
    Map<String, Path> spanFiles,
    long spansExported,
    List<String> exampleTrace,
    List<Path> blackBoxDumps,
    Optional<String> slowLock,
    Optional<String> slowIo,
    Map<String, String> diagnostics) {

  static final String CONTESTED_SKU = "sku-contested";
  private static final Pattern QUANTITY = Pattern.compile("\"quantity\":(\\d+)");
  private static final Pattern AFTER = Pattern.compile("\"after\":(-?\\d+)");

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
    Path journalDir = options.outputDir().resolve("journal");
    long events = 0;
    List<LostUpdate> lost = List.of();
    long recorded = -1;
    long replayed = -1;
    if (Files.isDirectory(journalDir)) {
      try {
        JournalReader reader = JournalReader.open(journalDir);
        events = reader.records();
        lost = Replay.lostUpdates(reader.read(0));
        // What the service believed: the "after" it wrote last. The truth: initial stock minus
        // every reservation the journal holds, whatever the service computed.
        Replay.Result<Long> truth =
            Replay.of((long) InventoryService.INITIAL_STOCK,
                    (Long level, Event e) -> level - number(QUANTITY, e.payloadText()).orElse(0L))
                .filter(e -> e.key().equals(CONTESTED_SKU))
                .run(reader.read(0));
        replayed = truth.state();
        Replay.Result<Long> belief =
            Replay.of(-1L, (Long level, Event e) -> number(AFTER, e.payloadText()).orElse(level))
                .filter(e -> e.key().equals(CONTESTED_SKU))
                .run(reader.read(0));
        recorded = belief.state();
      } catch (IOException e) {
        lost = List.of();
      }
    }
    List<String> diff = List.of();
    Path a = options.outputDir().resolve("inventory.fingerprint.json");
    Path b = options.outputDir().resolve("payments.fingerprint.json");
    if (Files.exists(a) && Files.exists(b)) {
      try {
        diff = FingerprintDiff.between(
                Fingerprint.parse(Files.readString(a)), Fingerprint.parse(Files.readString(b)))
            .render().lines().toList();
      } catch (IOException | RuntimeException e) {
        diff = List.of("(could not diff: " + e + ")");
      }
    }
    Map<String, Path> spanFiles = new LinkedHashMap<>();
    long spans = 0;
    List<String> traceSpans = new ArrayList<>();
    String exampleId = shared.isEmpty() ? "-" : shared.get(0);
    for (ServiceProcess p : services) {
      Path f = options.outputDir().resolve("spans-" + p.role + ".ndjson");
      if (Files.exists(f)) {
        spanFiles.put(p.role, f);
        for (String line : StorefrontDemo.readLines(f)) {
          spans++;
          if (line.contains("\"traceId\":\"" + exampleId + "\"")) {
            traceSpans.add(String.format("%-9s %-6s %-28s %s ms", p.role,
                field(line, "kind"), field(line, "name"),
                number(DURATION, line).map(n -> Long.toString(n / 1_000_000)).orElse("?")));
          }
        }
      }
    }
    List<Path> dumps = new ArrayList<>();
    Map<String, String> diagnostics = new LinkedHashMap<>();
    for (ServiceProcess p : services) {
      Path box = options.outputDir().resolve("blackbox-" + p.role);
      if (Files.isDirectory(box)) {
        try (java.util.stream.Stream<Path> files = Files.list(box)) {
          files.filter(f -> f.toString().endsWith(".jfr")).sorted().forEach(dumps::add);
        } catch (IOException e) {
          // an unreadable directory shows as no dumps
        }
      }
      p.diagnostics().ifPresent(d -> diagnostics.put(p.role, d));
    }
    Optional<String> slowLock = stall(lines.getOrDefault("inventory", List.of()), "lock_ms");
    Optional<String> slowIo = stall(lines.getOrDefault("payments", List.of()), "socket_ms");
    return new DemoReport(
        options.outputDir(), Map.copyOf(urls), Map.copyOf(pids), sent, logs, List.copyOf(shared),
        example, events, lost, recorded, replayed, diff, spanFiles, spans, traceSpans,
        List.copyOf(dumps), slowLock, slowIo, diagnostics);
  }

  /** The worst server-span breakdown whose {@code field} (lock_ms, socket_ms) is the largest. */
  private static Optional<String> stall(List<String> logLines, String field) {
    Pattern p = Pattern.compile(field + "=(\\d+)");
    String best = null;
    long bestMs = 0;
    for (String l : logLines) {
      if (!l.contains("slow span name=\\\"http post")) {
        continue;
      }
      Matcher m = p.matcher(l);
      if (m.find() && Long.parseLong(m.group(1)) > bestMs) {
        bestMs = Long.parseLong(m.group(1));
        best = l;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    Matcher msg = Pattern.compile("\"message\":\"(.*?)\",\"logger\"").matcher(best);
    return Optional.of(msg.find() ? msg.group(1).replace("\\\"", "\"") : best);
  }

  private static final Pattern DURATION = Pattern.compile("\"durationNanos\":(\\d+)");

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : "?";
  }

  private static Optional<Long> number(Pattern p, String json) {
    Matcher m = p.matcher(json);
    return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
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
    out.println("2. Spans, exported");
    if (spanFiles.isEmpty()) {
      out.println("   Spans went to the backend your OTEL_EXPORTER_OTLP_ENDPOINT / CAIRN_EXPORT_* names.");
    } else {
      out.printf("   %d spans in %s%n", spansExported, spanFiles.values());
      out.printf("   trace %s:%n", sharedTraceIds.isEmpty() ? "-" : sharedTraceIds.get(0));
      exampleTrace.forEach(l -> out.println("     " + l));
    }
    out.println();
    out.println("3. Who got there first: the journal");
    out.printf("   %s holds %d events (inspect: java -cp <classpath> dev.cairn.journal.JournalTool dump %s)%n",
        outputDir.resolve("journal"), journalEvents, outputDir.resolve("journal"));
    if (lostUpdates.isEmpty()) {
      out.println("   Replay found no lost update this time (the race did not overlap).");
    } else {
      // The raced item first; ordinary concurrent orders of one item lose updates too (the
      // service's read-then-write really is racy), summarised in one line.
      List<LostUpdate> raced =
          lostUpdates.stream().filter(u -> u.key().equals(CONTESTED_SKU)).toList();
      for (LostUpdate u : raced) {
        out.printf("   Lost update on %s: event #%d (trace %s) wrote from version %d, but #%d"
                + " (trace %s) had already moved it to %d.%n",
            u.key(), u.lost().position(), u.lost().traceIdHex(), u.readVersion(),
            u.first().position(), u.first().traceIdHex(), u.actualVersion());
      }
      List<String> others = lostUpdates.stream().map(LostUpdate::key)
          .filter(k -> !k.equals(CONTESTED_SKU)).distinct().toList();
      if (!others.isEmpty()) {
        out.printf("   …and %d more lost updates on %s from ordinary concurrent orders"
                + " (JournalTool replay lists them all).%n",
            lostUpdates.size() - raced.size(), others);
      }
      out.printf("   The service believes %s has %d left; replaying the journal gives %d.%n",
          CONTESTED_SKU, stockRecorded, stockReplayed);
    }
    out.println();
    out.println("4. Works on pod A, fails on pod B: the environment fingerprint diff");
    out.printf("   inventory and payments run one image with different settings; %d differences:%n",
        fingerprintDiff.size());
    fingerprintDiff.stream().limit(12).forEach(l -> out.println("     " + abbreviate(l, 200)));
    out.printf("   Same from the command line: java -cp <classpath> %s %s %s%n",
        FingerprintDiff.class.getName(), outputDir.resolve("inventory.fingerprint.json"),
        outputDir.resolve("payments.fingerprint.json"));
    out.println();
    out.println("5. The black box: JFR dumps written when something went wrong");
    if (blackBoxDumps.isEmpty()) {
      out.println("   none this time");
    } else {
      blackBoxDumps.forEach(d -> out.println("   " + d + "   (jfr print --events cairn.Span " + d.getFileName() + ")"));
    }
    out.println();
    out.println("6. Why was this request slow? JDK events attributed to the span they delayed");
    out.println("   lock contention (inventory): " + slowLock.orElse("not observed this time"));
    out.println("   slow I/O (payments):         " + slowIo.orElse("not observed this time"));
    out.println();
    out.println("7. Diagnostics pages (live while the services run; keep them up with --until-interrupted)");
    diagnostics.forEach((role, d) -> out.printf("   %-9s %s%n", role, d));
    out.println();
    out.println("Everything is under " + outputDir);
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
