package dev.cairn.diagnostics.internal;

import dev.cairn.diagnostics.Redactor;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * JVM state for the diagnostics surface: uptime, memory and its pools, GC, threads, classes, flags
 * (through the {@code DiagnosticCommand} MBean, the same commands {@code jcmd} runs), the class
 * histogram, system properties and environment (redacted).
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class JvmProbe {
  private static final Pattern HISTO_LINE =
      Pattern.compile("^\\s*(\\d+):\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)(?:\\s+\\((.*)\\))?\\s*$");

  private final Redactor redactor;

  public JvmProbe(Redactor redactor) {
    this.redactor = redactor;
  }

  /** Runs a diagnostic command (as {@code jcmd} would) and returns its text output. */
  public static String diagnosticCommand(String operation, String... args) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
    Object out =
        server.invoke(name, operation, new Object[] {args}, new String[] {String[].class.getName()});
    return String.valueOf(out);
  }

  /** One class of the heap histogram. */
  public static final class HistogramRow {
    public final String className;
    public final String module;
    public final long instances;
    public final long bytes;

    HistogramRow(String className, String module, long instances, long bytes) {
      this.className = className;
      this.module = module;
      this.instances = instances;
      this.bytes = bytes;
    }
  }

  /** Parses {@code GC.class_histogram} output; rows sorted by bytes, descending, as the JDK prints. */
  public static List<HistogramRow> parseHistogram(String text, int top) {
    List<HistogramRow> rows = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher m = HISTO_LINE.matcher(line);
      if (m.matches()) {
        rows.add(
            new HistogramRow(
                m.group(4),
                m.group(5) == null ? "" : m.group(5),
                Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3))));
        if (rows.size() >= top) {
          break;
        }
      }
    }
    return rows;
  }

  /**
   * The top classes by bytes. {@code live} forces a full GC first (like {@code jmap -histo:live});
   * otherwise all objects, reachable or not, are counted and no GC is forced.
   */
  public void heapHistogramJson(JsonOut w, int top, boolean live) throws Exception {
    long t0 = System.nanoTime();
    String text = live ? diagnosticCommand("gcClassHistogram") : diagnosticCommand("gcClassHistogram", "-all");
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    List<HistogramRow> rows = parseHistogram(text, top);
    long totalBytes = 0;
    long totalInstances = 0;
    Matcher total = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)").matcher(text);
    if (total.find()) {
      totalInstances = Long.parseLong(total.group(1));
      totalBytes = Long.parseLong(total.group(2));
    }
    w.beginObject();
    w.field("live", live);
    w.field("took.ms", tookMs);
    w.field("totalInstances", totalInstances);
    w.field("totalBytes", totalBytes);
    w.field("top", top);
    w.name("classes").beginArray();
    for (HistogramRow r : rows) {
      w.beginObject()
          .field("class", r.className)
          .field("module", r.module)
          .field("instances", r.instances)
          .field("bytes", r.bytes)
          .endObject();
    }
    w.endArray();
    w.endObject();
  }

  /** The JVM's flags with non-default values ({@code jcmd VM.flags}). */
  public static List<String> vmFlags() {
    try {
      String text = diagnosticCommand("vmFlags");
      List<String> out = new ArrayList<>();
      for (String f : text.trim().split("\\s+")) {
        if (!f.isEmpty() && !f.endsWith(":")) {
          out.add(f);
        }
      }
      return out;
    } catch (Exception e) {
      return List.of();
    }
  }

  /** Uptime, memory, pools, GC, threads, classes, flags, arguments as one JSON object. */
  public void jvmJson(JsonOut w) {
    RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    ThreadMXBean th = ManagementFactory.getThreadMXBean();
    ClassLoadingMXBean cl = ManagementFactory.getClassLoadingMXBean();
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    w.beginObject();
    w.field("name", rt.getVmName());
    w.field("vendor", rt.getVmVendor());
    w.field("version", rt.getVmVersion());
    w.field("pid", ProcessHandle.current().pid());
    w.field("startTime", Instant.ofEpochMilli(rt.getStartTime()).toString());
    w.field("uptime.ms", rt.getUptime());
    w.field("availableProcessors", os.getAvailableProcessors());
    w.field("systemLoadAverage", os.getSystemLoadAverage());
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      com.sun.management.OperatingSystemMXBean sun = (com.sun.management.OperatingSystemMXBean) os;
      w.field("processCpuLoad", sun.getProcessCpuLoad());
      w.field("processCpuTime.ns", sun.getProcessCpuTime());
      w.field("memory.total.bytes", sun.getTotalMemorySize());
      w.field("memory.free.bytes", sun.getFreeMemorySize());
    }
    w.name("heap");
    usage(w, mem.getHeapMemoryUsage());
    w.name("nonHeap");
    usage(w, mem.getNonHeapMemoryUsage());
    w.field("objectPendingFinalizationCount", mem.getObjectPendingFinalizationCount());
    w.name("memoryPools").beginArray();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      w.beginObject();
      w.field("name", p.getName());
      w.field("type", p.getType().name());
      w.name("usage");
      usage(w, p.getUsage());
      w.name("peak");
      usage(w, p.getPeakUsage());
      MemoryUsage after = p.getCollectionUsage();
      if (after != null) {
        w.name("afterLastGc");
        usage(w, after);
      }
      w.endObject();
    }
    w.endArray();
    w.name("garbageCollectors").beginArray();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      w.beginObject();
      w.field("name", gc.getName());
      w.field("count", gc.getCollectionCount());
      w.field("time.ms", gc.getCollectionTime());
      w.name("pools").beginArray();
      for (String p : gc.getMemoryPoolNames()) {
        w.value(p);
      }
      w.endArray();
      w.endObject();
    }
    w.endArray();
    w.name("threads").beginObject();
    w.field("live", th.getThreadCount());
    w.field("daemon", th.getDaemonThreadCount());
    w.field("peak", th.getPeakThreadCount());
    w.field("started", th.getTotalStartedThreadCount());
    w.endObject();
    w.name("classes").beginObject();
    w.field("loaded", cl.getLoadedClassCount());
    w.field("totalLoaded", cl.getTotalLoadedClassCount());
    w.field("unloaded", cl.getUnloadedClassCount());
    w.endObject();
    w.name("flags").beginArray();
    for (String f : vmFlags()) {
      w.value(redactor.redactValue(f));
    }
    w.endArray();
    w.name("arguments").beginArray();
    for (String a : rt.getInputArguments()) {
      w.value(redactor.redactValue(a));
    }
    w.endArray();
    w.endObject();
  }

  private static void usage(JsonOut w, MemoryUsage u) {
    if (u == null) {
      w.nullValue();
      return;
    }
    w.beginObject()
        .field("init", u.getInit())
        .field("used", u.getUsed())
        .field("committed", u.getCommitted())
        .field("max", u.getMax())
        .endObject();
  }

  /** System properties, sorted, secrets redacted by name and pattern. */
  public void systemPropertiesJson(JsonOut w) {
    Map<String, String> sorted = new TreeMap<>();
    for (String k : System.getProperties().stringPropertyNames()) {
      sorted.put(k, redactor.redactEntry(k, System.getProperty(k, "")));
    }
    // sun.java.command holds the whole command line, arguments included.
    sorted.computeIfPresent("sun.java.command", (k, v) -> redactCommandLine(v));
    w.stringMap(sorted);
  }

  /** Environment variables, sorted, secrets redacted by name and pattern. */
  public void environmentJson(JsonOut w) {
    Map<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : System.getenv().entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      if (k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS")) {
        v = redactCommandLine(v); // JVM options: each -Dname=value judged by its name
      }
      sorted.put(k, redactor.redactEntry(k, v));
    }
    w.stringMap(sorted);
  }

  private String redactCommandLine(String line) {
    StringBuilder sb = new StringBuilder();
    for (String part : line.split(" ")) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(redactor.redactValue(part));
    }
    return sb.toString();
  }
}
