package dev.cairn.resource;

import dev.cairn.internal.Fatal;
import dev.cairn.internal.KeyValues;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Detects the {@link Resource} of this process. Offline only: it reads environment variables,
 * system properties and a few local files, and never resolves a host name or calls a metadata
 * service, so it cannot stall start-up on a broken DNS.
 *
 * <p>What it sets, lowest precedence first (later sources override earlier ones):
 *
 * <ol>
 *   <li>Detected: {@code host.name} ({@code HOSTNAME}, {@code /etc/hostname}, {@code
 *       /proc/sys/kernel/hostname}, {@code COMPUTERNAME}), {@code host.arch}, {@code os.type},
 *       {@code os.description}, {@code os.version}, {@code process.pid}, {@code
 *       process.runtime.name/version/description}, {@code telemetry.sdk.name/language/version},
 *       {@code service.instance.id} (a random UUID per process), {@code container.id} (cgroup v1
 *       {@code /proc/self/cgroup}, else cgroup v2 {@code /proc/self/mountinfo}), {@code
 *       k8s.pod.name} / {@code k8s.namespace.name} / {@code k8s.node.name} (Downward API
 *       variables {@code K8S_POD_NAME} or {@code POD_NAME}, {@code K8S_NAMESPACE_NAME} or {@code
 *       POD_NAMESPACE}, {@code K8S_NODE_NAME} or {@code NODE_NAME}; in Kubernetes the pod name
 *       falls back to {@code HOSTNAME} and the namespace to the service-account namespace file).
 *   <li>{@code OTEL_RESOURCE_ATTRIBUTES} (or system property {@code otel.resource.attributes}):
 *       {@code key=value,key=value}, values percent-decoded. A malformed value is discarded as a
 *       whole, as the OpenTelemetry specification asks, counted ({@code
 *       cairn.resource.rejected}) and reported once.
 *   <li>{@code CAIRN_RESOURCE_ATTRIBUTES} (or {@code cairn.resource.attributes}), same syntax.
 *   <li>{@code service.name}: {@code OTEL_SERVICE_NAME} / {@code otel.service.name}, then {@code
 *       CAIRN_SERVICE_NAME}, then system property {@code cairn.service.name} (highest). {@code
 *       service.version}: {@code CAIRN_SERVICE_VERSION}, then {@code cairn.service.version}.
 * </ol>
 *
 * <p>Explicit configuration goes on top with {@link Resource#merge(Resource)}. The command line
 * is deliberately not recorded ({@code process.command_args}): it often carries secrets.
 */
public final class ResourceDetector {
  private static final SelfCounter REJECTED =
      SelfCounters.GLOBAL.counter(
          "cairn.resource.rejected",
          "Resource attribute settings discarded because they were malformed",
          "settings",
          "reason",
          "malformed_attributes");

  /** Files are read up to this size; anything a detector needs is far smaller. */
  private static final int MAX_FILE_BYTES = 256 * 1024;

  private static final String INSTANCE_ID = randomUuid();

  private final Map<String, String> env;
  private final Map<String, String> properties;
  private final Path root;

  private ResourceDetector(Builder b) {
    this.env = b.env;
    this.properties = b.properties;
    this.root = b.root;
  }

  /** A detector reading the real environment, system properties and file system. */
  public static Builder builder() {
    return new Builder();
  }

  /** Detects the resource. Never throws; a source that cannot be read is skipped. */
  public Resource detect() {
    Resource.Builder b = Resource.builder();
    String serviceDefault = Resource.DEFAULT_SERVICE_NAME;
    b.put(Resource.SERVICE_NAME, serviceDefault);
    b.put("service.instance.id", INSTANCE_ID);
    b.put("telemetry.sdk.name", "cairn");
    b.put("telemetry.sdk.language", "java");
    b.put("telemetry.sdk.version", sdkVersion());
    safely(() -> detectHost(b));
    safely(() -> detectOs(b));
    safely(() -> detectProcess(b));
    safely(() -> detectContainer(b));
    safely(() -> detectKubernetes(b));

    applyAttributeList(b, "OTEL_RESOURCE_ATTRIBUTES", "otel.resource.attributes");
    applyAttributeList(b, "CAIRN_RESOURCE_ATTRIBUTES", "cairn.resource.attributes");

    putFirst(b, Resource.SERVICE_NAME, env.get("OTEL_SERVICE_NAME"));
    putFirst(b, Resource.SERVICE_NAME, properties.get("otel.service.name"));
    putFirst(b, Resource.SERVICE_NAME, env.get("CAIRN_SERVICE_NAME"));
    putFirst(b, Resource.SERVICE_NAME, properties.get("cairn.service.name"));
    putFirst(b, "service.version", env.get("CAIRN_SERVICE_VERSION"));
    putFirst(b, "service.version", properties.get("cairn.service.version"));
    return b.build();
  }

  // ------------------------------------------------------------------ sources

  private void detectHost(Resource.Builder b) {
    String host = nonBlank(env.get("HOSTNAME"));
    if (host == null) {
      host = firstLine(root.resolve("etc/hostname"));
    }
    if (host == null) {
      host = firstLine(root.resolve("proc/sys/kernel/hostname"));
    }
    if (host == null) {
      host = nonBlank(env.get("COMPUTERNAME"));
    }
    if (host != null) {
      b.put("host.name", host);
    }
    String arch = properties.get("os.arch");
    if (arch != null) {
      b.put("host.arch", arch(arch));
    }
  }

  private void detectOs(Resource.Builder b) {
    String name = properties.get("os.name");
    String version = properties.get("os.version");
    if (name != null) {
      b.put("os.type", osType(name));
      b.put("os.description", version == null ? name : name + " " + version);
    }
    if (version != null) {
      b.put("os.version", version);
    }
  }

  private void detectProcess(Resource.Builder b) {
    b.put("process.pid", ProcessHandle.current().pid());
    putIfPresent(b, "process.runtime.name", properties.get("java.runtime.name"));
    putIfPresent(b, "process.runtime.version", properties.get("java.runtime.version"));
    String vendor = properties.get("java.vm.vendor");
    String vm = properties.get("java.vm.name");
    String vmVersion = properties.get("java.vm.version");
    if (vendor != null && vm != null && vmVersion != null) {
      b.put("process.runtime.description", vendor + " " + vm + " " + vmVersion);
    }
  }

  private void detectContainer(Resource.Builder b) {
    String id = containerIdFromCgroup(read(root.resolve("proc/self/cgroup")));
    if (id == null) {
      id = containerIdFromMountinfo(read(root.resolve("proc/self/mountinfo")));
    }
    if (id != null) {
      b.put("container.id", id);
    }
  }

  private void detectKubernetes(Resource.Builder b) {
    boolean inKubernetes = nonBlank(env.get("KUBERNETES_SERVICE_HOST")) != null;
    String pod = firstNonBlank(env.get("K8S_POD_NAME"), env.get("POD_NAME"));
    if (pod == null && inKubernetes) {
      pod = nonBlank(env.get("HOSTNAME")); // the pod name is the default host name of a pod
    }
    putIfPresent(b, "k8s.pod.name", pod);
    String ns = firstNonBlank(env.get("K8S_NAMESPACE_NAME"), env.get("POD_NAMESPACE"));
    if (ns == null && inKubernetes) {
      ns = firstLine(root.resolve("var/run/secrets/kubernetes.io/serviceaccount/namespace"));
    }
    putIfPresent(b, "k8s.namespace.name", ns);
    putIfPresent(b, "k8s.node.name", firstNonBlank(env.get("K8S_NODE_NAME"), env.get("NODE_NAME")));
  }

  private void applyAttributeList(Resource.Builder b, String envName, String propertyName) {
    String value = properties.get(propertyName);
    String source = propertyName;
    if (value == null) {
      value = env.get(envName);
      source = envName;
    }
    if (value == null || value.isBlank()) {
      return;
    }
    Map<String, String> parsed = KeyValues.parse(value);
    if (parsed == null) {
      REJECTED.increment();
      Reporter.warn(
          "resource." + source,
          source
              + " is malformed (expected key=value pairs separated by commas, values"
              + " percent-encoded); all of it is ignored",
          null);
      return;
    }
    for (Map.Entry<String, String> e : parsed.entrySet()) {
      b.put(e.getKey(), e.getValue());
    }
  }

  // ------------------------------------------------------------------ parsing

  /**
   * cgroup v1 lines look like {@code 12:memory:/docker/<id>} or {@code
   * 0::/system.slice/docker-<id>.scope}: the id is the last path segment, less runtime prefixes
   * and the {@code .scope} suffix, when it is 64 hex digits.
   */
  static String containerIdFromCgroup(String content) {
    if (content == null) {
      return null;
    }
    for (String line : content.split("\n")) {
      int slash = line.lastIndexOf('/');
      if (slash < 0) {
        continue;
      }
      String seg = line.substring(slash + 1).trim();
      if (seg.endsWith(".scope")) {
        seg = seg.substring(0, seg.length() - ".scope".length());
      }
      int dash = seg.lastIndexOf('-');
      if (dash >= 0) {
        seg = seg.substring(dash + 1);
      }
      int colon = seg.lastIndexOf(':'); // cri-containerd:<id> on some nodes
      if (colon >= 0) {
        seg = seg.substring(colon + 1);
      }
      if (isContainerId(seg)) {
        return seg;
      }
    }
    return null;
  }

  /**
   * Under cgroup v2 the cgroup path is usually just {@code /}; the container runtime's bind mounts
   * ({@code /etc/hostname}, {@code /etc/hosts}) still name it: {@code
   * .../containers/<id>/hostname} (Docker, containerd) or {@code
   * .../overlay-containers/<id>/userdata/hostname} (Podman). Sandbox (pause) ids are skipped.
   */
  static String containerIdFromMountinfo(String content) {
    if (content == null) {
      return null;
    }
    for (String line : content.split("\n")) {
      String[] fields = line.split(" ");
      if (fields.length < 5 || fields[3].contains("/sandboxes/")) {
        continue;
      }
      String[] segs = fields[3].split("/");
      for (int i = 1; i < segs.length; i++) {
        if (segs[i - 1].endsWith("containers") && isContainerId(segs[i])) {
          return segs[i];
        }
      }
    }
    return null;
  }

  private static boolean isContainerId(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  static String osType(String osName) {
    String n = osName.toLowerCase(Locale.ROOT);
    if (n.startsWith("windows")) {
      return "windows";
    } else if (n.startsWith("linux")) {
      return "linux";
    } else if (n.startsWith("mac") || n.startsWith("darwin")) {
      return "darwin";
    } else if (n.startsWith("freebsd")) {
      return "freebsd";
    } else if (n.startsWith("netbsd")) {
      return "netbsd";
    } else if (n.startsWith("openbsd")) {
      return "openbsd";
    } else if (n.startsWith("dragonfly")) {
      return "dragonflybsd";
    } else if (n.startsWith("hp-ux")) {
      return "hpux";
    } else if (n.startsWith("aix")) {
      return "aix";
    } else if (n.startsWith("sunos") || n.startsWith("solaris")) {
      return "solaris";
    } else if (n.startsWith("z/os")) {
      return "z_os";
    }
    return n;
  }

  private static String arch(String osArch) {
    switch (osArch) {
      case "amd64":
      case "x86_64":
        return "amd64";
      case "aarch64":
        return "arm64";
      case "x86":
      case "i386":
      case "i686":
        return "x86";
      case "ppc64":
        return "ppc64";
      case "s390x":
        return "s390x";
      default:
        return osArch;
    }
  }

  // ------------------------------------------------------------------ helpers

  private static String sdkVersion() {
    String v = ResourceDetector.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static String randomUuid() {
    // Not UUID.randomUUID(): SecureRandom seeding can take long on a starved host, and this id
    // only has to be unique, not unpredictable.
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    return new java.util.UUID(msb, lsb).toString();
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      Reporter.debug("resource detection step failed: " + t);
    }
  }

  private static void putFirst(Resource.Builder b, String key, String value) {
    String v = nonBlank(value);
    if (v != null) {
      b.put(key, v);
    }
  }

  private static void putIfPresent(Resource.Builder b, String key, String value) {
    putFirst(b, key, value);
  }

  private static String firstNonBlank(String a, String b) {
    String v = nonBlank(a);
    return v != null ? v : nonBlank(b);
  }

  private static String nonBlank(String s) {
    if (s == null) {
      return null;
    }
    String t = s.trim();
    return t.isEmpty() ? null : t;
  }

  private static String firstLine(Path p) {
    String s = read(p);
    if (s == null) {
      return null;
    }
    int nl = s.indexOf('\n');
    return nonBlank(nl < 0 ? s : s.substring(0, nl));
  }

  /** Reads at most {@link #MAX_FILE_BYTES}; {@code null} when absent or unreadable. */
  private static String read(Path p) {
    if (!Files.isReadable(p)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(p)) {
      return new String(in.readNBytes(MAX_FILE_BYTES), StandardCharsets.UTF_8);
    } catch (Exception e) {
      return null;
    }
  }

  /** Configures where a {@link ResourceDetector} looks; the defaults are the real process. */
  public static final class Builder {
    private Map<String, String> env = System.getenv();
    private Map<String, String> properties = systemProperties();
    private Path root = Paths.get("/");

    private Builder() {}

    /** Environment variables to read instead of {@link System#getenv()}. */
    public Builder environment(Map<String, String> environment) {
      this.env = Map.copyOf(environment);
      return this;
    }

    /** Properties to read instead of the system properties. */
    public Builder properties(Map<String, String> properties) {
      this.properties = Map.copyOf(properties);
      return this;
    }

    /** The directory standing for {@code /} when reading {@code /proc}, {@code /etc}, .... */
    public Builder fileSystemRoot(Path root) {
      this.root = Objects.requireNonNull(root, "root");
      return this;
    }

    public ResourceDetector build() {
      return new ResourceDetector(this);
    }

    private static Map<String, String> systemProperties() {
      Map<String, String> m = new HashMap<>();
      for (String name : System.getProperties().stringPropertyNames()) {
        m.put(name, System.getProperty(name));
      }
      return m;
    }
  }
}
