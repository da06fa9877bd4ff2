package dev.cairn.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintDiffTest {
  @TempDir Path dir;

  @Test
  void listsChangedAddedAndRemovedKeysOfBothSections() {
    Fingerprint a =
        Fingerprint.of(
            Map.of("time.zone", "UTC", "java.version", "17.0.15", "library.old", "1.0"),
            Map.of("k8s.pod.name", "pod-a"),
            Instant.EPOCH);
    Fingerprint b =
        Fingerprint.of(
            Map.of("time.zone", "Europe/Berlin", "java.version", "17.0.15", "library.new", "2.0"),
            Map.of("k8s.pod.name", "pod-b"),
            Instant.now());

    FingerprintDiff d = FingerprintDiff.between(a, b);

    assertThat(d.same()).isFalse();
    assertThat(d.keys("environment")).containsExactly("library.new", "library.old", "time.zone");
    assertThat(d.keys("instance")).containsExactly("k8s.pod.name");
    FingerprintDiff.Difference tz = d.differences().get(2);
    assertThat(tz.left()).contains("UTC");
    assertThat(tz.right()).contains("Europe/Berlin");
    assertThat(d.differences().get(0).left()).isEqualTo(Optional.empty());
    assertThat(d.render())
        .contains("~ environment time.zone: UTC -> Europe/Berlin")
        .contains("+ environment library.new = 2.0")
        .contains("- environment library.old = 1.0");
  }

  @Test
  void equalFingerprintsTakenAtDifferentTimesAreTheSame() {
    Fingerprint a = Fingerprint.of(Map.of("x", "1"), Map.of(), Instant.EPOCH);
    Fingerprint b = Fingerprint.of(Map.of("x", "1"), Map.of(), Instant.now());

    assertThat(FingerprintDiff.between(a, b).same()).isTrue();
  }

  @Test
  void twoForkedJvmsDifferExactlyInTheSettingsTheyWereStartedWith() throws Exception {
    Path a = capture("a.json", List.of("-XX:+UseSerialGC", "-Xmx64m", "-Duser.timezone=UTC"));
    Path b = capture("b.json", List.of("-XX:+UseSerialGC", "-Xmx96m", "-Duser.timezone=Asia/Tokyo"));

    FingerprintDiff d =
        FingerprintDiff.between(Fingerprint.parse(Files.readString(a)), Fingerprint.parse(Files.readString(b)));

    assertThat(d.keys("environment"))
        .containsExactly("jvm.arguments", "jvm.heap.max.bytes", "time.zone");
    assertThat(d.keys("instance")).isEmpty();
    assertThat(d.differences().get(2).right()).contains("Asia/Tokyo");
  }

  @Test
  void commandLineExitsZeroWhenSameOneWhenDifferentTwoOnError() throws Exception {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    Path c = dir.resolve("c.json");
    Files.writeString(a, Fingerprint.of(Map.of("x", "1"), Map.of(), Instant.EPOCH).toJson());
    Files.writeString(b, Fingerprint.of(Map.of("x", "1"), Map.of(), Instant.now()).toJson());
    Files.writeString(c, Fingerprint.of(Map.of("x", "2"), Map.of(), Instant.now()).toJson());
    Files.writeString(dir.resolve("bad.json"), "{\"schema\":");

    assertThat(cli(a.toString(), b.toString()).code).isZero();
    Cli differ = cli(a.toString(), c.toString());
    assertThat(differ.code).isEqualTo(1);
    assertThat(differ.out).contains("~ environment x: 1 -> 2").contains("1 difference");
    Cli bad = cli(a.toString(), dir.resolve("bad.json").toString());
    assertThat(bad.code).isEqualTo(2);
    assertThat(bad.err).contains("bad.json").contains("invalid JSON");
    assertThat(cli(a.toString()).code).isEqualTo(2);
  }

  @Test
  void commandLineRunsAsAMainClassInARealJvm() throws Exception {
    Path a = dir.resolve("a.json");
    Path c = dir.resolve("c.json");
    Files.writeString(a, Fingerprint.of(Map.of("x", "1"), Map.of(), Instant.EPOCH).toJson());
    Files.writeString(c, Fingerprint.of(Map.of("x", "2"), Map.of(), Instant.now()).toJson());

    ForkedJvm.Result same =
        ForkedJvm.run(dir, Map.of(), List.of(), FingerprintDiff.class.getName(), a.toString(), a.toString());
    ForkedJvm.Result differ =
        ForkedJvm.run(dir, Map.of(), List.of(), FingerprintDiff.class.getName(), a.toString(), c.toString());

    assertThat(same.exitCode()).isZero();
    assertThat(differ.exitCode()).isEqualTo(1);
    assertThat(differ.stdout()).contains("~ environment x: 1 -> 2");
  }

  private Path capture(String name, List<String> jvmArgs) throws Exception {
    Path out = dir.resolve(name);
    ForkedJvm.Result r =
        ForkedJvm.run(dir, Map.of(), jvmArgs, PrintFingerprint.class.getName(), out.toString());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    return out;
  }

  private record Cli(int code, String out, String err) {}

  private static Cli cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        FingerprintDiff.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
