package dev.cairn.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.diagnostics.internal.EnvironmentProbe;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class FingerprintTest {
  @TempDir Path dir;

  private static final ObjectMapper JACKSON = new ObjectMapper();

  @Test
  void capturesJvmOsLocaleAndLibraryFields() {
    Fingerprint fp = Fingerprint.capture();

    assertThat(fp.environment())
        .containsKeys(
            "java.version",
            "jvm.vendor",
            "jvm.arguments",
            "jvm.heap.max.bytes",
            "os.name",
            "os.kernel",
            "cpu.available",
            "memory.total.bytes",
            "time.zone",
            "charset.default",
            "locale");
    assertThat(fp.environment().get("java.version")).isEqualTo(System.getProperty("java.version"));
    assertThat(fp.environment().get("cpu.available"))
        .isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));
    // Libraries come from the manifests of the jars on the class path.
    assertThat(fp.environment()).containsKey("library.jackson-databind");
    assertThat(fp.environment().get("library.jackson-databind")).startsWith("3.");
  }

  @Test
  void jsonIsValidForJacksonAndCarriesBothSectionsAndTheHash() throws Exception {
    Fingerprint fp = Fingerprint.capture();

    JsonNode root = JACKSON.readTree(fp.toJson());

    assertThat(root.get("schema").asString()).isEqualTo(Fingerprint.SCHEMA);
    assertThat(root.get("hash").asString()).isEqualTo(fp.hash()).matches("sha256:[0-9a-f]{64}");
    assertThat(root.get("environment").get("java.version").asString())
        .isEqualTo(System.getProperty("java.version"));
    assertThat(root.get("instance").isObject()).isTrue();
  }

  @Test
  void hashIsTheSha256OfTheSortedEnvironmentObject() throws Exception {
    Fingerprint fp = Fingerprint.of(Map.of("b", "2", "a", "1\n\"x\""), Map.of("host.name", "h"), Instant.EPOCH);

    byte[] expected =
        java.security.MessageDigest.getInstance("SHA-256")
            .digest("{\"a\":\"1\\n\\\"x\\\"\",\"b\":\"2\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(fp.hash()).isEqualTo("sha256:" + java.util.HexFormat.of().formatHex(expected));
  }

  @Test
  void hashIgnoresInstanceSectionAndInsertionOrder() {
    Fingerprint a =
        Fingerprint.of(Map.of("x", "1", "y", "2"), Map.of("k8s.pod.name", "a"), Instant.EPOCH);
    Fingerprint b =
        Fingerprint.of(
            new java.util.LinkedHashMap<>(Map.of("y", "2", "x", "1")),
            Map.of("k8s.pod.name", "b"),
            Instant.now());

    assertThat(a.hash()).isEqualTo(b.hash());
  }

  @Test
  void parseReadsBackWhatToJsonWrote() {
    Fingerprint fp = Fingerprint.capture();

    Fingerprint back = Fingerprint.parse(fp.toJson());

    assertThat(back).isEqualTo(fp);
    assertThat(back.hash()).isEqualTo(fp.hash());
    assertThat(back.capturedAt()).isEqualTo(fp.capturedAt());
  }

  @Test
  void parseRejectsOtherDocumentsWithTheReason() {
    assertThatThrownBy(() -> Fingerprint.parse("{\"schema\":\"other\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema");
    assertThatThrownBy(() -> Fingerprint.parse("{\"schema\":\"cairn.fingerprint/1\",\"environment\":{\"a\":1}}"))
        .hasMessageContaining("environment.a is not a string");
    assertThatThrownBy(() -> Fingerprint.parse("{\"a\":1,}"))
        .hasMessageContaining("offset 7");
  }

  @Test
  void readsCgroupV2LimitsContainerIdAndKubernetesDownwardApiFiles() throws Exception {
    write("sys/fs/cgroup/cpu.max", "150000 100000\n");
    write("sys/fs/cgroup/memory.max", "536870912\n");
    String id = "4f1c0a2b3d".repeat(6) + "abcd";
    write("proc/self/mountinfo",
        "812 790 0:44 /var/lib/docker/containers/" + id + "/hostname /etc/hostname rw\n");
    write("etc/podinfo/name", "orders-7d9f-abcde\n");
    write("etc/podinfo/namespace", "shop\n");
    write("etc/podinfo/nodeName", "node-3\n");

    EnvironmentProbe p = probe(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"), getClass().getClassLoader());

    assertThat(p.environment())
        .containsEntry("cgroup.version", "2")
        .containsEntry("cgroup.cpu.limit", "1.50")
        .containsEntry("cgroup.memory.limit.bytes", "536870912")
        .containsEntry("k8s.namespace", "shop");
    assertThat(p.instance())
        .containsEntry("container.id", id)
        .containsEntry("k8s.pod.name", "orders-7d9f-abcde")
        .containsEntry("k8s.node.name", "node-3");
  }

  @Test
  void readsCgroupV1LimitsAndTreatsTheHugeDefaultAsNoLimit() throws Exception {
    write("sys/fs/cgroup/cpu/cpu.cfs_quota_us", "-1\n");
    write("sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n");
    write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
    String id = "0123456789abcdef".repeat(4);
    write("proc/self/cgroup", "12:memory:/docker/" + id + "\n");

    EnvironmentProbe p = probe(Map.of(), getClass().getClassLoader());

    assertThat(p.environment())
        .containsEntry("cgroup.version", "1")
        .containsEntry("cgroup.cpu.limit", "max")
        .containsEntry("cgroup.memory.limit.bytes", "max");
    assertThat(p.instance()).containsEntry("container.id", id);
  }

  @Test
  void readsBuildInfoFromGitPropertiesBuildInfoAndCairnBuildVariables() throws Exception {
    Path res = dir.resolve("res");
    Files.createDirectories(res.resolve("META-INF"));
    Files.writeString(res.resolve("git.properties"),
        "git.commit.id=0123abcd\ngit.branch=main\ngit.remote.origin.url=https://u:pw@example.com/r.git\n");
    Files.writeString(res.resolve("META-INF/build-info.properties"),
        "build.version=1.4.2\nbuild.artifact=orders\n");
    try (URLClassLoader cl = new URLClassLoader(new URL[] {res.toUri().toURL()}, null)) {
      EnvironmentProbe p =
          probe(Map.of("CAIRN_BUILD_IMAGE", "registry/orders:1.4.2", "CAIRN_BUILD_TOKEN", "s3cr3t"), cl);

      assertThat(p.environment())
          .containsEntry("build.git.commit.id", "0123abcd")
          .containsEntry("build.git.branch", "main")
          .containsEntry("build.info.version", "1.4.2")
          .containsEntry("build.info.artifact", "orders")
          .containsEntry("build.image", "registry/orders:1.4.2")
          .containsEntry("build.token", Redactor.REDACTED)
          .doesNotContainKey("build.git.remote.origin.url");
      assertThat(p.environment().values()).noneMatch(v -> v.contains("s3cr3t") || v.contains("pw@"));
    }
  }

  @Test
  void secretJvmArgumentsAreRedactedInAForkedJvm() throws Exception {
    Path out = dir.resolve("fp.json");
    ForkedJvm.Result r =
        ForkedJvm.run(
            dir,
            Map.of(),
            List.of("-Xmx64m", "-Dpassword=hunter2-planted", "-Ddb.url=jdbc:pg://app:hunter3-planted@db/x"),
            PrintFingerprint.class.getName(),
            out.toString());
    assertThat(r.exitCode()).as(r.stderr()).isZero();

    String json = Files.readString(out);

    assertThat(json).doesNotContain("hunter2-planted").doesNotContain("hunter3-planted");
    assertThat(Fingerprint.parse(json).environment().get("jvm.arguments"))
        .contains("-Dpassword=" + Redactor.REDACTED)
        .contains("-Xmx64m");
  }

  private EnvironmentProbe probe(Map<String, String> env, ClassLoader cl) {
    Properties props = new Properties();
    props.setProperty("java.version", "17.0.99");
    return new EnvironmentProbe(env, props, dir, cl, Redactor.defaults(), false);
  }

  private void write(String rel, String content) throws Exception {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }
}
