package dev.cairn.benchmarks.startup;

import dev.cairn.benchmarks.startup.app.MinimalWebApp;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up time and memory of {@link MinimalWebApp} with and without Cairn's Spring Boot starter
 * on the class path. Not a JMH benchmark and not a test: it forks fresh JVMs, one application per
 * run, alternating the two variants, and prints a table.
 *
 * <p>Per run: the time from forking the JVM to the first 200 answer of {@code GET /hello} on a
 * random loopback port; Boot's own "Started ... in X seconds (process running for Y)"; the CPU
 * time the process used until that answer (user + system, which another process's load disturbs
 * less than wall time); the resident set size ({@code VmRSS} of {@code /proc/<pid>/status}, Linux only) right after that
 * first answer; then heap used after a full GC, loaded classes and live threads as the
 * application reports them.
 *
 * <p>The variant without the starter is the same class path minus every Cairn jar (and Cairn
 * module output directory). The benchmark module's other libraries stay on both class paths; the
 * JVM loads none of them unless asked.
 *
 * <pre>
 * mvn -q -o -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) \
 *     dev.cairn.benchmarks.startup.StartupBenchmark [runs per variant, default 5]
 * </pre>
 */
public final class StartupBenchmark {
  private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");
  private static final Pattern STARTED =
      Pattern.compile("Started MinimalWebApp in ([0-9.]+) seconds \\(process running for ([0-9.]+)\\)");
  private static final List<String> JVM_FLAGS = List.of("-Xmx256m");

  private StartupBenchmark() {}

  /** One run's figures. */
  static final class Run {
    double firstResponseMillis;
    double bootStartedSeconds;
    double processRunningSeconds;
    long rssKb;
    double cpuSeconds;
    long heapUsedBytes;
    long classes;
    long threads;
  }

  /** Runs the benchmark; the optional argument is the number of runs per variant. */
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<String> full = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    String own = Paths.get(MinimalWebApp.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
    List<String> withoutCairn = new ArrayList<>();
    for (String entry : full) {
      if (entry.equals(own) || !isCairn(entry)) {
        withoutCairn.add(entry);
      }
    }
    if (withoutCairn.size() == full.size()) {
      throw new IllegalStateException("no Cairn jar found on the class path: " + full);
    }
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    System.out.printf(Locale.ROOT, "JVM %s %s, %d CPUs, flags %s, %d runs per variant (+1 warm-up each)%n",
        System.getProperty("java.vm.name"), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), JVM_FLAGS, runs);
    run(java, full, http); // warm-up: the page cache, not the JVM, is what a first run pays for
    run(java, withoutCairn, http);
    List<Run> with = new ArrayList<>();
    List<Run> without = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      with.add(run(java, full, http));
      without.add(run(java, withoutCairn, http));
    }
    System.out.println();
    System.out.println("| variant | first response (ms) | Boot 'Started in' (s) | JVM uptime at 'Started' (s) | CPU time to first response (s) | RSS after first response (MiB) | heap used after GC (MiB) | loaded classes | threads |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    row("without Cairn", without);
    row("with cairn-spring-boot-starter", with);
    System.out.println();
    System.out.println("medians (min-max) of " + runs + " runs each");
  }

  private static boolean isCairn(String entry) {
    String normal = entry.replace('\\', '/');
    String name = normal.substring(normal.lastIndexOf('/') + 1);
    return name.startsWith("cairn-")
        || normal.contains("/dev/cairn/")
        || normal.matches(".*/(core|jfr|logback-appender|spring-starter)/target/classes/?");
  }

  private static Run run(String java, List<String> classPath, HttpClient http) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(JVM_FLAGS);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classPath));
    command.add(MinimalWebApp.class.getName());
    command.add("--server.port=0");
    command.add("--server.address=127.0.0.1");
    command.add("--spring.main.banner-mode=off");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Run r = new Run();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      Thread reader = new Thread(() -> read(p, port, r), "startup-benchmark-stdout");
      reader.setDaemon(true);
      reader.start();
      int local = port.get(60, TimeUnit.SECONDS);
      URI hello = URI.create("http://127.0.0.1:" + local + "/hello");
      while (true) {
        try {
          HttpResponse<String> response = http.send(
              HttpRequest.newBuilder(hello).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            break;
          }
        } catch (IOException e) {
          // not accepting yet
        }
        if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(60)) {
          throw new IllegalStateException("no answer within 60 s");
        }
        Thread.sleep(5);
      }
      r.firstResponseMillis = (System.nanoTime() - t0) / 1e6;
      r.rssKb = rssKb(p.pid());
      r.cpuSeconds = cpuSeconds(p.pid());
      String[] stats = http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + "/stats")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body().trim().split(" ");
      r.heapUsedBytes = Long.parseLong(stats[0]);
      r.classes = Long.parseLong(stats[1]);
      r.threads = Long.parseLong(stats[2]);
      return r;
    } finally {
      p.destroy();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private static void read(Process p, CompletableFuture<Integer> port, Run r) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        Matcher m = PORT.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
        Matcher s = STARTED.matcher(line);
        if (s.find()) {
          r.bootStartedSeconds = Double.parseDouble(s.group(1));
          r.processRunningSeconds = Double.parseDouble(s.group(2));
        }
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      port.completeExceptionally(new IllegalStateException("the application ended without a port"));
    }
  }

  /**
   * User plus system CPU time of the process so far ({@code /proc/<pid>/stat}, in clock ticks of
   * 1/100 s on Linux): what starting cost, less sensitive than wall time to other work on the
   * machine.
   */
  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // After "pid (comm) ", field 3 (state) is f[0]; utime and stime are fields 14 and 15.
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long rssKb(long pid) {
    Path status = Paths.get("/proc", Long.toString(pid), "status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  private static void row(String name, List<Run> runs) {
    System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", name,
        stat(runs, r -> r.firstResponseMillis, "%.0f"),
        stat(runs, r -> r.bootStartedSeconds, "%.2f"),
        stat(runs, r -> r.processRunningSeconds, "%.2f"),
        stat(runs, r -> r.cpuSeconds, "%.2f"),
        stat(runs, r -> r.rssKb / 1024.0, "%.0f"),
        stat(runs, r -> r.heapUsedBytes / (1024.0 * 1024.0), "%.1f"),
        stat(runs, r -> r.classes, "%.0f"),
        stat(runs, r -> r.threads, "%.0f"));
  }

  private static String stat(List<Run> runs, java.util.function.ToDoubleFunction<Run> f, String fmt) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return String.format(Locale.ROOT, fmt + " (" + fmt + "-" + fmt + ")", median, v[0], v[v.length - 1]);
  }
}
