package dev.cairn.jfr;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** A child JVM running {@link ForkedApp}, and the JDK tools of the JVM running the tests. */
final class ForkedJvm implements AutoCloseable {
  final Process process;
  final long pid;
  private final BufferedReader out;
  private final PrintWriter in;

  private ForkedJvm(Process p) throws IOException {
    this.process = p;
    this.out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    this.in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
    String first = out.readLine();
    if (first == null || !first.startsWith("PID ")) {
      p.destroyForcibly();
      throw new IOException("child did not start: " + first);
    }
    this.pid = Long.parseLong(first.substring(4).trim());
  }

  /**
   * Starts {@link ForkedApp} with the test class path, except that the module's classes come from
   * a multi-release jar built from them, as users get it (so JDK 25 loads the versioned events).
   */
  static ForkedJvm start(Path workDir) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
                tool("java"),
                "-Xmx128m",
                "-cp",
                classPath(workDir),
                ForkedApp.class.getName())
            .redirectError(workDir.resolve("child-stderr.txt").toFile());
    return new ForkedJvm(pb.start());
  }

  /**
   * Starts {@link ForkedApp} like {@link #start} with {@code java.io.tmpdir} set to {@code tmpDir}
   * and the given program arguments.
   */
  static ForkedJvm start(Path workDir, Path tmpDir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(tool("java"));
    cmd.add("-Xmx128m");
    cmd.add("-Djava.io.tmpdir=" + tmpDir);
    cmd.add("-cp");
    cmd.add(classPath(workDir));
    cmd.add(ForkedApp.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectError(workDir.resolve("child-stderr.txt").toFile());
    return new ForkedJvm(pb.start());
  }

  /** The next line the app printed. */
  String readLine() throws IOException {
    return out.readLine();
  }

  /** Runs a command line as given, for example one the app logged. */
  static String runCommand(List<String> cmd) throws IOException, InterruptedException {
    return run(cmd);
  }

  /**
   * Runs {@code main} to completion in a child JVM with {@code jvmArgs}, on the same class path as
   * {@link #start}; returns what it printed.
   */
  static String runMain(Path workDir, List<String> jvmArgs, Class<?> main)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(tool("java"));
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classPath(workDir));
    cmd.add(main.getName());
    return run(cmd);
  }

  /**
   * Runs {@code main} to completion in a child JVM started by {@code sh -c 'umask 022; exec java
   * …'} (so what it creates follows the common umask, whatever the build's is), with extra
   * environment variables, JVM arguments and program arguments; returns what it printed.
   */
  static String runMainUnderUmask022(
      Path workDir, Map<String, String> env, List<String> jvmArgs, Class<?> main, List<String> args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask 022; exec \"$@\"", "sh"));
    cmd.add(tool("java"));
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classPath(workDir));
    cmd.add(main.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    return run(pb);
  }

  private static String classPath(Path workDir) throws IOException {
    Path classes =
        Paths.get(
            CairnJfr.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    Path jar = workDir.resolve("cairn-jfr.jar");
    jarOf(classes, jar);
    List<String> cp = new ArrayList<>();
    cp.add(jar.toString());
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!Paths.get(e).equals(classes)) {
        cp.add(e);
      }
    }
    return String.join(File.pathSeparator, cp);
  }

  /** Runs {@code n} requests; returns the trace ids the app printed. */
  List<String> requests(int n) throws IOException {
    in.println("spans " + n);
    List<String> ids = new ArrayList<>();
    String line;
    while ((line = out.readLine()) != null && !line.equals("DONE")) {
      if (line.startsWith("TRACE ")) {
        ids.add(line.substring(6));
      }
    }
    return ids;
  }

  String jcmd(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(tool("jcmd"));
    cmd.add(Long.toString(pid));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  /** Runs {@code java -jar <the module jar> args} with nothing else on the class path. */
  static String javaJar(Path jar, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(tool("java"), "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  static String jfr(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(tool("jfr"));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  static String tool(String name) {
    return Paths.get(System.getProperty("java.home"), "bin", name).toString();
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    return run(new ProcessBuilder(cmd));
  }

  private static String run(ProcessBuilder pb) throws IOException, InterruptedException {
    List<String> cmd = pb.command();
    Process p = pb.redirectErrorStream(true).start();
    try {
      p.getOutputStream().close();
      byte[] bytes = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new IOException("timed out: " + cmd);
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(cmd + " exited " + p.exitValue() + ": " + text);
      }
      return text;
    } finally {
      p.destroyForcibly();
    }
  }

  static void jarOf(Path classes, Path jar) throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.cairn.jfr.internal.Cli");
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream jos = new JarOutputStream(os, m);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        jos.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        jos.write(Files.readAllBytes(f));
        jos.closeEntry();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    in.println("quit");
    in.close();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
