package dev.cairn.examples.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command in a short mode: three real Spring Boot services as child JVMs, real
 * load, and every promise the printed guide makes checked against the files the run produced.
 */
class StorefrontDemoTest {
  @TempDir static Path out;
  private static DemoReport report;
  private static String guide;

  @BeforeAll
  static void runTheDemoBriefly() throws Exception {
    DemoOptions options =
        DemoOptions.parse(new String[] {"--duration=5s", "--out=" + out}, Map.of());
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    report = StorefrontDemo.run(options, new PrintStream(progress, true, StandardCharsets.UTF_8));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    report.printGuide(new PrintStream(printed, true, StandardCharsets.UTF_8));
    guide = progress.toString(StandardCharsets.UTF_8) + printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsEveryServicesUrlAndProcessIdAtStartup() {
    assertThat(report.urls()).containsOnlyKeys("orders", "inventory", "payments");
    report.urls().values().forEach(url -> assertThat(url).startsWith("http://127.0.0.1:"));
    report.pids().forEach((role, pid) -> assertThat(guide).contains(role).contains("pid " + pid));
  }

  @Test
  void logLinesOfAllThreeServicesShareTheDriversTraceIds() {
    assertThat(report.sharedTraceIds()).isNotEmpty();
    String traceId = report.sharedTraceIds().get(0);
    report.exampleLines().forEach((role, lines) ->
        assertThat(lines).as(role).isNotEmpty().allMatch(l -> l.contains(traceId)));
  }

  @Test
  void journalReplayFindsTheLostUpdateOfTheRacedReservation() {
    // Ordinary concurrent orders of one item may lose updates too (the service really has the
    // bug); the raced reservation must be among them.
    assertThat(report.lostUpdates()).anyMatch(u -> u.key().equals(DemoReport.CONTESTED_SKU));
    assertThat(report.stockReplayed()).isEqualTo(InventoryService.INITIAL_STOCK - 2);
    assertThat(report.stockRecorded()).isEqualTo(InventoryService.INITIAL_STOCK - 1);
  }

  @Test
  void fingerprintDiffNamesExactlyTheSettingsTheTwoInstancesWereStartedWith() {
    List<String> diff = report.fingerprintDiff();
    assertThat(diff).anyMatch(l -> l.contains("time.zone") && l.contains("America/New_York"));
    assertThat(diff).anyMatch(l -> l.contains("jvm.heap.max.bytes"));
    assertThat(diff).noneMatch(l -> l.contains("java.version"));
  }

  @Test
  void spansOfOneTraceAreExportedByAllThreeServices() {
    assertThat(report.spansExported()).isPositive();
    assertThat(report.exampleTrace())
        .anyMatch(l -> l.startsWith("orders") && l.contains("server"))
        .anyMatch(l -> l.startsWith("inventory") && l.contains("server"))
        .anyMatch(l -> l.startsWith("payments") && l.contains("server"));
  }

  @Test
  void theInjectedErrorLeavesABlackBoxDump() {
    assertThat(report.blackBoxDumps())
        .anyMatch(p -> p.toString().contains("blackbox-payments") && p.toString().endsWith(".jfr"));
  }

  @Test
  void explainsTheContendedRequestByItsLockWait() {
    assertThat(report.slowLock()).hasValueSatisfying(l -> assertThat(l).contains("LOCK_WAIT"));
  }

  @Test
  void explainsTheSlowChargeByItsSocketRead() {
    assertThat(report.slowIo()).hasValueSatisfying(l -> assertThat(l).contains("SOCKET_IO"));
  }

  @Test
  void printsEachServicesDiagnosticsPageOnLoopback() {
    assertThat(report.diagnostics()).containsOnlyKeys("orders", "inventory", "payments");
    report.diagnostics().values().forEach(d -> assertThat(d).startsWith("http://127.0.0.1:"));
  }

  @Test
  void everyChildProcessIsStoppedWhenTheDemoReturns() {
    report.pids().values().forEach(pid ->
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            .as("pid %d alive", pid).isFalse());
  }
}
