package dev.cairn.examples.storefront;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One storefront service running as a child JVM, its output going to a log file. */
final class ServiceProcess implements AutoCloseable {
  private static final Pattern READY_LINE =
      Pattern.compile(ServiceMain.READY + " role=(\\S+) url=(\\S+) pid=(\\d+)");

  final String role;
  final Path log;
  private final Process process;
  private String url;

  private ServiceProcess(String role, Path log, Process process) {
    this.role = role;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts {@link ServiceMain} on {@code classPath} (the demo passes its own, which under {@code mvn
   * -Pdemo verify} is the module's runtime class path).
   */
  static ServiceProcess start(
      String role, String classPath, Path outputDir, List<String> jvmArgs, List<String> appArgs,
      Map<String, String> extraEnv) throws IOException {
    String java =
        ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classPath);
    command.add(ServiceMain.class.getName());
    command.add("--demo.role=" + role);
    command.addAll(appArgs);
    Path log = outputDir.resolve(role + ".log");
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(extraEnv);
    return new ServiceProcess(role, log, pb.start());
  }

  /** Waits for the service's READY line; fails with the log's tail if it dies or times out. */
  String awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        Matcher m = READY_LINE.matcher(Files.readString(log, StandardCharsets.UTF_8));
        if (m.find()) {
          url = m.group(2);
          return url;
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(role + " exited with " + process.exitValue() + ":\n" + tail());
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(role + " did not start within " + timeout + ":\n" + tail());
  }

  private static final Pattern DIAGNOSTICS_LINE =
      Pattern.compile("diagnostics server on (\\S+); bearer token in (\\S+)");

  /** The diagnostics page and its token file, as the service printed them at start. */
  java.util.Optional<String> diagnostics() {
    try {
      Matcher m = DIAGNOSTICS_LINE.matcher(Files.readString(log, StandardCharsets.UTF_8));
      return m.find()
          ? java.util.Optional.of(m.group(1) + "  (token: Authorization: Bearer $(cat " + m.group(2) + "))")
          : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  String url() {
    return url;
  }

  long pid() {
    return process.pid();
  }

  private String tail() throws IOException {
    if (!Files.exists(log)) {
      return "(no output)";
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** Asks the service to stop (SIGTERM: Spring closes gracefully), then insists. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
