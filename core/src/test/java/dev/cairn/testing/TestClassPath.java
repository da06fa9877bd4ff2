package dev.cairn.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The test's real class path, entry by entry, so that a test can run code on it minus an optional
 * jar: in a forked JVM ({@link #runJava}) or a class loader of its own.
 */
public final class TestClassPath {
  /** What a forked JVM printed, and how it ended. */
  public record Result(int exitCode, String output) {}

  private TestClassPath() {}

  /**
   * Every entry, in order. Surefire's forked JVM may run from a manifest-only jar; it names the
   * real class path in {@code surefire.test.class.path}.
   */
  public static List<Path> entries() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<Path> out = new ArrayList<>();
    for (String e : cp.split(File.pathSeparator)) {
      if (!e.isBlank()) {
        out.add(Paths.get(e));
      }
    }
    return out;
  }

  /** Every entry whose path does not match {@code drop} (for example an optional jar). */
  public static List<Path> without(Predicate<String> drop) {
    List<Path> out = new ArrayList<>();
    for (Path p : entries()) {
      if (!drop.test(p.toString().replace('\\', '/'))) {
        out.add(p);
      }
    }
    return out;
  }

  /** True for a path inside the Maven repository folder {@code group/artifact} (slashes). */
  public static Predicate<String> artifact(String groupPath, String artifactId) {
    return p -> p.contains("/" + groupPath + "/" + artifactId + "/");
  }

  /**
   * Runs {@code mainClass} in a fresh JVM (the running one's {@code java}) on {@code classPath},
   * with stdout and stderr merged, and waits at most a minute.
   */
  public static Result runJava(
      Path workDir, List<Path> classPath, List<String> jvmArgs, String mainClass, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    StringBuilder cp = new StringBuilder();
    for (Path p : classPath) {
      cp.append(cp.length() == 0 ? "" : File.pathSeparator).append(p);
    }
    cmd.add(cp.toString());
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(workDir, "out", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("forked JVM did not finish in 60 s: " + mainClass);
      }
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
