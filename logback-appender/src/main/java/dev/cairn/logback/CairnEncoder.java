package dev.cairn.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * Structured JSON lines for Logback, one event per line, in one of five formats: {@code cairn}
 * (the default), {@code ecs} (Elastic's ecs-logging specification), {@code logstash} (the field
 * names of logstash-logback-encoder), {@code gcp} (Google Cloud Logging structured stdout) and
 * {@code gelf} (GELF 1.1).
 *
 * <p>Usable as an {@code Encoder} (inside {@code <encoder>} of any output-stream appender) and as a
 * {@code Layout} (inside {@code <layout>}); the line is the same.
 *
 * <p>Guarantees, whatever the input: the line is valid UTF-8 and valid JSON without duplicate
 * member names; it is exactly one line (CR, LF, NEL, U+2028/U+2029 and every other control are
 * escaped); it is at most {@link #setMaxLineBytes maxLineBytes} long including the newline; a key
 * from MDC, key-values or static fields that clashes with a field the format writes is renamed by
 * prepending {@code _} (reported once through Logback's status); text such as {@code ${jndi:…}} is
 * written literally (nothing is ever looked up); secrets are masked (see {@code docs/logback.md}).
 * Shortened values end with {@code …} and the line then carries {@code "_truncated":true}.
 *
 * <p>No exception leaves {@link #encode}: if rendering fails, a minimal line with the level, logger
 * and an error note is written instead, and counted.
 *
 * <p>Buffers: each line is built in a buffer sized once from the budget and taken from a small
 * bounded pool owned by this encoder (no thread-locals, so virtual threads cost nothing).
 */
public class CairnEncoder extends EncoderBase<ILoggingEvent> implements Layout<ILoggingEvent> {
  static final String ECS_VERSION = "8.11.0";
  static final String GCP_ERROR_TYPE =
      "type.googleapis.com/google.devtools.clouderrorreporting.v1beta1.ReportedErrorEvent";
  private static final int MAX_MDC_ENTRIES = 128;
  private static final int MAX_KEY_VALUES = 128;
  private static final int MAX_TAGS = 32;
  private static final int MAX_REPORTED_COLLISIONS = 32;
  private static final byte[] TRUNCATED = member("_truncated", true, "true");

  private static final SelfCounter TRUNCATED_LINES =
      SelfCounters.GLOBAL.counter(
          "cairn.logback.truncated",
          "Log lines shortened to fit the byte budget or a field cap",
          "events");
  private static final SelfCounter DROPPED_FIELDS =
      SelfCounters.GLOBAL.counter(
          "cairn.logback.fields.dropped",
          "Log fields left out because they did not fit the line's byte budget or failed",
          "fields");
  private static final SelfCounter RENAMED_KEYS =
      SelfCounters.GLOBAL.counter(
          "cairn.logback.keys.renamed",
          "MDC, key-value or static field names renamed because a field of the format uses them",
          "keys");
  private static final SelfCounter FAILED =
      SelfCounters.GLOBAL.counter(
          "cairn.logback.encode.failed",
          "Events the encoder could not render and replaced by a minimal line",
          "events");

  // ---- configuration (set by Logback's configurator before start) ----
  private Format format = Format.CAIRN;
  private int maxLineBytes = 16_000;
  private int maxStringBytes = 8_192;
  private int maxStackFrames = 64;
  private int maxCauseDepth = 16;
  private boolean rootCauseFirst;
  private boolean includeMdc = true;
  private Set<String> includeMdcKeys = Set.of();
  private Set<String> excludeMdcKeys = Set.of();
  private String mdcKeyPrefix = "";
  private boolean includeKeyValues = true;
  private boolean includeMarkers = true;
  private boolean includeCallerData;
  private final List<String[]> staticFields = new ArrayList<>();
  private String serviceName;
  private String serviceVersion;
  private String environment;
  private String instance;
  private String projectId;
  /** Where the environment is read from; tests replace it. */
  private Function<String, String> environmentVariables = System::getenv;
  private String host;
  private int fractionDigits = 3;
  private ZoneId zone = ZoneOffset.UTC;
  private boolean datadog;
  private boolean xray;
  private boolean mask = true;
  private List<String> maskWords = List.of();
  private List<String> maskDisabledRules = List.of();

  // ---- derived at start ----
  private Masker masker;
  private Throwables throwables;
  private AtomicReferenceArray<JsonLine> pool;
  private Set<String> bridgeKeys = Set.of();
  private String ecsDataset;
  /** gcp: the project of the trace resource name, or null when none was found. */
  private String gcpProject;
  /** gcp: the warning about a missing project id is given once per encoder, not per start(). */
  private boolean gcpProjectWarned;
  /** {name, dataset} for the last service name taken from Cairn; replaced whole, never mutated. */
  private volatile String[] fallbackDataset;
  private final Set<String> reportedCollisions = ConcurrentHashMap.newKeySet();

  /** Default: the {@code cairn} format, 16,000-byte lines, masking on. */
  public CairnEncoder() {
    super();
  }

  // ---------------------------------------------------------------- properties

  /** {@code cairn} (default), {@code ecs}, {@code logstash}, {@code gcp} or {@code gelf}. */
  public void setFormat(String name) {
    Format f = Format.parse(name);
    if (f == null) {
      addError(
          "Unknown format '" + name + "'; use one of cairn, ecs, logstash, gcp, gelf. Keeping "
              + format.id);
      return;
    }
    format = f;
  }

  /**
   * Upper bound of one line in bytes, newline included (default 16,000: below the 16 KiB at which
   * Docker and containerd split lines). Minimum 1,024.
   */
  public void setMaxLineBytes(int bytes) {
    if (bytes < 1024) {
      addError("maxLineBytes must be at least 1024, was " + bytes + "; keeping " + maxLineBytes);
      return;
    }
    maxLineBytes = bytes;
  }

  /** Cap of any single string value in bytes (message, stack trace, MDC value…), default 8,192. */
  public void setMaxStringBytes(int bytes) {
    maxStringBytes = Math.max(16, bytes);
  }

  /** Frames shown per throwable, default 64; the rest are summarized as "... n frames omitted". */
  public void setMaxStackFrames(int frames) {
    maxStackFrames = Math.max(1, frames);
  }

  /** Throwables shown per event (causes and suppressed together), default 16. */
  public void setMaxCauseDepth(int depth) {
    maxCauseDepth = Math.max(1, depth);
  }

  /** Print the root cause first and its wrappers after it ("Wrapped by:"), default false. */
  public void setRootCauseFirst(boolean rootCauseFirst) {
    this.rootCauseFirst = rootCauseFirst;
  }

  /** Write MDC entries, default true. */
  public void setIncludeMdc(boolean includeMdc) {
    this.includeMdc = includeMdc;
  }

  /** Comma-separated MDC keys to write; empty (default) writes all not excluded. */
  public void setIncludeMdcKeys(String keys) {
    includeMdcKeys = csvSet(keys);
  }

  /** Comma-separated MDC keys never written. */
  public void setExcludeMdcKeys(String keys) {
    excludeMdcKeys = csvSet(keys);
  }

  /** Prefix put before every MDC key in the output (for example {@code mdc.}), default none. */
  public void setMdcKeyPrefix(String prefix) {
    mdcKeyPrefix = prefix == null ? "" : prefix;
  }

  /** Write SLF4J 2 key-values as typed JSON, default true. */
  public void setIncludeKeyValues(boolean includeKeyValues) {
    this.includeKeyValues = includeKeyValues;
  }

  /** Write marker names as {@code tags}, default true. */
  public void setIncludeMarkers(boolean includeMarkers) {
    this.includeMarkers = includeMarkers;
  }

  /**
   * Write the caller's class, method, file and line when Logback computes them (costly: Logback
   * walks the stack for it), default false.
   */
  public void setIncludeCallerData(boolean includeCallerData) {
    this.includeCallerData = includeCallerData;
  }

  /** A constant member added to every line, as {@code name=value}; repeatable. */
  public void addStaticField(String nameEqualsValue) {
    int eq = nameEqualsValue == null ? -1 : nameEqualsValue.indexOf('=');
    if (eq <= 0) {
      addError("staticField must be name=value, was '" + nameEqualsValue + "'");
      return;
    }
    staticFields.add(
        new String[] {
          nameEqualsValue.substring(0, eq).trim(), nameEqualsValue.substring(eq + 1).trim()
        });
  }

  /** Service name (ECS {@code service.name}, GCP {@code serviceContext.service}, …). */
  public void setServiceName(String serviceName) {
    this.serviceName = blankToNull(serviceName);
  }

  /** Service version. */
  public void setServiceVersion(String serviceVersion) {
    this.serviceVersion = blankToNull(serviceVersion);
  }

  /** Deployment environment ({@code prod}, {@code staging}…). */
  public void setEnvironment(String environment) {
    this.environment = blankToNull(environment);
  }

  /** Instance / node name (pod name, host). */
  public void setInstance(String instance) {
    this.instance = blankToNull(instance);
  }

  /**
   * Google Cloud project id of the {@code gcp} format's {@code logging.googleapis.com/trace}
   * ({@code projects/<projectId>/traces/<trace id>}). Unset: the first of the environment
   * variables {@link #PROJECT_ID_VARIABLES} that is set; never the metadata server.
   */
  public void setProjectId(String projectId) {
    this.projectId = blankToNull(projectId);
  }

  /**
   * The environment variables the {@code gcp} format reads the project id from, in this order, when
   * no {@code projectId} is set: {@code GOOGLE_CLOUD_PROJECT} (App Engine, Cloud Functions' older
   * runtimes, Cloud Shell, and the variable Google's client libraries read), {@code GCLOUD_PROJECT}
   * and {@code GCP_PROJECT} (Cloud Functions' older runtimes), {@code CLOUDSDK_CORE_PROJECT} (the
   * gcloud CLI's project setting).
   */
  static final List<String> PROJECT_ID_VARIABLES =
      List.of("GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "GCP_PROJECT", "CLOUDSDK_CORE_PROJECT");

  /** Tests: the environment the project id is read from at start. */
  void useEnvironmentVariables(Function<String, String> environmentVariables) {
    this.environmentVariables = environmentVariables;
  }

  /** GELF {@code host}; defaults to the HOSTNAME environment variable (never a DNS lookup). */
  public void setHost(String host) {
    this.host = blankToNull(host);
  }

  /** {@code millis} (default), {@code micros} or {@code nanos}. */
  public void setTimestampPrecision(String precision) {
    switch (precision == null ? "" : precision.trim().toLowerCase(Locale.ROOT)) {
      case "millis":
        fractionDigits = 3;
        break;
      case "micros":
        fractionDigits = 6;
        break;
      case "nanos":
        fractionDigits = 9;
        break;
      default:
        addError("timestampPrecision must be millis, micros or nanos, was '" + precision + "'");
    }
  }

  /** Time zone of the timestamps (default UTC; ECS and GCP expect UTC). */
  public void setTimestampZone(String zoneId) {
    try {
      zone = ZoneId.of(zoneId.trim()).normalized();
    } catch (RuntimeException e) {
      addError("timestampZone '" + zoneId + "' is not a time zone id", e);
    }
  }

  /** Also write Datadog's {@code dd.trace_id} / {@code dd.span_id} (decimal), default false. */
  public void setDatadog(boolean datadog) {
    this.datadog = datadog;
  }

  /** Also write the AWS X-Ray trace id ({@code AWS-XRAY-TRACE-ID}), default false. */
  public void setXray(boolean xray) {
    this.xray = xray;
  }

  /** Mask secrets in messages, key-values, MDC and exceptions, default true. */
  public void setMask(boolean mask) {
    this.mask = mask;
  }

  /** Comma-separated extra sensitive words for key-based and {@code word=value} masking. */
  public void setMaskWords(String words) {
    maskWords = csvList(words);
  }

  /**
   * Comma-separated built-in rules to switch off: key-value, bearer, url-userinfo, aws-key, jwt,
   * pan.
   */
  public void setMaskDisabledRules(String rules) {
    maskDisabledRules = csvList(rules);
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void start() {
    masker = mask ? new Masker(maskWords, maskDisabledRules) : null;
    throwables = new Throwables(maxStackFrames, maxCauseDepth, rootCauseFirst, maxStringBytes);
    int slots = Math.min(8, Math.max(2, Runtime.getRuntime().availableProcessors()));
    pool = new AtomicReferenceArray<>(slots);
    var ms = dev.cairn.logging.CorrelationMdc.settings();
    bridgeKeys = Set.of(ms.traceIdKey(), ms.spanIdKey(), ms.correlationIdKey());
    if (host == null) {
      String h = System.getenv("HOSTNAME");
      host = h == null || h.isBlank() ? "unknown" : h;
    }
    if (serviceName != null) {
      ecsDataset = ecsDataset(serviceName);
    }
    if (format == Format.GCP) {
      gcpProject = gcpProject();
      if (gcpProject == null && !gcpProjectWarned) {
        gcpProjectWarned = true;
        addWarn(
            "gcp format without a project id: trace ids are written as traceId, which Cloud"
                + " Logging does not link to the trace. Set the encoder's <projectId> or one of the"
                + " environment variables "
                + String.join(", ", PROJECT_ID_VARIABLES)
                + " (Cloud Run, GKE and Compute Engine set none of them).");
      }
    }
    super.start();
  }

  /** The explicit property, else the first documented environment variable set; else null. */
  private String gcpProject() {
    if (projectId != null) {
      return validProjectId(projectId, "projectId");
    }
    for (String name : PROJECT_ID_VARIABLES) {
      String value;
      try {
        value = blankToNull(environmentVariables.apply(name));
      } catch (RuntimeException e) {
        value = null; // a security manager or a broken test double: treat as unset
      }
      if (value != null) {
        return validProjectId(value, name);
      }
    }
    return null;
  }

  /**
   * A project id goes verbatim into a resource name, so anything that would change its path or
   * its JSON (a slash, a quote, whitespace, a control) is refused. Google's ids are lower-case
   * letters, digits and hyphens; domain-scoped ones add {@code .} and {@code :}.
   */
  private String validProjectId(String id, String source) {
    boolean ok = id.length() <= 100;
    for (int i = 0; ok && i < id.length(); i++) {
      char c = id.charAt(i);
      ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
              || c == '.' || c == ':';
    }
    if (!ok) {
      addError(
          source + " is not a Google Cloud project id (letters, digits, '-', '.', ':'); ignored");
      return null;
    }
    return id;
  }

  /** Per ecs-logging: service name lower-cased, reserved characters replaced, + ".log", ≤ 100. */
  static String ecsDataset(String service) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < service.length() && sb.length() < 96; i++) {
      char c = Character.toLowerCase(service.charAt(i));
      sb.append("\\/*?\"<>| ,#:-".indexOf(c) >= 0 ? '_' : c);
    }
    return sb.append(".log").toString();
  }

  // ---------------------------------------------------------------- Encoder

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    JsonLine line = acquire();
    try {
      render(event, line);
      return Arrays.copyOf(line.buf, line.pos);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      return fallback(event, t).getBytes(StandardCharsets.UTF_8);
    } finally {
      release(line);
    }
  }

  // ---------------------------------------------------------------- Layout

  @Override
  public String doLayout(ILoggingEvent event) {
    JsonLine line = acquire();
    try {
      render(event, line);
      return new String(line.buf, 0, line.pos, StandardCharsets.UTF_8);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      return fallback(event, t);
    } finally {
      release(line);
    }
  }

  @Override
  public String getFileHeader() {
    return null;
  }

  @Override
  public String getPresentationHeader() {
    return null;
  }

  @Override
  public String getPresentationFooter() {
    return null;
  }

  @Override
  public String getFileFooter() {
    return null;
  }

  @Override
  public String getContentType() {
    return "application/x-ndjson";
  }

  // ---------------------------------------------------------------- pool

  private JsonLine acquire() {
    AtomicReferenceArray<JsonLine> p = pool;
    if (p == null) {
      start(); // used without start(): configure with defaults rather than fail the host
      p = pool;
    }
    for (int i = 0; i < p.length(); i++) {
      JsonLine l = p.getAndSet(i, null);
      if (l != null) {
        return l;
      }
    }
    return new JsonLine(maxLineBytes);
  }

  private void release(JsonLine line) {
    AtomicReferenceArray<JsonLine> p = pool;
    line.corr.clear();
    for (int i = 0; i < p.length(); i++) {
      if (p.get(i) == null && p.compareAndSet(i, null, line)) {
        return;
      }
    }
  }

  // ---------------------------------------------------------------- rendering

  void render(ILoggingEvent e, JsonLine l) {
    l.reset();
    l.topKeys.reserved = format.reserved;
    l.topKeys.ecsLeaves = format.ecsLeaves;
    Map<String, String> mdc = mdcOf(e);
    l.corr.capture(e, mdc);
    if (masker != null) {
      // Ids read from the MDC are user data: anything but plain hex goes through the masker.
      Correlation c = l.corr;
      c.traceId = hexOrMasked(c.traceId);
      c.spanId = hexOrMasked(c.spanId);
      c.correlationId = Values.mask(masker, c.correlationId);
    }
    renderWith(e, l, mdc);
  }

  private String hexOrMasked(String id) {
    if (id == null) {
      return null;
    }
    for (int i = 0; i < id.length(); i++) {
      char ch = id.charAt(i);
      if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')
          || ch == '-')) {
        return masker.mask(id);
      }
    }
    return id;
  }

  /**
   * The configured service name, else that of the Cairn instance the application built ({@code
   * Cairn.builder().serviceName(...)}), which may come after this encoder started.
   */
  private void serviceOf(JsonLine l) {
    if (serviceName != null) {
      l.service = serviceName;
      l.dataset = ecsDataset;
      return;
    }
    String s = dev.cairn.internal.ServiceIdentity.serviceName();
    l.service = s;
    if (s == null) {
      l.dataset = null;
      return;
    }
    String[] cached = fallbackDataset;
    if (cached == null || !cached[0].equals(s)) {
      cached = new String[] {s, ecsDataset(s)};
      fallbackDataset = cached;
    }
    l.dataset = cached[1];
  }

  /** Renders with correlation ids already in {@code l.corr} (the forwarding appender sets them). */
  void renderWith(ILoggingEvent e, JsonLine l, Map<String, String> mdc) {
    serviceOf(l);
    switch (format) {
      case ECS:
        ecs(e, l, mdc);
        break;
      case LOGSTASH:
        logstash(e, l, mdc);
        break;
      case GCP:
        gcp(e, l, mdc);
        break;
      case GELF:
        gelf(e, l, mdc);
        break;
      default:
        cairn(e, l, mdc);
    }
    l.finish(TRUNCATED);
    if (l.truncated) {
      TRUNCATED_LINES.increment();
    }
  }

  private static Map<String, String> mdcOf(ILoggingEvent e) {
    try {
      Map<String, String> m = e.getMDCPropertyMap();
      return m == null ? Map.of() : m;
    } catch (RuntimeException ex) {
      return Map.of();
    }
  }

  private String message(ILoggingEvent e) {
    String m;
    try {
      m = e.getFormattedMessage();
    } catch (RuntimeException ex) {
      m = "[message formatting failed: " + ex.getClass().getName() + "]";
    }
    return m == null ? "" : Values.mask(masker, m);
  }

  private void timestamp(ILoggingEvent e, JsonLine l) {
    Instant i = e.getInstant();
    if (i == null) {
      i = Instant.ofEpochMilli(e.getTimeStamp());
    }
    l.timestamp(i.getEpochSecond(), i.getNano(), fractionDigits, zone);
  }

  private Throwables.Rendered error(ILoggingEvent e) {
    IThrowableProxy tp = e.getThrowableProxy();
    return tp == null ? null : throwables.render(tp, masker);
  }

  // --- the cairn format
  private static final byte[] C_LEVEL = member("level", false, null);
  private static final byte[] C_MESSAGE = member("message", false, null);
  private static final byte[] C_LOGGER = member("logger", false, null);
  private static final byte[] C_THREAD = member("thread", false, null);
  private static final byte[] C_TRACE = member("traceId", false, null);
  private static final byte[] C_SPAN = member("spanId", false, null);
  private static final byte[] C_SAMPLED = member("sampled", false, null);
  private static final byte[] C_CORRELATION = member("correlationId", false, null);
  private static final byte[] C_SERVICE = member("service", false, null);
  private static final byte[] C_VERSION = member("serviceVersion", false, null);
  private static final byte[] C_ENV = member("environment", false, null);
  private static final byte[] C_INSTANCE = member("instance", false, null);
  private static final byte[] C_CALLER = member("caller", false, null);
  private static final byte[] C_TAGS = member("tags", false, null);
  private static final byte[] C_ERROR = member("error", false, null);

  private void cairn(ILoggingEvent e, JsonLine l, Map<String, String> mdc) {
    l.ascii("{\"time\":");
    timestamp(e, l);
    str(l, C_LEVEL, levelName(e.getLevel()));
    str(l, C_MESSAGE, message(e));
    str(l, C_LOGGER, maskKey(e.getLoggerName()));
    str(l, C_THREAD, maskKey(e.getThreadName()));
    Correlation c = l.corr;
    str(l, C_TRACE, c.traceId);
    str(l, C_SPAN, c.spanId);
    if (c.sampled >= 0) {
      bool(l, C_SAMPLED, c.sampled == 1);
    }
    str(l, C_CORRELATION, c.correlationId);
    vendorIds(l, c);
    str(l, C_SERVICE, l.service);
    str(l, C_VERSION, serviceVersion);
    str(l, C_ENV, environment);
    str(l, C_INSTANCE, instance);
    if (includeCallerData) {
      StackTraceElement ce = caller(e);
      if (ce != null) {
        int mark = l.pos;
        l.raw(C_CALLER);
        l.ascii("{\"class\":");
        l.string(ce.getClassName(), maxStringBytes);
        l.ascii(",\"method\":");
        l.string(ce.getMethodName(), maxStringBytes);
        if (ce.getFileName() != null) {
          l.ascii(",\"file\":");
          l.string(ce.getFileName(), maxStringBytes);
        }
        l.ascii(",\"line\":");
        l.number(ce.getLineNumber());
        l.raw('}');
        commit(l, mark);
      }
    }
    tags(l, e, C_TAGS);
    Throwables.Rendered err = error(e);
    if (err != null) {
      int mark = l.pos;
      l.raw(C_ERROR);
      l.ascii("{\"type\":");
      l.string(err.type, maxStringBytes);
      if (err.message != null) {
        l.ascii(",\"message\":");
        l.string(err.message, maxStringBytes);
      }
      l.ascii(",\"hash\":");
      l.string(err.hash, 32);
      l.ascii(",\"stackTrace\":");
      l.string(err.stackTrace, Math.min(maxStringBytes, Math.max(64, l.room() - 16)));
      l.raw('}');
      commit(l, mark);
    }
    dynamicMembers(e, l, mdc, false);
  }

  // --- ecs
  private static final byte[] E_LEVEL = member("log.level", false, null);
  private static final byte[] E_MESSAGE = member("message", false, null);
  private static final byte[] E_VERSION = member("ecs.version", false, "\"" + ECS_VERSION + "\"");
  private static final byte[] E_LOGGER = member("log.logger", false, null);
  private static final byte[] E_THREAD = member("process.thread.name", false, null);
  private static final byte[] E_TRACE = member("trace.id", false, null);
  private static final byte[] E_SPAN = member("span.id", false, null);
  private static final byte[] E_SERVICE = member("service.name", false, null);
  private static final byte[] E_SERVICE_VERSION = member("service.version", false, null);
  private static final byte[] E_ENV = member("service.environment", false, null);
  private static final byte[] E_NODE = member("service.node.name", false, null);
  private static final byte[] E_DATASET = member("event.dataset", false, null);
  private static final byte[] E_FILE = member("log.origin.file.name", false, null);
  private static final byte[] E_LINE = member("log.origin.file.line", false, null);
  private static final byte[] E_FUNCTION = member("log.origin.function", false, null);
  private static final byte[] E_ERROR_TYPE = member("error.type", false, null);
  private static final byte[] E_ERROR_MESSAGE = member("error.message", false, null);
  private static final byte[] E_ERROR_STACK = member("error.stack_trace", false, null);
  private static final byte[] E_TAGS = member("tags", false, null);
  private static final byte[] E_CORRELATION = member("labels.correlation_id", false, null);

  private void ecs(ILoggingEvent e, JsonLine l, Map<String, String> mdc) {
    l.ascii("{\"@timestamp\":");
    timestamp(e, l);
    str(l, E_LEVEL, levelName(e.getLevel()));
    str(l, E_MESSAGE, message(e));
    l.raw(E_VERSION);
    str(l, E_LOGGER, maskKey(e.getLoggerName()));
    str(l, E_THREAD, maskKey(e.getThreadName()));
    Correlation c = l.corr;
    str(l, E_TRACE, c.traceId);
    str(l, E_SPAN, c.spanId);
    str(l, E_CORRELATION, c.correlationId);
    vendorIds(l, c);
    str(l, E_SERVICE, l.service);
    str(l, E_SERVICE_VERSION, serviceVersion);
    str(l, E_ENV, environment);
    str(l, E_NODE, instance);
    str(l, E_DATASET, l.dataset);
    if (includeCallerData) {
      StackTraceElement ce = caller(e);
      if (ce != null) {
        str(l, E_FILE, ce.getFileName());
        num(l, E_LINE, ce.getLineNumber());
        str(l, E_FUNCTION, ce.getMethodName());
      }
    }
    Throwables.Rendered err = error(e);
    if (err != null) {
      str(l, E_ERROR_TYPE, err.type);
      str(l, E_ERROR_MESSAGE, err.message);
      strRoom(l, E_ERROR_STACK, err.stackTrace);
    }
    tags(l, e, E_TAGS);
    dynamicMembers(e, l, mdc, false);
  }

  // --- logstash
  private static final byte[] L_VERSION = member("@version", false, "\"1\"");
  private static final byte[] L_MESSAGE = member("message", false, null);
  private static final byte[] L_LOGGER = member("logger_name", false, null);
  private static final byte[] L_THREAD = member("thread_name", false, null);
  private static final byte[] L_LEVEL = member("level", false, null);
  private static final byte[] L_LEVEL_VALUE = member("level_value", false, null);
  private static final byte[] L_STACK = member("stack_trace", false, null);
  private static final byte[] L_TAGS = member("tags", false, null);
  private static final byte[] L_CALLER_CLASS = member("caller_class_name", false, null);
  private static final byte[] L_CALLER_METHOD = member("caller_method_name", false, null);
  private static final byte[] L_CALLER_FILE = member("caller_file_name", false, null);
  private static final byte[] L_CALLER_LINE = member("caller_line_number", false, null);

  private void logstash(ILoggingEvent e, JsonLine l, Map<String, String> mdc) {
    l.ascii("{\"@timestamp\":");
    timestamp(e, l);
    l.raw(L_VERSION);
    str(l, L_MESSAGE, message(e));
    str(l, L_LOGGER, maskKey(e.getLoggerName()));
    str(l, L_THREAD, maskKey(e.getThreadName()));
    Level level = e.getLevel();
    str(l, L_LEVEL, levelName(level));
    num(l, L_LEVEL_VALUE, level == null ? 0 : level.toInt());
    Correlation c = l.corr;
    str(l, C_TRACE, c.traceId);
    str(l, C_SPAN, c.spanId);
    if (c.sampled >= 0) {
      bool(l, C_SAMPLED, c.sampled == 1);
    }
    str(l, C_CORRELATION, c.correlationId);
    vendorIds(l, c);
    str(l, C_SERVICE, l.service);
    str(l, C_VERSION, serviceVersion);
    str(l, C_ENV, environment);
    str(l, C_INSTANCE, instance);
    if (includeCallerData) {
      StackTraceElement ce = caller(e);
      if (ce != null) {
        str(l, L_CALLER_CLASS, ce.getClassName());
        str(l, L_CALLER_METHOD, ce.getMethodName());
        str(l, L_CALLER_FILE, ce.getFileName());
        num(l, L_CALLER_LINE, ce.getLineNumber());
      }
    }
    Throwables.Rendered err = error(e);
    if (err != null) {
      strRoom(l, L_STACK, err.stackTrace);
    }
    tags(l, e, L_TAGS);
    dynamicMembers(e, l, mdc, false);
  }

  // --- gcp
  private static final byte[] G_MESSAGE = member("message", false, null);
  private static final byte[] G_TIME = member("timestamp", false, null);
  private static final byte[] G_TRACE = member("logging.googleapis.com/trace", false, null);
  private static final byte[] G_SPAN = member("logging.googleapis.com/spanId", false, null);
  private static final byte[] G_SAMPLED =
      member("logging.googleapis.com/trace_sampled", false, null);
  private static final byte[] G_SOURCE =
      member("logging.googleapis.com/sourceLocation", false, null);
  private static final byte[] G_LABELS = member("logging.googleapis.com/labels", false, null);
  private static final byte[] G_LOGGER = member("logger", false, null);
  private static final byte[] G_THREAD = member("thread", false, null);
  private static final byte[] G_STACK = member("stack_trace", false, null);
  private static final byte[] G_TYPE = member("@type", false, null);
  private static final byte[] G_SERVICE_CONTEXT = member("serviceContext", false, null);
  private static final byte[] G_TAGS = member("tags", false, null);

  private void gcp(ILoggingEvent e, JsonLine l, Map<String, String> mdc) {
    l.ascii("{\"severity\":");
    l.string(gcpSeverity(e.getLevel()), 16);
    str(l, G_MESSAGE, message(e));
    int mark = l.pos;
    // The agents (Ops Agent, GKE, Cloud Run) set LogEntry.timestamp from "timestamp" only as a
    // {seconds, nanos} object; a string there stays in the payload and the entry gets the time it
    // was ingested.
    l.raw(G_TIME);
    gcpTimestamp(e, l);
    commit(l, mark);
    Correlation c = l.corr;
    String traceHex = gcpTraceId(c.traceId);
    if (traceHex != null && gcpProject != null) {
      str(l, G_TRACE, "projects/" + gcpProject + "/traces/" + traceHex);
    } else {
      // Without a project (or for an id Cloud Trace cannot hold) the id stays searchable in the
      // payload; start() has said why it is not linked.
      str(l, C_TRACE, c.traceId);
    }
    if (isHex(c.spanId, 16)) {
      str(l, G_SPAN, c.spanId.toLowerCase(Locale.ROOT));
    } else {
      str(l, C_SPAN, c.spanId);
    }
    if (c.sampled >= 0) {
      bool(l, G_SAMPLED, c.sampled == 1);
    }
    str(l, C_CORRELATION, c.correlationId);
    vendorIds(l, c);
    if (includeCallerData) {
      StackTraceElement ce = caller(e);
      if (ce != null) {
        mark = l.pos;
        l.raw(G_SOURCE);
        l.ascii("{\"file\":");
        l.string(ce.getFileName() == null ? "unknown" : ce.getFileName(), maxStringBytes);
        if (ce.getLineNumber() > 0) { // -1 unknown, -2 native: no line rather than a false one
          // LogEntrySourceLocation.line is an int64, which proto3 JSON writes as a string.
          l.ascii(",\"line\":\"");
          l.number(ce.getLineNumber());
          l.raw('"');
        }
        l.ascii(",\"function\":");
        l.string(ce.getClassName() + "." + ce.getMethodName(), maxStringBytes);
        l.raw('}');
        commit(l, mark);
      }
    }
    str(l, G_LOGGER, maskKey(e.getLoggerName()));
    str(l, G_THREAD, maskKey(e.getThreadName()));
    Throwables.Rendered err = error(e);
    if (err != null && e.getLevel() != null && e.getLevel().isGreaterOrEqual(Level.ERROR)) {
      // Error Reporting groups entries of this @type by the stack trace in stack_trace.
      str(l, G_TYPE, GCP_ERROR_TYPE);
    }
    if (l.service != null && (err != null)) {
      mark = l.pos;
      l.raw(G_SERVICE_CONTEXT);
      l.ascii("{\"service\":");
      l.string(l.service, maxStringBytes);
      if (serviceVersion != null) {
        l.ascii(",\"version\":");
        l.string(serviceVersion, maxStringBytes);
      }
      l.raw('}');
      commit(l, mark);
    }
    if (err != null) {
      strRoom(l, G_STACK, err.stackTrace);
    }
    tags(l, e, G_TAGS);
    // Labels: Cloud Logging indexes them, and they take string values only: MDC and static
    // fields go there; key-values stay typed in the payload.
    if (includeKeyValues) {
      keyValues(e, l, false);
    }
    if ((includeMdc && !mdc.isEmpty()) || !staticFields.isEmpty()) {
      mark = l.pos;
      l.raw(G_LABELS);
      l.raw('{');
      if (l.overflow) {
        commit(l, mark);
        return;
      }
      JsonLine.KeySet keys = l.nested(0);
      int n = 0;
      for (String[] f : staticFields) {
        n += stringMember(l, f[0], f[1], keys, n == 0, "");
      }
      if (includeMdc) {
        n += mdcMembers(l, withoutNullValues(mdc), keys, n == 0, false);
      }
      l.raw('}');
      commit(l, mark);
    }
  }

  /** {"seconds":…,"nanos":…} at the configured precision (protobuf Timestamp's JSON object). */
  private void gcpTimestamp(ILoggingEvent e, JsonLine l) {
    Instant i = e.getInstant();
    if (i == null) {
      i = Instant.ofEpochMilli(e.getTimeStamp());
    }
    int nanos = i.getNano();
    nanos -= nanos % (fractionDigits == 3 ? 1_000_000 : fractionDigits == 6 ? 1_000 : 1);
    l.ascii("{\"seconds\":");
    l.number(i.getEpochSecond());
    l.ascii(",\"nanos\":");
    l.number(nanos);
    l.raw('}');
  }

  /**
   * The trace id as Cloud Trace names it (32 lower-case hex), or null. A 64-bit id (16 hex, as
   * B3 and X-Cloud-Trace-Context senders may use) is left-padded with zeros as W3C does.
   */
  static String gcpTraceId(String id) {
    if (isHex(id, 32)) {
      return id.toLowerCase(Locale.ROOT);
    }
    if (isHex(id, 16)) {
      return "0000000000000000" + id.toLowerCase(Locale.ROOT);
    }
    return null;
  }

  private static boolean isHex(String s, int length) {
    if (s == null || s.length() != length) {
      return false;
    }
    boolean nonZero = false;
    for (int i = 0; i < length; i++) {
      char ch = s.charAt(i);
      if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'))) {
        return false;
      }
      nonZero |= ch != '0';
    }
    return nonZero; // all zeros is W3C's invalid id
  }

  /** Labels are a map of strings: an MDC entry without a value is left out, not written null. */
  private static Map<String, String> withoutNullValues(Map<String, String> mdc) {
    for (String v : mdc.values()) {
      if (v == null) {
        Map<String, String> copy = new java.util.LinkedHashMap<>();
        mdc.forEach(
            (k, val) -> {
              if (val != null) {
                copy.put(k, val);
              }
            });
        return copy;
      }
    }
    return mdc;
  }

  // --- gelf
  private static final byte[] F_HOST = member("host", false, null);
  private static final byte[] F_SHORT = member("short_message", false, null);
  private static final byte[] F_FULL = member("full_message", false, null);
  private static final byte[] F_TIMESTAMP = member("timestamp", false, null);
  private static final byte[] F_LEVEL = member("level", false, null);
  private static final byte[] F_LOGGER = member("_logger", false, null);
  private static final byte[] F_THREAD = member("_thread", false, null);
  private static final byte[] F_LEVEL_NAME = member("_level_name", false, null);
  private static final byte[] F_TRACE = member("_trace_id", false, null);
  private static final byte[] F_SPAN = member("_span_id", false, null);
  private static final byte[] F_SAMPLED = member("_trace_sampled", false, null);
  private static final byte[] F_CORRELATION = member("_correlation_id", false, null);
  private static final byte[] F_SERVICE = member("_service", false, null);
  private static final byte[] F_SERVICE_VERSION = member("_service_version", false, null);
  private static final byte[] F_ENV = member("_environment", false, null);
  private static final byte[] F_INSTANCE = member("_instance", false, null);
  private static final byte[] F_ERROR_TYPE = member("_error_type", false, null);
  private static final byte[] F_ERROR_HASH = member("_error_hash", false, null);
  private static final byte[] F_TAGS = member("_tags", false, null);

  private void gelf(ILoggingEvent e, JsonLine l, Map<String, String> mdc) {
    l.ascii("{\"version\":\"1.1\"");
    str(l, F_HOST, host);
    String msg = message(e);
    str(l, F_SHORT, msg.isEmpty() ? "-" : msg); // short_message must not be empty
    Throwables.Rendered err = error(e);
    if (err != null) {
      strRoom(l, F_FULL, msg + "\n" + err.stackTrace);
    }
    int mark = l.pos;
    l.raw(F_TIMESTAMP);
    l.epochSecondsMillis(e.getTimeStamp());
    commit(l, mark);
    num(l, F_LEVEL, syslogLevel(e.getLevel()));
    str(l, F_LEVEL_NAME, levelName(e.getLevel()));
    str(l, F_LOGGER, maskKey(e.getLoggerName()));
    str(l, F_THREAD, maskKey(e.getThreadName()));
    Correlation c = l.corr;
    str(l, F_TRACE, c.traceId);
    str(l, F_SPAN, c.spanId);
    if (c.sampled >= 0) {
      num(l, F_SAMPLED, c.sampled); // GELF values are strings or numbers
    }
    str(l, F_CORRELATION, c.correlationId);
    str(l, F_SERVICE, l.service);
    str(l, F_SERVICE_VERSION, serviceVersion);
    str(l, F_ENV, environment);
    str(l, F_INSTANCE, instance);
    if (err != null) {
      str(l, F_ERROR_TYPE, err.type);
      str(l, F_ERROR_HASH, err.hash);
    }
    if (includeMarkers) {
      String joined = tagText(e);
      str(l, F_TAGS, joined);
    }
    dynamicMembers(e, l, mdc, true);
  }

  // ---------------------------------------------------------------- shared pieces

  private void vendorIds(JsonLine l, Correlation c) {
    if (datadog && c.traceId != null && c.ensureNumeric()) {
      int mark = l.pos;
      l.ascii(",\"dd.trace_id\":\"");
      l.unsignedNumber(c.traceIdLow);
      l.ascii("\",\"dd.span_id\":\"");
      l.unsignedNumber(c.spanIdLong);
      l.raw('"');
      commit(l, mark);
    }
    if (xray && c.traceId != null && c.traceId.length() == 32) {
      str(l, X_RAY, "1-" + c.traceId.substring(0, 8) + "-" + c.traceId.substring(8));
    }
  }

  private static final byte[] X_RAY = member("AWS-XRAY-TRACE-ID", false, null);

  /** Static fields, key-values, then MDC, each name checked against the format's own names. */
  private void dynamicMembers(ILoggingEvent e, JsonLine l, Map<String, String> mdc, boolean gelf) {
    for (String[] f : staticFields) {
      stringMember(l, gelf ? gelfName(f[0]) : f[0], f[1], l.topKeys, false, "");
    }
    if (includeKeyValues) {
      keyValues(e, l, gelf);
    }
    if (includeMdc && !mdc.isEmpty()) {
      mdcMembers(l, mdc, l.topKeys, false, gelf);
    }
  }

  private void keyValues(ILoggingEvent e, JsonLine l, boolean gelf) {
    List<KeyValuePair> kvs;
    try {
      kvs = e.getKeyValuePairs();
    } catch (RuntimeException ex) {
      return;
    }
    if (kvs == null || kvs.isEmpty()) {
      return;
    }
    int n = 0;
    for (KeyValuePair kv : kvs) {
      if (kv == null) {
        continue;
      }
      if (n++ == MAX_KEY_VALUES) {
        l.truncated = true;
        DROPPED_FIELDS.add(kvs.size() - MAX_KEY_VALUES);
        break;
      }
      // Keys are user data too: a secret pasted into a key is masked like one in a value.
      String key = maskKey(kv.key == null ? "null" : kv.key);
      int mark = l.pos;
      try {
        int r = l.dynamicName("", gelf ? gelfName(key) : key, l.topKeys, false);
        if (r < 0) {
          DROPPED_FIELDS.increment();
          continue;
        }
        if (r > 0) {
          renamed(key);
        }
        if (masker != null && masker.isSensitiveKey(key)) {
          l.string(Masker.MASK, 8);
        } else if (gelf) {
          gelfValue(l, kv.value);
        } else {
          Values.write(l, kv.value, masker, maxStringBytes, 0);
        }
      } catch (RuntimeException | StackOverflowError ex) {
        // A user collection that fails while iterated loses its member, not the line.
        l.overflow = true;
      }
      commit(l, mark);
    }
  }

  private void gelfValue(JsonLine l, Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      l.number(((Number) v).longValue());
    } else if ((v instanceof Double || v instanceof Float)
        && Double.isFinite(((Number) v).doubleValue())) {
      l.ascii(v.toString());
    } else {
      l.string(Values.mask(masker, Values.safeToString(v)), maxStringBytes);
    }
  }

  private int mdcMembers(
      JsonLine l, Map<String, String> mdc, JsonLine.KeySet keys, boolean first, boolean gelf) {
    int written = 0;
    int seen = 0;
    for (Iterator<Map.Entry<String, String>> it = mdc.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, String> en = it.next();
      String key = en.getKey();
      if (key == null || bridgeKeys.contains(key) || excludeMdcKeys.contains(key)) {
        continue;
      }
      if (!includeMdcKeys.isEmpty() && !includeMdcKeys.contains(key)) {
        continue;
      }
      if (seen++ == MAX_MDC_ENTRIES) {
        l.truncated = true;
        DROPPED_FIELDS.increment();
        break;
      }
      String outKey = maskKey(mdcKeyPrefix.isEmpty() ? key : mdcKeyPrefix + key);
      written += stringMember(l, gelf ? gelfName(outKey) : outKey, en.getValue(), keys,
          first && written == 0, key);
    }
    return written;
  }

  /** One string member with a dynamic name; returns 1 if written. */
  private int stringMember(
      JsonLine l, String name, String value, JsonLine.KeySet keys, boolean first, String rawKey) {
    if (l.overflow) {
      return 0; // the enclosing member is already being rolled back
    }
    int mark = l.pos;
    name = maskKey(name);
    int r = l.dynamicName("", name, keys, first);
    if (r < 0) {
      DROPPED_FIELDS.increment();
      return 0;
    }
    if (r > 0) {
      renamed(name);
    }
    String checkKey = rawKey.isEmpty() ? name : rawKey;
    if (masker != null && masker.isSensitiveKey(checkKey)) {
      l.string(Masker.MASK, 8);
    } else if (value == null) {
      l.ascii("null");
    } else {
      l.string(Values.mask(masker, value), maxStringBytes);
    }
    return commit(l, mark) ? 1 : 0;
  }

  private void tags(JsonLine l, ILoggingEvent e, byte[] name) {
    if (!includeMarkers) {
      return;
    }
    List<Marker> markers = e.getMarkerList();
    if (markers == null || markers.isEmpty()) {
      return;
    }
    int mark = l.pos;
    l.raw(name);
    l.raw('[');
    JsonLine.KeySet seen = l.nested(0); // tags are a set: no duplicates
    int n = 0;
    for (Marker m : markers) {
      n = tag(l, m, seen, n);
    }
    l.raw(']');
    commit(l, mark);
  }

  private int tag(JsonLine l, Marker m, JsonLine.KeySet seen, int n) {
    if (m == null || n >= MAX_TAGS) {
      return n;
    }
    String name = m.getName();
    if (name != null && !seen.contains(name)) {
      seen.add(name);
      if (n > 0) {
        l.raw(',');
      }
      l.string(maskKey(name), 256); // marker names are text too
      n++;
    }
    return n;
  }

  private String tagText(ILoggingEvent e) {
    List<Marker> markers = e.getMarkerList();
    if (markers == null || markers.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (Marker m : markers) {
      if (m != null && sb.length() < 1024) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(maskKey(m.getName()));
      }
    }
    return sb.toString();
  }

  private StackTraceElement caller(ILoggingEvent e) {
    try {
      StackTraceElement[] cd = e.getCallerData();
      return cd == null || cd.length == 0 ? null : cd[0];
    } catch (RuntimeException ex) {
      return null;
    }
  }

  private String maskKey(String key) {
    return masker == null ? key : masker.maskKey(key);
  }

  private void renamed(String key) {
    RENAMED_KEYS.increment();
    if (reportedCollisions.size() < MAX_REPORTED_COLLISIONS && reportedCollisions.add(key)) {
      addWarn(
          "Field name '"
              + key
              + "' is already used by the "
              + format.id
              + (format == Format.ECS
                  ? " format or an earlier field, or Elasticsearch refuses it; written under labels."
                  : " format or an earlier field; written with a '_' prefix"));
    }
  }

  /** GELF additional field names: leading underscore, only [A-Za-z0-9_.-], never "_id". */
  static String gelfName(String key) {
    StringBuilder sb = new StringBuilder(key.length() + 1).append('_');
    for (int i = 0; i < key.length() && i < Values.MAX_KEY_CHARS; i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
              || c == '.' || c == '-';
      sb.append(ok ? c : '_');
    }
    String s = sb.toString();
    return s.equals("_id") ? "__id" : s;
  }

  private static boolean commit(JsonLine l, int mark) {
    if (l.overflow) {
      l.pos = mark;
      l.overflow = false;
      l.truncated = true;
      DROPPED_FIELDS.increment();
      return false;
    }
    return true;
  }

  private void str(JsonLine l, byte[] name, String value) {
    if (value == null) {
      return;
    }
    int mark = l.pos;
    l.raw(name);
    l.string(value, maxStringBytes);
    commit(l, mark);
  }

  /** A long text (a stack trace) that may take whatever room is left, up to the string cap. */
  private void strRoom(JsonLine l, byte[] name, String value) {
    if (value == null) {
      return;
    }
    int mark = l.pos;
    l.raw(name);
    l.string(value, Math.min(maxStringBytes, Math.max(64, l.room() - 16)));
    commit(l, mark);
  }

  private static void num(JsonLine l, byte[] name, long value) {
    int mark = l.pos;
    l.raw(name);
    l.number(value);
    commit(l, mark);
  }

  private static void bool(JsonLine l, byte[] name, boolean value) {
    int mark = l.pos;
    l.raw(name);
    l.bool(value);
    commit(l, mark);
  }

  /** {@code ,"name":} (or {@code "name":value} pieces) as bytes, built once. */
  static byte[] member(String name, boolean withValue, String literalValue) {
    String s = "," + "\"" + name + "\":" + (literalValue == null ? "" : literalValue);
    if (withValue && literalValue == null) {
      throw new IllegalArgumentException(name);
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String levelName(Level level) {
    return level == null ? "INFO" : level.levelStr;
  }

  /** Logback level to Cloud Logging severity. */
  static String gcpSeverity(Level level) {
    if (level == null) {
      return "DEFAULT";
    }
    switch (level.toInt()) {
      case Level.ERROR_INT:
        return "ERROR";
      case Level.WARN_INT:
        return "WARNING";
      case Level.INFO_INT:
        return "INFO";
      case Level.DEBUG_INT:
      case Level.TRACE_INT:
        return "DEBUG";
      default:
        return "DEFAULT";
    }
  }

  /** Logback level to syslog severity (GELF {@code level}). */
  static int syslogLevel(Level level) {
    if (level == null) {
      return 6;
    }
    switch (level.toInt()) {
      case Level.ERROR_INT:
        return 3;
      case Level.WARN_INT:
        return 4;
      case Level.INFO_INT:
        return 6;
      default:
        return 7;
    }
  }

  private String fallback(ILoggingEvent e, Throwable t) {
    FAILED.increment();
    addWarn("Could not render a log event; wrote a minimal line instead", t);
    JsonLine l = new JsonLine(2048);
    try {
      l.ascii("{\"level\":");
      l.string(levelName(e.getLevel()), 16);
      l.ascii(",\"logger\":");
      l.string(String.valueOf(maskKey(e.getLoggerName())), 256);
      l.ascii(",\"message\":\"[cairn: event could not be rendered: ");
      l.escape(t.getClass().getName(), 0, t.getClass().getName().length(), l.limit - 8);
      l.ascii("]\"");
      l.finish(TRUNCATED);
      return new String(l.buf, 0, l.pos, StandardCharsets.UTF_8);
    } catch (Throwable again) {
      Fatal.rethrowIfFatal(again);
      return "{\"message\":\"[cairn: event could not be rendered]\"}\n";
    }
  }

  private static Set<String> csvSet(String csv) {
    return Collections.unmodifiableSet(new HashSet<>(csvList(csv)));
  }

  private static List<String> csvList(String csv) {
    List<String> out = new ArrayList<>();
    if (csv == null) {
      return out;
    }
    for (String s : csv.split(",")) {
      String t = s.trim();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** The formats and the member names each writes itself (never available to dynamic keys). */
  enum Format {
    CAIRN(
        "cairn",
        "time", "level", "message", "logger", "thread", "traceId", "spanId", "sampled",
        "correlationId", "service", "serviceVersion", "environment", "instance", "caller", "tags",
        "error"),
    ECS(
        "ecs",
        "@timestamp", "log.level", "message", "ecs.version", "log.logger", "process.thread.name",
        "trace.id", "span.id", "transaction.id", "labels.correlation_id", "service.name",
        "service.version", "service.environment", "service.node.name", "event.dataset",
        "log.origin.file.name", "log.origin.file.line", "log.origin.function", "error.type",
        "error.message", "error.stack_trace", "tags", "labels",
        // ECS object roots: a scalar under one of these names would clash with the dotted fields
        // in Elasticsearch's mapping.
        "log", "ecs", "trace", "span", "transaction", "service", "event", "error", "process"),
    LOGSTASH(
        "logstash",
        "@timestamp", "@version", "message", "logger_name", "thread_name", "level", "level_value",
        "stack_trace", "tags", "traceId", "spanId", "sampled", "correlationId", "service",
        "serviceVersion", "environment", "instance", "caller_class_name", "caller_method_name",
        "caller_file_name", "caller_line_number"),
    GCP(
        "gcp",
        "severity", "message", "timestamp", "time", "logging.googleapis.com/trace",
        "logging.googleapis.com/spanId", "logging.googleapis.com/trace_sampled",
        "logging.googleapis.com/sourceLocation", "logging.googleapis.com/labels",
        "logging.googleapis.com/insertId", "logging.googleapis.com/operation", "httpRequest",
        "traceId", "spanId", "correlationId", "logger", "thread", "stack_trace", "@type",
        "serviceContext", "tags", "timestampSeconds", "timestampNanos"),
    GELF(
        "gelf",
        "version", "host", "short_message", "full_message", "timestamp", "level", "facility",
        "line", "file", "_id", "_logger", "_thread", "_level_name", "_trace_id", "_span_id",
        "_trace_sampled", "_correlation_id", "_service", "_service_version", "_environment",
        "_instance", "_error_type", "_error_hash", "_tags");

    final String id;
    final Set<String> reserved;
    /** ECS only: the reserved names that are leaves, not object roots of others; else null. */
    final String[] ecsLeaves;

    Format(String id, String... names) {
      this.id = id;
      Set<String> r = new HashSet<>(Arrays.asList(names));
      r.add("_truncated");
      r.add("dd.trace_id");
      r.add("dd.span_id");
      r.add("AWS-XRAY-TRACE-ID");
      if ("ecs".equals(id)) {
        List<String> leaves = new ArrayList<>();
        for (String a : r) {
          boolean root = false;
          for (String b : r) {
            root |= b.length() > a.length() && b.startsWith(a) && b.charAt(a.length()) == '.';
          }
          if (!root) {
            leaves.add(a);
          }
        }
        this.ecsLeaves = leaves.toArray(new String[0]);
        // Every object root of a leaf is reserved too (log.origin as well as log), so that one
        // hash lookup finds a name that is a leaf or above one.
        for (String leaf : leaves) {
          for (int dot = leaf.indexOf('.'); dot > 0; dot = leaf.indexOf('.', dot + 1)) {
            r.add(leaf.substring(0, dot));
          }
        }
      } else {
        this.ecsLeaves = null;
      }
      this.reserved = Collections.unmodifiableSet(r);
    }

    static Format parse(String name) {
      if (name == null) {
        return null;
      }
      String n = name.trim().toLowerCase(Locale.ROOT);
      for (Format f : values()) {
        if (f.id.equals(n)) {
          return f;
        }
      }
      return null;
    }
  }
}
