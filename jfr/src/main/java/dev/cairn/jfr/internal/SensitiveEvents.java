package dev.cairn.jfr.internal;

import java.util.List;
import java.util.Map;

/**
 * The JDK event types Cairn leaves out of every recording it starts (the black box, the Spring
 * starter's {@code jfr} endpoint) and out of its {@code .jfc} files: their string fields copy the
 * process's secrets verbatim, and a dump is made to be downloaded and passed around.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class SensitiveEvents {
  /** Event type names; types the running JDK does not know are ignored by JFR. */
  public static final List<String> TYPES =
      List.of(
          // every environment variable, name and value
          "jdk.InitialEnvironmentVariable",
          // every system property; sun.java.command holds the program arguments
          "jdk.InitialSystemProperty",
          // JVM arguments (JAVA_TOOL_OPTIONS included), flags file and program arguments
          "jdk.JVMInformation",
          // the command line of every process on the host
          "jdk.SystemProcess",
          // command lines and directories of processes the application starts (JDK 21+)
          "jdk.ProcessStart",
          // -XX string flags: OnError/OnOutOfMemoryError commands and the like
          "jdk.StringFlag",
          "jdk.StringFlagChanged",
          // -javaagent/-agentlib options (JDK 21+)
          "jdk.JavaAgent",
          "jdk.NativeAgent",
          // security properties, which -Djava.security.properties files may fill
          "jdk.InitialSecurityProperty",
          "jdk.SecurityPropertyModification",
          // a text thread dump: every thread name inside one string
          "jdk.ThreadDump");

  private SensitiveEvents() {}

  /** Sets {@code <type>#enabled=false} for every type of {@link #TYPES}; returns {@code settings}. */
  public static Map<String, String> disable(Map<String, String> settings) {
    for (String type : TYPES) {
      settings.put(type + "#enabled", "false");
    }
    return settings;
  }
}
