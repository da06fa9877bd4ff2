package dev.cairn.diagnostics.internal;

import dev.cairn.diagnostics.Redactor;
import dev.cairn.internal.Fatal;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.URL;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects the fingerprint's fields from the JVM, the file system ({@code /proc}, {@code /sys/fs/cgroup},
 * {@code /etc}, Kubernetes downward-API files) and the class path. Every read is small and bounded,
 * makes no network call (no DNS: the host name comes from {@code HOSTNAME} or {@code /etc/hostname})
 * and failures leave the field out.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class EnvironmentProbe {
  static final int MAX_LIBRARIES = 512;
  static final int MAX_FILE_BYTES = 64 * 1024;
  private static final Pattern CONTAINER_ID = Pattern.compile("([0-9a-f]{64})");
  private static final Pattern VERSION_SUFFIX = Pattern.compile("^(.*?)-(\\d[\\w.\\-+]*)$");

  private final Map<String, String> env;
  private final Properties props;
  private final Path root;
  private final ClassLoader loader;
  private final Redactor redactor;
  private final boolean jvm;

  private final TreeMap<String, String> environment = new TreeMap<>();
  private final TreeMap<String, String> instance = new TreeMap<>();

  /**
   * @param root where {@code /proc}, {@code /sys} and {@code /etc} are read from ({@code /} in
   *     production, a temporary directory in tests)
   * @param jvm whether to read this JVM's MXBeans (off for file-only tests)
   */
  public EnvironmentProbe(
      Map<String, String> env,
      Properties props,
      Path root,
      ClassLoader loader,
      Redactor redactor,
      boolean jvm) {
    this.env = env;
    this.props = props;
    this.root = root;
    this.loader = loader;
    this.redactor = redactor;
    this.jvm = jvm;
    run();
  }

  public static EnvironmentProbe system(Redactor redactor) {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) {
      cl = EnvironmentProbe.class.getClassLoader();
    }
    return new EnvironmentProbe(
        System.getenv(), System.getProperties(), Paths.get("/"), cl, redactor, true);
  }

  public Map<String, String> environment() {
    return environment;
  }

  public Map<String, String> instance() {
    return instance;
  }

  private void run() {
    step(this::jvmFields);
    step(this::osFields);
    step(this::cgroupFields);
    step(this::containerId);
    step(this::kubernetes);
    step(this::buildInfo);
    step(this::libraries);
  }

  private void step(Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      // One unreadable source must not cost the whole fingerprint.
      environment.merge("fingerprint.errors", t.getClass().getSimpleName(), (a, b) -> a + "," + b);
    }
  }

  private void jvmFields() {
    prop("java.version", "java.version");
    prop("java.vendor", "java.vendor");
    prop("java.vm.name", "jvm.name");
    prop("java.vm.vendor", "jvm.vendor");
    prop("java.vm.version", "jvm.version");
    prop("java.runtime.version", "java.runtime.version");
    prop("java.home", "java.home");
    prop("file.encoding", "charset.file.encoding");
    prop("sun.jnu.encoding", "charset.jnu.encoding");
    prop("os.name", "os.name");
    prop("os.arch", "os.arch");
    prop("os.version", "os.kernel");
    String tz = props.getProperty("user.timezone");
    put("time.zone", tz == null || tz.isEmpty() ? TimeZone.getDefault().getID() : tz);
    put("charset.default", Charset.defaultCharset().name());
    put("locale", Locale.getDefault().toLanguageTag());
    if (!jvm) {
      return;
    }
    List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
    StringBuilder sb = new StringBuilder();
    for (String a : args) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(redactor.redactValue(a));
    }
    put("jvm.arguments", sb.toString());
    put("jvm.heap.max.bytes", Long.toString(Runtime.getRuntime().maxMemory()));
    put("cpu.available", Integer.toString(Runtime.getRuntime().availableProcessors()));
    List<String> gcs = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcs.add(gc.getName());
    }
    put("jvm.gc", String.join(",", gcs));
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      // Container-aware on JDK 17+: the limit the JVM itself sizes against.
      put(
          "memory.total.bytes",
          Long.toString(((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize()));
    }
  }

  private void osFields() {
    String rel = read("etc/os-release");
    if (rel != null) {
      for (String line : rel.split("\n")) {
        if (line.startsWith("PRETTY_NAME=")) {
          put("os.release", unquote(line.substring("PRETTY_NAME=".length())));
        }
      }
    }
    String kernel = read("proc/sys/kernel/osrelease");
    if (kernel != null) {
      put("os.kernel", kernel.trim());
    }
    String host = env.get("HOSTNAME");
    if (host == null || host.isEmpty()) {
      String h = read("etc/hostname");
      host = h == null ? null : h.trim();
    }
    if (host != null && !host.isEmpty()) {
      instance.put("host.name", host);
    }
  }

  private void cgroupFields() {
    String cpuMax = read("sys/fs/cgroup/cpu.max");
    String memMax = read("sys/fs/cgroup/memory.max");
    if (cpuMax != null || memMax != null) {
      put("cgroup.version", "2");
      if (cpuMax != null) {
        String[] p = cpuMax.trim().split("\\s+");
        if (p.length == 2) {
          put("cgroup.cpu.limit", "max".equals(p[0]) ? "max" : cpus(p[0], p[1]));
        }
      }
      if (memMax != null) {
        put("cgroup.memory.limit.bytes", memMax.trim());
      }
      return;
    }
    String quota = read("sys/fs/cgroup/cpu/cpu.cfs_quota_us");
    String period = read("sys/fs/cgroup/cpu/cpu.cfs_period_us");
    String mem = read("sys/fs/cgroup/memory/memory.limit_in_bytes");
    if (quota == null && mem == null) {
      return;
    }
    put("cgroup.version", "1");
    if (quota != null && period != null) {
      String q = quota.trim();
      put("cgroup.cpu.limit", q.startsWith("-") ? "max" : cpus(q, period.trim()));
    }
    if (mem != null) {
      String m = mem.trim();
      // v1 reports "no limit" as a huge page-aligned number (0x7FFFFFFFFFFFF000).
      put("cgroup.memory.limit.bytes", m.length() >= 19 ? "max" : m);
    }
  }

  private static String cpus(String quota, String period) {
    try {
      double c = Double.parseDouble(quota) / Double.parseDouble(period);
      return String.format(Locale.ROOT, "%.2f", c);
    } catch (NumberFormatException e) {
      return quota + "/" + period;
    }
  }

  private void containerId() {
    for (String file : new String[] {"proc/self/cgroup", "proc/self/mountinfo"}) {
      String text = read(file);
      if (text == null) {
        continue;
      }
      for (String line : text.split("\n")) {
        // mountinfo names many 64-hex ids (overlay layers); only container paths count.
        if (file.endsWith("mountinfo")
            && !(line.contains("/containers/") || line.contains("/docker/"))) {
          continue;
        }
        Matcher m = CONTAINER_ID.matcher(line);
        if (m.find()) {
          instance.put("container.id", m.group(1));
          return;
        }
      }
    }
  }

  private void kubernetes() {
    boolean inK8s = env.containsKey("KUBERNETES_SERVICE_HOST");
    String podinfo = env.getOrDefault("CAIRN_PODINFO_DIR", "etc/podinfo");
    String ns =
        first(
            env.get("POD_NAMESPACE"),
            env.get("K8S_NAMESPACE"),
            fileTrim(podinfo + "/namespace"),
            fileTrim("var/run/secrets/kubernetes.io/serviceaccount/namespace"));
    String pod = first(env.get("POD_NAME"), env.get("K8S_POD_NAME"), fileTrim(podinfo + "/name"));
    String node =
        first(env.get("NODE_NAME"), env.get("K8S_NODE_NAME"), fileTrim(podinfo + "/nodeName"));
    String uid = first(env.get("POD_UID"), env.get("K8S_POD_UID"), fileTrim(podinfo + "/uid"));
    if (pod == null && inK8s) {
      pod = env.get("HOSTNAME"); // a pod's host name is its name unless hostname is set
    }
    if (ns != null) {
      put("k8s.namespace", ns);
    }
    if (pod != null) {
      instance.put("k8s.pod.name", pod);
    }
    if (node != null) {
      instance.put("k8s.node.name", node);
    }
    if (uid != null) {
      instance.put("k8s.pod.uid", uid);
    }
  }

  private void buildInfo() {
    Properties git = resource("git.properties");
    if (git != null) {
      for (String k : git.stringPropertyNames()) {
        if (k.startsWith("git.commit.id") || k.equals("git.branch") || k.equals("git.commit.time")
            || k.equals("git.build.version") || k.equals("git.dirty") || k.equals("git.tags")) {
          put("build." + k, redactor.redactEntry(k, git.getProperty(k)));
        }
      }
    }
    Properties info = resource("META-INF/build-info.properties");
    if (info != null) {
      for (String k : info.stringPropertyNames()) {
        put("build.info." + (k.startsWith("build.") ? k.substring(6) : k),
            redactor.redactEntry(k, info.getProperty(k)));
      }
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      String k = e.getKey();
      if (k.startsWith("CAIRN_BUILD_") && k.length() > 12) {
        String name = k.substring(12).toLowerCase(Locale.ROOT).replace('_', '.');
        put("build." + name, redactor.redactEntry(k, e.getValue()));
      }
    }
  }

  private void libraries() {
    Enumeration<URL> manifests;
    try {
      manifests = loader.getResources("META-INF/MANIFEST.MF");
    } catch (IOException e) {
      return;
    }
    int n = 0;
    while (manifests.hasMoreElements() && n < MAX_LIBRARIES) {
      URL url = manifests.nextElement();
      String s = url.toString();
      // jar:file:/path/name-1.2.jar!/META-INF/MANIFEST.MF
      int bang = s.indexOf("!/");
      if (!s.startsWith("jar:") || bang < 0) {
        continue;
      }
      String jar = s.substring(s.lastIndexOf('/', bang) + 1, bang);
      if (!jar.endsWith(".jar")) {
        continue;
      }
      String base = jar.substring(0, jar.length() - 4);
      String name = base;
      String fileVersion = null;
      Matcher m = VERSION_SUFFIX.matcher(base);
      if (m.matches()) {
        name = m.group(1);
        fileVersion = m.group(2);
      }
      String version = null;
      try (InputStream in = url.openStream()) {
        Attributes a = new Manifest(in).getMainAttributes();
        version = first(a.getValue("Implementation-Version"), a.getValue("Bundle-Version"));
      } catch (IOException | RuntimeException e) {
        // A jar without a readable manifest still has a name.
      }
      version = first(version, fileVersion, "unknown");
      put("library." + name, version);
      n++;
    }
    if (manifests.hasMoreElements()) {
      put("library.truncated", "true");
    }
  }

  private Properties resource(String name) {
    URL url = loader.getResource(name);
    if (url == null) {
      return null;
    }
    try (InputStream in = url.openStream()) {
      Properties p = new Properties();
      p.load(new java.io.ByteArrayInputStream(in.readNBytes(MAX_FILE_BYTES)));
      return p;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private void prop(String name, String key) {
    String v = props.getProperty(name);
    if (v != null && !v.isEmpty()) {
      put(key, v);
    }
  }

  private void put(String key, String value) {
    if (value != null) {
      environment.put(key, value);
    }
  }

  private String fileTrim(String rel) {
    String s = read(rel);
    if (s == null) {
      return null;
    }
    s = s.trim();
    return s.isEmpty() ? null : s;
  }

  /** Reads a small file below the root, or null. */
  private String read(String rel) {
    Path p = rel.startsWith("/") ? Paths.get(rel) : root.resolve(rel);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(p)) {
      return new String(in.readNBytes(MAX_FILE_BYTES), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String unquote(String s) {
    s = s.trim();
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  private static String first(String... options) {
    for (String o : options) {
      if (o != null && !o.isEmpty()) {
        return o;
      }
    }
    return null;
  }
}
