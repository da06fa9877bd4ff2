package dev.cairn.diagnostics;

import dev.cairn.internal.export.ExportConfig;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Configuration of the diagnostics surface and its loopback server. Immutable; build with {@link
 * #builder()} or read {@code cairn.diagnostics.*} properties with {@link #fromProperties(Map)}.
 * Secure by default: off, loopback only, token required, read-only, no dumps.
 */
public final class DiagnosticsSettings {
  /** Prefix of every property. */
  public static final String PREFIX = "cairn.diagnostics.";

  /**
   * Every key {@link #fromProperties} reads, after {@link #PREFIX}: a configuration check can tell
   * a misspelt key from a real one. Reading a key not listed here fails, so the list cannot drift.
   */
  public static final Set<String> KEYS =
      Set.of(
          "enabled", "bind-address", "allow-non-loopback", "port", "token", "token-file",
          "write.enabled", "dumps.enabled", "dumps.directory", "dumps.max-bytes",
          "max-response-bytes", "max-request-bytes", "threads", "queue-size", "max-connections",
          "max-header-bytes", "head-timeout", "body-timeout", "idle-timeout", "write-timeout",
          "thread-dump.max-frames", "thread-dump.max-threads", "heap-histogram.top",
          "redact.names");

  private final boolean enabled;
  private final String bindAddress;
  private final boolean allowNonLoopback;
  private final int port;
  private final Optional<String> token;
  private final Optional<Path> tokenFile;
  private final boolean writeEnabled;
  private final boolean dumpsEnabled;
  private final Path dumpDirectory;
  private final long maxResponseBytes;
  private final long maxDumpBytes;
  private final int maxRequestBytes;
  private final int threads;
  private final int queueSize;
  private final int maxConnections;
  private final int maxHeaderBytes;
  private final Duration headTimeout;
  private final Duration bodyTimeout;
  private final Duration idleTimeout;
  private final Duration writeTimeout;
  private final int maxStackFrames;
  private final int maxThreads;
  private final int histogramTop;
  private final List<String> redactNames;

  private DiagnosticsSettings(Builder b) {
    this.enabled = b.enabled;
    this.bindAddress = b.bindAddress;
    this.allowNonLoopback = b.allowNonLoopback;
    this.port = b.port;
    this.token = Optional.ofNullable(b.token);
    this.tokenFile = Optional.ofNullable(b.tokenFile);
    this.writeEnabled = b.writeEnabled;
    this.dumpsEnabled = b.dumpsEnabled;
    this.dumpDirectory = b.dumpDirectory;
    this.maxResponseBytes = b.maxResponseBytes;
    this.maxDumpBytes = b.maxDumpBytes;
    this.maxRequestBytes = b.maxRequestBytes;
    this.threads = b.threads;
    this.queueSize = b.queueSize;
    this.maxConnections = b.maxConnections;
    this.maxHeaderBytes = b.maxHeaderBytes;
    this.headTimeout = b.headTimeout;
    this.bodyTimeout = b.bodyTimeout;
    this.idleTimeout = b.idleTimeout;
    this.writeTimeout = b.writeTimeout;
    this.maxStackFrames = b.maxStackFrames;
    this.maxThreads = b.maxThreads;
    this.histogramTop = b.histogramTop;
    this.redactNames = List.copyOf(b.redactNames);
  }

  /** The defaults (server off). */
  public static DiagnosticsSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads {@code cairn.diagnostics.*} entries (e.g. system properties); absent keys keep their
   * defaults.
   *
   * @throws IllegalArgumentException naming the property when a value is malformed
   */
  public static DiagnosticsSettings fromProperties(Map<?, ?> props) {
    Builder b = builder();
    String v;
    if ((v = get(props, "enabled")) != null) {
      b.enabled(bool("enabled", v));
    }
    if ((v = get(props, "bind-address")) != null) {
      b.bindAddress(v);
    }
    if ((v = get(props, "allow-non-loopback")) != null) {
      b.allowNonLoopback(bool("allow-non-loopback", v));
    }
    if ((v = get(props, "port")) != null) {
      b.port((int) number("port", v));
    }
    if ((v = get(props, "token")) != null) {
      b.token(v);
    }
    if ((v = get(props, "token-file")) != null) {
      b.tokenFile(Paths.get(v));
    }
    if ((v = get(props, "write.enabled")) != null) {
      b.writeEnabled(bool("write.enabled", v));
    }
    if ((v = get(props, "dumps.enabled")) != null) {
      b.dumpsEnabled(bool("dumps.enabled", v));
    }
    if ((v = get(props, "dumps.directory")) != null) {
      b.dumpDirectory(Paths.get(v));
    }
    if ((v = get(props, "dumps.max-bytes")) != null) {
      b.maxDumpBytes(number("dumps.max-bytes", v));
    }
    if ((v = get(props, "max-response-bytes")) != null) {
      b.maxResponseBytes(number("max-response-bytes", v));
    }
    if ((v = get(props, "max-request-bytes")) != null) {
      b.maxRequestBytes((int) number("max-request-bytes", v));
    }
    if ((v = get(props, "threads")) != null) {
      b.threads((int) number("threads", v));
    }
    if ((v = get(props, "queue-size")) != null) {
      b.queueSize((int) number("queue-size", v));
    }
    if ((v = get(props, "max-connections")) != null) {
      b.maxConnections((int) number("max-connections", v));
    }
    if ((v = get(props, "max-header-bytes")) != null) {
      b.maxHeaderBytes((int) number("max-header-bytes", v));
    }
    if ((v = get(props, "head-timeout")) != null) {
      b.headTimeout(duration("head-timeout", v));
    }
    if ((v = get(props, "body-timeout")) != null) {
      b.bodyTimeout(duration("body-timeout", v));
    }
    if ((v = get(props, "idle-timeout")) != null) {
      b.idleTimeout(duration("idle-timeout", v));
    }
    if ((v = get(props, "write-timeout")) != null) {
      b.writeTimeout(duration("write-timeout", v));
    }
    if ((v = get(props, "thread-dump.max-frames")) != null) {
      b.maxStackFrames((int) number("thread-dump.max-frames", v));
    }
    if ((v = get(props, "thread-dump.max-threads")) != null) {
      b.maxThreads((int) number("thread-dump.max-threads", v));
    }
    if ((v = get(props, "heap-histogram.top")) != null) {
      b.histogramTop((int) number("heap-histogram.top", v));
    }
    if ((v = get(props, "redact.names")) != null) {
      for (String n : v.split(",")) {
        if (!n.isBlank()) {
          b.redactName(n.trim());
        }
      }
    }
    return b.build();
  }

  /** Reads the settings from system properties. */
  public static DiagnosticsSettings fromSystemProperties() {
    Properties p = System.getProperties();
    return fromProperties(p);
  }

  private static String get(Map<?, ?> props, String key) {
    if (!KEYS.contains(key)) {
      throw new IllegalStateException("cairn: diagnostics key " + key + " is missing from KEYS");
    }
    Object v = props.get(PREFIX + key);
    if (v == null) {
      return null;
    }
    String s = v.toString().trim();
    return s.isEmpty() ? null : s;
  }

  private static boolean bool(String key, String v) {
    String s = v.toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new IllegalArgumentException(PREFIX + key + " must be true or false, was " + v);
  }

  private static Duration duration(String key, String v) {
    return ExportConfig.duration(v, PREFIX + key);
  }

  private static long number(String key, String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PREFIX + key + " must be a whole number, was " + v);
    }
  }

  /** {@code cairn.diagnostics.enabled} (default false): whether the loopback server starts. */
  public boolean enabled() {
    return enabled;
  }

  /** {@code cairn.diagnostics.bind-address} (default {@code 127.0.0.1}). */
  public String bindAddress() {
    return bindAddress;
  }

  /** {@code cairn.diagnostics.allow-non-loopback} (default false): needed for any other address. */
  public boolean allowNonLoopback() {
    return allowNonLoopback;
  }

  /** {@code cairn.diagnostics.port} (default 0: a free port, printed at start). */
  public int port() {
    return port;
  }

  /** {@code cairn.diagnostics.token}: the bearer token; generated when absent. */
  public Optional<String> token() {
    return token;
  }

  /**
   * {@code cairn.diagnostics.token-file}: where a generated token is written (owner-only). Empty
   * (the default) means a file of the server's own, {@code
   * ${java.io.tmpdir}/cairn-diagnostics-<pid>-<port>.token} with the bound port, so two servers
   * in one JVM never share one; {@link DiagnosticsServer#generatedTokenFile()} names it.
   */
  public Optional<Path> tokenFile() {
    return tokenFile;
  }

  /** {@code cairn.diagnostics.write.enabled} (default false). */
  public boolean writeEnabled() {
    return writeEnabled;
  }

  /** {@code cairn.diagnostics.dumps.enabled} (default false): heap and flight-recording dumps. */
  public boolean dumpsEnabled() {
    return dumpsEnabled;
  }

  /** {@code cairn.diagnostics.dumps.directory}: where dumps are written before download. */
  public Path dumpDirectory() {
    return dumpDirectory;
  }

  /** {@code cairn.diagnostics.max-response-bytes} (default 16 MiB) for JSON and text answers. */
  public long maxResponseBytes() {
    return maxResponseBytes;
  }

  /** {@code cairn.diagnostics.dumps.max-bytes} (default 1 GiB): larger dumps are refused. */
  public long maxDumpBytes() {
    return maxDumpBytes;
  }

  /** {@code cairn.diagnostics.max-request-bytes} (default 8 KiB) of a request body. */
  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  /** {@code cairn.diagnostics.threads} (default 2): the server's own worker threads. */
  public int threads() {
    return threads;
  }

  /** {@code cairn.diagnostics.queue-size} (default 16): requests waiting for a worker. */
  public int queueSize() {
    return queueSize;
  }

  /**
   * {@code cairn.diagnostics.max-connections} (default 64): open connections at most. Beyond it the
   * oldest connection that is not being answered is closed; when all are, the new one gets 503.
   */
  public int maxConnections() {
    return maxConnections;
  }

  /** {@code cairn.diagnostics.max-header-bytes} (default 8 KiB): request line and headers; 431 beyond. */
  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  /**
   * {@code cairn.diagnostics.head-timeout} (default 5 s): time for a request's line and headers,
   * from the connection's start or the first byte of a keep-alive request; then 408 and close.
   */
  public Duration headTimeout() {
    return headTimeout;
  }

  /** {@code cairn.diagnostics.body-timeout} (default 10 s): time for a request body after its head. */
  public Duration bodyTimeout() {
    return bodyTimeout;
  }

  /** {@code cairn.diagnostics.idle-timeout} (default 15 s): a keep-alive connection's wait for its next request. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** {@code cairn.diagnostics.write-timeout} (default 30 s): an answer that makes no progress this long is cut. */
  public Duration writeTimeout() {
    return writeTimeout;
  }

  /** {@code cairn.diagnostics.thread-dump.max-frames} (default 256) per thread. */
  public int maxStackFrames() {
    return maxStackFrames;
  }

  /** {@code cairn.diagnostics.thread-dump.max-threads} (default 5000) in one dump. */
  public int maxThreads() {
    return maxThreads;
  }

  /** {@code cairn.diagnostics.heap-histogram.top} (default 50): classes in the histogram. */
  public int histogramTop() {
    return histogramTop;
  }

  /** {@code cairn.diagnostics.redact.names}: extra secret name words, comma separated. */
  public List<String> redactNames() {
    return redactNames;
  }

  /** Builder; every setter checks its value and throws with the reason. */
  public static final class Builder {
    private boolean enabled;
    private String bindAddress = "127.0.0.1";
    private boolean allowNonLoopback;
    private int port;
    private String token;
    private Path tokenFile;
    private boolean writeEnabled;
    private boolean dumpsEnabled;
    private Path dumpDirectory =
        Paths.get(
            System.getProperty("java.io.tmpdir"),
            "cairn-dumps-" + ProcessHandle.current().pid());
    private long maxResponseBytes = 16L * 1024 * 1024;
    private long maxDumpBytes = 1024L * 1024 * 1024;
    private int maxRequestBytes = 8 * 1024;
    private int threads = 2;
    private int queueSize = 16;
    private int maxConnections = 64;
    private int maxHeaderBytes = 8 * 1024;
    private Duration headTimeout = Duration.ofSeconds(5);
    private Duration bodyTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(15);
    private Duration writeTimeout = Duration.ofSeconds(30);
    private int maxStackFrames = 256;
    private int maxThreads = 5000;
    private int histogramTop = 50;
    private final List<String> redactNames = new ArrayList<>();

    private Builder() {}

    public Builder enabled(boolean on) {
      this.enabled = on;
      return this;
    }

    public Builder bindAddress(String address) {
      if (address == null || address.isBlank()) {
        throw new IllegalArgumentException("bind address must not be empty");
      }
      this.bindAddress = address.trim();
      return this;
    }

    public Builder allowNonLoopback(boolean allow) {
      this.allowNonLoopback = allow;
      return this;
    }

    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** The bearer token clients send; at least 16 characters. */
    public Builder token(String token) {
      if (token == null || token.length() < 16) {
        throw new IllegalArgumentException("token must have at least 16 characters");
      }
      for (int i = 0; i < token.length(); i++) {
        char c = token.charAt(i);
        if (c <= ' ' || c >= 0x7f) {
          throw new IllegalArgumentException("token must be printable ASCII without spaces");
        }
      }
      this.token = token;
      return this;
    }

    /** Where a generated token is written; by default a per-server file (see {@link #tokenFile()}). */
    public Builder tokenFile(Path file) {
      if (file == null) {
        throw new IllegalArgumentException("token file must not be null");
      }
      this.tokenFile = file;
      return this;
    }

    public Builder writeEnabled(boolean on) {
      this.writeEnabled = on;
      return this;
    }

    public Builder dumpsEnabled(boolean on) {
      this.dumpsEnabled = on;
      return this;
    }

    public Builder dumpDirectory(Path dir) {
      this.dumpDirectory = dir;
      return this;
    }

    public Builder maxResponseBytes(long max) {
      this.maxResponseBytes = positive("max-response-bytes", max, 1024, Integer.MAX_VALUE - 16);
      return this;
    }

    public Builder maxDumpBytes(long max) {
      this.maxDumpBytes = positive("dumps.max-bytes", max, 1024, Long.MAX_VALUE);
      return this;
    }

    public Builder maxRequestBytes(int max) {
      this.maxRequestBytes = (int) positive("max-request-bytes", max, 0, 1 << 20);
      return this;
    }

    public Builder threads(int n) {
      this.threads = (int) positive("threads", n, 1, 16);
      return this;
    }

    public Builder queueSize(int n) {
      this.queueSize = (int) positive("queue-size", n, 1, 1024);
      return this;
    }

    public Builder maxConnections(int n) {
      this.maxConnections = (int) positive("max-connections", n, 1, 4096);
      return this;
    }

    public Builder maxHeaderBytes(int n) {
      this.maxHeaderBytes = (int) positive("max-header-bytes", n, 1024, 1 << 20);
      return this;
    }

    public Builder headTimeout(Duration d) {
      this.headTimeout = timeout("head-timeout", d);
      return this;
    }

    public Builder bodyTimeout(Duration d) {
      this.bodyTimeout = timeout("body-timeout", d);
      return this;
    }

    public Builder idleTimeout(Duration d) {
      this.idleTimeout = timeout("idle-timeout", d);
      return this;
    }

    public Builder writeTimeout(Duration d) {
      this.writeTimeout = timeout("write-timeout", d);
      return this;
    }

    private static Duration timeout(String key, Duration d) {
      if (d == null || d.toMillis() < 1 || d.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(PREFIX + key + " must be 1 ms..1 h, was " + d);
      }
      return d;
    }

    public Builder maxStackFrames(int n) {
      this.maxStackFrames = (int) positive("thread-dump.max-frames", n, 1, 4096);
      return this;
    }

    public Builder maxThreads(int n) {
      this.maxThreads = (int) positive("thread-dump.max-threads", n, 1, 1_000_000);
      return this;
    }

    public Builder histogramTop(int n) {
      this.histogramTop = (int) positive("heap-histogram.top", n, 1, 10_000);
      return this;
    }

    public Builder redactName(String word) {
      this.redactNames.add(word);
      return this;
    }

    private static long positive(String key, long v, long min, long max) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(PREFIX + key + " must be " + min + ".." + max + ", was " + v);
      }
      return v;
    }

    public DiagnosticsSettings build() {
      return new DiagnosticsSettings(this);
    }
  }
}
