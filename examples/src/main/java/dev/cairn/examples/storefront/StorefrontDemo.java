package dev.cairn.examples.storefront;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The README's first command: starts the three storefront services as child JVMs on free
 * loopback ports, drives load with injected faults through them for a bounded time, then prints a
 * guide to what Cairn produced and where.
 */
public final class StorefrontDemo {
  private StorefrontDemo() {}

  public static void main(String[] args) throws Exception {
    DemoOptions options = DemoOptions.parse(args, System.getenv());
    DemoReport report = run(options, System.out);
    report.printGuide(System.out);
  }

  /** Runs the whole demo and returns what it found; every child process is stopped on return. */
  public static DemoReport run(DemoOptions options, PrintStream out) throws Exception {
    Path dir = options.outputDir();
    prepare(dir);
    List<ServiceProcess> started = new ArrayList<>();
    Thread stopper = new Thread(() -> started.forEach(ServiceProcess::close), "demo-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      Map<String, String> env = childEnvironment(options);
      // Two "pods" of one image started with different settings: the fingerprint diff finds them.
      ServiceProcess payments =
          start("payments", options.paymentsPort(), List.of(),
              List.of("-Xmx192m", "-Duser.timezone=America/New_York"), options, env, started);
      ServiceProcess inventory =
          start("inventory", options.inventoryPort(), List.of(),
              List.of("-Xmx256m", "-Duser.timezone=UTC"), options, env, started);
      String paymentsUrl = payments.awaitReady(Duration.ofSeconds(120));
      String inventoryUrl = inventory.awaitReady(Duration.ofSeconds(120));
      ServiceProcess orders =
          start("orders", options.ordersPort(),
              List.of("--demo.inventory-url=" + inventoryUrl, "--demo.payments-url=" + paymentsUrl),
              List.of("-Xmx256m", "-Duser.timezone=UTC"), options, env, started);
      String ordersUrl = orders.awaitReady(Duration.ofSeconds(120));
      Map<String, String> urls = new LinkedHashMap<>();
      Map<String, Long> pids = new LinkedHashMap<>();
      for (ServiceProcess p : started) {
        urls.put(p.role, p.url());
        pids.put(p.role, p.pid());
        out.printf("[demo] %-9s %s  pid %d  log %s%n", p.role, p.url(), p.pid(), p.log);
        p.diagnostics().ifPresent(d -> out.printf("[demo] %-9s diagnostics %s%n", "", d));
      }
      out.printf("[demo] driving load for %s (faults injected: lock, slowio, error)%n",
          options.duration());
      List<LoadDriver.Sent> sent = new LoadDriver(ordersUrl).run(options.duration(), 4);
      awaitEvidence(started, options.outputDir(), Duration.ofSeconds(15));
      if (options.untilInterrupted()) {
        untilInterrupted(options, urls, pids, sent, started, out);
      }
      // Stop the services first: on a graceful stop each flushes what it still holds (spans,
      // journal), so the guide reads complete files.
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).close();
      }
      return DemoReport.collect(options, urls, pids, sent, started);
    } finally {
      started.forEach(ServiceProcess::close);
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running
      }
    }
  }

  /**
   * Prints the guide while the services run (the diagnostics pages it names are live), then waits
   * for Ctrl-C. The interrupt is the expected way out: a shutdown hook stops the services and ends
   * the JVM with status 0, so neither Maven nor a shell reports a failure.
   */
  private static void untilInterrupted(
      DemoOptions options, Map<String, String> urls, Map<String, Long> pids,
      List<LoadDriver.Sent> sent, List<ServiceProcess> started, PrintStream out)
      throws InterruptedException {
    DemoReport.collect(options, urls, pids, sent, started).printGuide(out);
    Thread onInterrupt = new Thread(() -> {
      started.forEach(ServiceProcess::close);
      out.println("[demo] interrupted: services stopped");
      out.flush();
      // halt, not exit: this runs inside a shutdown hook; 0 because Ctrl-C is how this mode ends.
      Runtime.getRuntime().halt(0);
    }, "demo-interrupted");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    out.println("[demo] load done; the services stay up until Ctrl-C (the demo then exits 0)");
    out.flush();
    new CountDownLatch(1).await();
  }

  private static ServiceProcess start(
      String role, int port, List<String> extraArgs, List<String> settings, DemoOptions options,
      Map<String, String> env, List<ServiceProcess> started) throws IOException {
    ServiceProcess p =
        startService(role, System.getProperty("java.class.path"), port, extraArgs, settings,
            options, env);
    started.add(p);
    return p;
  }

  /** Starts one service with the demo's arguments and JVM settings on the given class path. */
  static ServiceProcess startService(
      String role, String classPath, int port, List<String> extraArgs, List<String> settings,
      DemoOptions options, Map<String, String> env) throws IOException {
    List<String> args = new ArrayList<>();
    args.add("--server.port=" + port);
    args.add("--server.address=127.0.0.1");
    args.add("--cairn.logging.format=" + options.logFormat());
    args.add("--demo.out=" + options.outputDir());
    args.addAll(extraArgs);
    List<String> jvm = new ArrayList<>(settings);
    jvm.add("-Dcairn.logging.format=" + options.logFormat()); // read by logback.xml
    jvm.add("-XX:TieredStopAtLevel=1");
    return ServiceProcess.start(role, classPath, options.outputDir(), jvm, args, env);
  }

  /**
   * The stall breakdowns and the black-box dump are written asynchronously (JFR's event stream
   * flushes about once a second); give them a bounded moment so a short run still shows them.
   */
  private static void awaitEvidence(List<ServiceProcess> services, Path dir, Duration max)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    java.util.regex.Pattern lock = java.util.regex.Pattern.compile("http post /reserve.*lock_ms=[1-9]");
    java.util.regex.Pattern socket = java.util.regex.Pattern.compile("http post /charge.*socket_ms=[1-9]");
    while (System.nanoTime() < deadline) {
      boolean locks = false;
      boolean sockets = false;
      for (ServiceProcess p : services) {
        for (String line : readLines(p.log)) {
          locks |= lock.matcher(line).find();
          sockets |= socket.matcher(line).find();
        }
      }
      boolean dump;
      try (Stream<Path> files = Files.exists(dir.resolve("blackbox-payments"))
          ? Files.list(dir.resolve("blackbox-payments")) : Stream.empty()) {
        dump = files.anyMatch(f -> f.toString().endsWith(".jfr"));
      } catch (IOException e) {
        dump = false;
      }
      if (locks && sockets && dump) {
        return;
      }
      Thread.sleep(250);
    }
  }

  /** Whether the user pointed the exporters somewhere (then spans go there, not to files). */
  static boolean exportConfiguredByEnvironment() {
    Map<String, String> env = System.getenv();
    return List.of("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "CAIRN_EXPORT_ENDPOINT", "CAIRN_EXPORT_TRACES_ENDPOINT")
        .stream().anyMatch(k -> env.get(k) != null && !env.get(k).isBlank());
  }

  /** The children see the caller's CAIRN_* and OTEL_* settings, plus the demo's own defaults. */
  static Map<String, String> childEnvironment(DemoOptions options) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CAIRN_DEMO_OUT", options.outputDir().toString());
    return env;
  }

  static void prepare(Path dir) {
    try {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> old = Files.walk(dir)) {
          old.sorted(java.util.Comparator.reverseOrder())
              .filter(p -> !p.equals(dir))
              .forEach(p -> p.toFile().delete());
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> readLines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
