package dev.cairn.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cairn-jfr jar as Maven just built it (this class runs in the package phase, after jar:jar;
 * see jfr/pom.xml): it holds {@code META-INF/versions/25} and says {@code Multi-Release: true}
 * exactly when the build found a JDK 25, whatever JDK ran Maven, and a JDK 25 then loads the
 * events with {@code @Throttle} and {@code @Contextual}.
 */
@Timeout(120)
class PackagedJarIT {
  private static final String VERSIONED = "META-INF/versions/25/";
  private static final int JAVA_17 = 61;
  private static final int JAVA_25 = 69;
  private static final Path JAVA25_SOURCES = Paths.get("src", "main", "java25");

  @BeforeEach
  void onlyInThePackagePhase() {
    // Set by the packaged-jar execution only; a -Dtest=… filter also lets the test phase's run,
    // where no jar exists yet, pick this class up.
    assumeThat(System.getProperty("cairn.jfr.jar")).as("run by the packaged-jar execution").isNotNull();
  }

  private static Path jar() {
    return Paths.get(System.getProperty("cairn.jfr.jar"));
  }

  private static boolean jdk25Found() {
    return Boolean.parseBoolean(System.getProperty("cairn.jdk25.found"));
  }

  @Test
  void discovery_whenAJdk25IsInstalledUnderUsrLibJvm_findsOne() throws IOException {
    // The documented rule: "none" is the one way to build without it on purpose.
    assumeThat(System.getProperty("cairn.jdk25.home.requested", "")).isNotEqualTo("none");
    List<Path> installed = new ArrayList<>();
    Path jvms = Paths.get("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> homes = Files.list(jvms)) {
        for (Path home : (Iterable<Path>) homes::iterator) {
          if (featureVersion(home) >= 25 && Files.isRegularFile(home.resolve("bin/javac"))) {
            installed.add(home);
          }
        }
      }
    }
    assumeThat(installed).isNotEmpty();

    assertThat(jdk25Found()).as("a JDK 25+ is installed: %s", installed).isTrue();
  }

  @Test
  void packagedJar_whenAJdk25WasFound_holdsAVersionedClassOfJava25ForEveryJava25Source()
      throws IOException {
    assumeThat(jdk25Found()).isTrue();
    List<String> expected = versionedClassesOfTheSources();
    assertThat(expected).isNotEmpty();

    try (JarFile jar = new JarFile(jar().toFile())) {
      for (String name : expected) {
        JarEntry entry = jar.getJarEntry(name);
        assertThat(entry).as(name).isNotNull();
        assertThat(classFileMajor(jar, entry)).as(name).isEqualTo(JAVA_25);
      }
    }
  }

  @Test
  void packagedJar_whenAJdk25WasFound_claimsMultiRelease() throws IOException {
    assumeThat(jdk25Found()).isTrue();

    try (JarFile jar = new JarFile(jar().toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue(Attributes.Name.MULTI_RELEASE))
          .isEqualTo("true");
    }
  }

  @Test
  void packagedJar_whenNoJdk25WasFound_holdsNoVersionedClasses() throws IOException {
    assumeThat(jdk25Found()).isFalse();

    try (JarFile jar = new JarFile(jar().toFile())) {
      assertThat(jar.stream().map(JarEntry::getName)).noneMatch(n -> n.startsWith("META-INF/versions/"));
    }
  }

  @Test
  void packagedJar_whenNoJdk25WasFound_doesNotClaimMultiRelease() throws IOException {
    assumeThat(jdk25Found()).isFalse();

    try (JarFile jar = new JarFile(jar().toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue(Attributes.Name.MULTI_RELEASE))
          .isEqualTo("false");
    }
  }

  @Test
  void packagedJar_baseClasses_runOnJava17() throws IOException {
    try (JarFile jar = new JarFile(jar().toFile())) {
      List<JarEntry> base =
          jar.stream()
              .filter(e -> e.getName().endsWith(".class"))
              .filter(e -> !e.getName().startsWith("META-INF/"))
              .collect(Collectors.toList());
      assertThat(base).isNotEmpty();
      for (JarEntry e : base) {
        assertThat(classFileMajor(jar, e)).as(e.getName()).isEqualTo(JAVA_17);
      }
    }
  }

  @Test
  void packagedJar_onTheJdk25Found_loadsTheEventsWithThrottleAndContextual() throws Exception {
    assumeThat(jdk25Found()).isTrue();
    Path java25 = Paths.get(System.getProperty("cairn.jdk25.javac")).resolveSibling("java");
    // The test class path with the packaged jar in place of target/classes.
    Path classes = Paths.get(CairnJfr.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> cp = new ArrayList<>(List.of(jar().toString()));
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!Paths.get(e).equals(classes)) {
        cp.add(e);
      }
    }

    String out =
        run(
            List.of(
                java25.toString(),
                "-Xshare:auto",
                "-cp",
                String.join(File.pathSeparator, cp),
                VersionedEventsChild.class.getName()));

    assertThat(out)
        .contains("cairn.Span settings=enabled,rate,stackTrace,threshold,throttle contextual=traceId,spanId")
        .contains("cairn.Scope settings=enabled,rate,stackTrace,threshold,throttle contextual=traceId,spanId")
        .containsPattern("cairn.Log settings=[a-zA-Z,]*throttle contextual=\\n");
  }

  /** META-INF/versions/25/…/X.class for every src/main/java25/…/X.java. */
  private static List<String> versionedClassesOfTheSources() throws IOException {
    try (Stream<Path> files = Files.walk(JAVA25_SOURCES)) {
      return files
          .filter(f -> f.toString().endsWith(".java"))
          .map(f -> JAVA25_SOURCES.relativize(f).toString().replace('\\', '/'))
          .map(f -> VERSIONED + f.substring(0, f.length() - ".java".length()) + ".class")
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static int classFileMajor(JarFile jar, JarEntry entry) throws IOException {
    try (InputStream in = jar.getInputStream(entry);
        DataInputStream data = new DataInputStream(in)) {
      assertThat(data.readInt()).as("magic of %s", entry.getName()).isEqualTo(0xCAFEBABE);
      data.readUnsignedShort();
      return data.readUnsignedShort();
    }
  }

  /** The feature version in a JDK's release file, or 0 without one. */
  private static int featureVersion(Path home) throws IOException {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release)) {
      return 0;
    }
    for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
      if (line.startsWith("JAVA_VERSION=")) {
        String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
          end++;
        }
        return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
      }
    }
    return 0;
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      p.getOutputStream().close();
      byte[] bytes = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s ended", cmd).isTrue();
      String text = new String(bytes, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(text).isZero();
      return text;
    } finally {
      p.destroyForcibly();
    }
  }
}
