package dev.cairn.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.internal.SelfCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceDetectorTest {
  private static final String ID = "a".repeat(32) + "0123456789abcdef0123456789abcdef";

  @TempDir Path root;

  private Resource detect(Map<String, String> env, Map<String, String> props) {
    return ResourceDetector.builder()
        .environment(env)
        .properties(props)
        .fileSystemRoot(root)
        .build()
        .detect();
  }

  private Resource detect(Map<String, String> env) {
    return detect(env, Map.of());
  }

  private void file(String relative, String content) throws IOException {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  @Test
  void serviceNameDefaultsToTheOpenTelemetryUnknownService() {
    assertThat(detect(Map.of()).serviceName()).isEqualTo("unknown_service:java");
  }

  @Test
  void serviceNamePrecedence_propertyOverCairnEnvOverOtelEnvOverResourceAttributes() {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attributes");
    assertThat(detect(env).serviceName()).isEqualTo("from-attributes");
    env.put("OTEL_SERVICE_NAME", "from-otel");
    assertThat(detect(env).serviceName()).isEqualTo("from-otel");
    env.put("CAIRN_SERVICE_NAME", "from-cairn-env");
    assertThat(detect(env).serviceName()).isEqualTo("from-cairn-env");
    assertThat(detect(env, Map.of("cairn.service.name", "from-property")).serviceName())
        .isEqualTo("from-property");
  }

  @Test
  void explicitConfigurationMergedOnTopWins() {
    Resource r =
        detect(Map.of("OTEL_SERVICE_NAME", "env"))
            .merge(Resource.builder().serviceName("explicit").put("deployment.environment.name", "prod").build());
    assertThat(r.serviceName()).isEqualTo("explicit");
    assertThat(r.getString("deployment.environment.name")).contains("prod");
    assertThat(r.get("process.pid")).isPresent();
  }

  @Test
  void resourceAttributesArePercentDecodedAndTrimmed() {
    Resource r =
        detect(
            Map.of(
                "OTEL_RESOURCE_ATTRIBUTES",
                " team = pay%2Cments ,, note=a%3Db%20c%C3%A9 ,deployment.environment.name=prod"));
    assertThat(r.getString("team")).contains("pay,ments");
    assertThat(r.getString("note")).contains("a=b cé");
    assertThat(r.getString("deployment.environment.name")).contains("prod");
  }

  @Test
  void malformedResourceAttributesAreDiscardedWholeAndCounted() {
    long before = SelfCounters.GLOBAL.total("cairn.resource.rejected");
    for (String bad : new String[] {"a=1,novalue", "a=1,=2", "a=%zz", "a=%4", "a=%C3%28"}) {
      Resource r = detect(Map.of("OTEL_RESOURCE_ATTRIBUTES", bad));
      assertThat(r.get("a")).as(bad).isEmpty();
    }
    assertThat(SelfCounters.GLOBAL.total("cairn.resource.rejected") - before).isEqualTo(5);
  }

  @Test
  void cairnResourceAttributesOverrideOtelOnes() {
    Resource r =
        detect(
            Map.of(
                "OTEL_RESOURCE_ATTRIBUTES", "a=otel,b=otel",
                "CAIRN_RESOURCE_ATTRIBUTES", "a=cairn"));
    assertThat(r.getString("a")).contains("cairn");
    assertThat(r.getString("b")).contains("otel");
  }

  @Test
  void hostNameComesFromTheEnvironmentOrLocalFilesWithoutLookups() throws IOException {
    assertThat(detect(Map.of("HOSTNAME", "web-1")).getString("host.name")).contains("web-1");
    file("etc/hostname", "from-file\n");
    assertThat(detect(Map.of()).getString("host.name")).contains("from-file");
  }

  @Test
  void hostNameIsAbsentRatherThanResolvedWhenNothingLocalNamesIt() {
    assertThat(detect(Map.of()).get("host.name")).isEmpty();
  }

  @Test
  void processRuntimeOsAndSdkAttributes() {
    Map<String, String> props =
        Map.of(
            "java.runtime.name", "OpenJDK Runtime Environment",
            "java.runtime.version", "17.0.15+6",
            "java.vm.vendor", "Eclipse Adoptium",
            "java.vm.name", "OpenJDK 64-Bit Server VM",
            "java.vm.version", "17.0.15+6",
            "os.name", "Linux",
            "os.version", "6.1.0",
            "os.arch", "amd64");
    Resource r = detect(Map.of(), props);
    assertThat(r.get("process.pid")).contains(ProcessHandle.current().pid());
    assertThat(r.getString("process.runtime.name")).contains("OpenJDK Runtime Environment");
    assertThat(r.getString("process.runtime.version")).contains("17.0.15+6");
    assertThat(r.getString("process.runtime.description"))
        .contains("Eclipse Adoptium OpenJDK 64-Bit Server VM 17.0.15+6");
    assertThat(r.getString("os.type")).contains("linux");
    assertThat(r.getString("os.description")).contains("Linux 6.1.0");
    assertThat(r.getString("host.arch")).contains("amd64");
    assertThat(r.getString("telemetry.sdk.name")).contains("cairn");
    assertThat(r.getString("telemetry.sdk.language")).contains("java");
    assertThat(r.getString("service.instance.id").orElseThrow())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void serviceInstanceIdIsStableWithinTheProcess() {
    assertThat(detect(Map.of()).get("service.instance.id"))
        .isEqualTo(detect(Map.of()).get("service.instance.id"));
  }

  @Test
  void containerIdFromCgroupV1DockerPath() throws IOException {
    file("proc/self/cgroup", "12:memory:/docker/" + ID + "\n11:cpu:/docker/" + ID + "\n");
    assertThat(detect(Map.of()).getString("container.id")).contains(ID);
  }

  @Test
  void containerIdFromSystemdScopeAndKubepodsPaths() {
    assertThat(
            ResourceDetector.containerIdFromCgroup(
                "1:name=systemd:/system.slice/docker-" + ID + ".scope\n"))
        .isEqualTo(ID);
    assertThat(
            ResourceDetector.containerIdFromCgroup(
                "0::/kubepods.slice/kubepods-besteffort.slice/cri-containerd-" + ID + ".scope"))
        .isEqualTo(ID);
    assertThat(
            ResourceDetector.containerIdFromCgroup(
                "3:cpu:/kubepods/besteffort/pod0b6c/" + ID))
        .isEqualTo(ID);
    assertThat(ResourceDetector.containerIdFromCgroup("0::/\n")).isNull();
  }

  @Test
  void containerIdFromCgroupV2MountinfoSkipsSandboxes() throws IOException {
    String sandbox = "b".repeat(64);
    file("proc/self/cgroup", "0::/\n");
    file(
        "proc/self/mountinfo",
        "20 1 0:3 / /proc rw - proc proc rw\n"
            + "642 631 254:1 /var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/"
            + sandbox
            + "/hostname /etc/hostname rw - ext4 /dev/vda1 rw\n"
            + "643 631 254:1 /var/lib/docker/containers/"
            + ID
            + "/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw\n");
    assertThat(detect(Map.of()).getString("container.id")).contains(ID);
  }

  @Test
  void containerIdFromPodmanMountinfo() {
    assertThat(
            ResourceDetector.containerIdFromMountinfo(
                "1 2 0:1 /containers/storage/overlay-containers/"
                    + ID
                    + "/userdata/hostname /etc/hostname rw - tmpfs tmpfs rw\n"))
        .isEqualTo(ID);
  }

  @Test
  void noContainerIdOutsideContainers() {
    assertThat(detect(Map.of()).get("container.id")).isEmpty();
  }

  @Test
  void kubernetesAttributesFromDownwardApiVariables() {
    Resource r =
        detect(Map.of("K8S_POD_NAME", "shop-7d9", "POD_NAMESPACE", "prod", "NODE_NAME", "node-3"));
    assertThat(r.getString("k8s.pod.name")).contains("shop-7d9");
    assertThat(r.getString("k8s.namespace.name")).contains("prod");
    assertThat(r.getString("k8s.node.name")).contains("node-3");
  }

  @Test
  void insideKubernetesPodNameFallsBackToHostnameAndNamespaceToTheServiceAccountFile()
      throws IOException {
    file("var/run/secrets/kubernetes.io/serviceaccount/namespace", "staging");
    Resource r = detect(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1", "HOSTNAME", "shop-abc"));
    assertThat(r.getString("k8s.pod.name")).contains("shop-abc");
    assertThat(r.getString("k8s.namespace.name")).contains("staging");
  }

  @Test
  void noKubernetesAttributesOutsideKubernetes() throws IOException {
    file("var/run/secrets/kubernetes.io/serviceaccount/namespace", "staging");
    Resource r = detect(Map.of("HOSTNAME", "laptop"));
    assertThat(r.get("k8s.pod.name")).isEmpty();
    assertThat(r.get("k8s.namespace.name")).isEmpty();
  }

  @Test
  void osTypeFollowsTheSemanticConventionValues() {
    assertThat(ResourceDetector.osType("Mac OS X")).isEqualTo("darwin");
    assertThat(ResourceDetector.osType("Windows Server 2022")).isEqualTo("windows");
    assertThat(ResourceDetector.osType("SunOS")).isEqualTo("solaris");
    assertThat(ResourceDetector.osType("z/OS")).isEqualTo("z_os");
  }

  @Test
  void detectsTheRealProcessWithoutThrowing() {
    Resource r = Resource.detect();
    assertThat(r.get("process.pid")).contains(ProcessHandle.current().pid());
    assertThat(r.serviceName()).isNotBlank();
  }
}
