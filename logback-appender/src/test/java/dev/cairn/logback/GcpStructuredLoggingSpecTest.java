package dev.cairn.logback;

import static dev.cairn.logback.Lines.event;
import static dev.cairn.logback.Lines.kv;
import static dev.cairn.logback.Lines.mdc;
import static dev.cairn.logback.Lines.parse;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.status.Status;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code gcp} lines read the way Google's logging agents (Ops Agent, GKE, Cloud Run) read them. The
 * special fields of Cloud Logging's "Structured logging" page and of the {@code LogEntry} they
 * fill are restated here as data — name, JSON type, value format — so the encoder is checked
 * against Google's documentation, not against itself:
 *
 * <ul>
 *   <li>{@code severity}: a {@code LogSeverity} name;
 *   <li>{@code message}: a string;
 *   <li>{@code timestamp}: an object {@code {"seconds": int, "nanos": int}} (the agents also take
 *       {@code timestampSeconds}+{@code timestampNanos} or {@code time} as RFC 3339; a string
 *       {@code timestamp} is not taken and the entry gets the ingestion time);
 *   <li>{@code logging.googleapis.com/trace}: {@code projects/PROJECT_ID/traces/TRACE_ID}, the
 *       trace id 32 hex;
 *   <li>{@code logging.googleapis.com/spanId}: 16 hex;
 *   <li>{@code logging.googleapis.com/trace_sampled}: {@code true} or {@code false}, a boolean;
 *   <li>{@code logging.googleapis.com/sourceLocation}: {@code file} string, {@code line} an int64
 *       (proto3 JSON: a decimal string), {@code function} string;
 *   <li>{@code logging.googleapis.com/labels}: an object of string values;
 *   <li>{@code httpRequest}, {@code logging.googleapis.com/insertId}, {@code
 *       logging.googleapis.com/operation}: never written by Cairn, so never written by a user key
 *       either (a string there would not be the object or id the agent expects);
 *   <li>Error Reporting: {@code @type} = ReportedErrorEvent, {@code stack_trace} a string in the
 *       JDK's shape, {@code serviceContext.service}/{@code .version} strings.
 * </ul>
 */
class GcpStructuredLoggingSpecTest {
  private static final TraceContext CTX =
      TraceContext.builder()
          .traceId("4bf92f3577b34da6a3ce929d0e0e4736")
          .spanId("00f067aa0ba902b7")
          .sampled(true)
          .build();

  /** LogSeverity of google/logging/type/log_severity.proto. */
  private static final Set<String> LOG_SEVERITY =
      Set.of("DEFAULT", "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL", "ALERT", "EMERGENCY");

  private record Rule(String name, Predicate<JsonNode> check, String what) {}

  private static final List<Rule> SPEC =
      List.of(
          new Rule("severity", n -> n.isString() && LOG_SEVERITY.contains(n.asString()), "a LogSeverity name"),
          new Rule("message", JsonNode::isString, "a string"),
          new Rule(
              "timestamp",
              n -> n.isObject() && n.size() == 2
                  && n.get("seconds") != null && n.get("seconds").isIntegralNumber()
                  && n.get("nanos") != null && n.get("nanos").isIntegralNumber()
                  && n.get("nanos").asLong() >= 0 && n.get("nanos").asLong() <= 999_999_999L,
              "{\"seconds\": integer, \"nanos\": 0..999999999}"),
          new Rule(
              "logging.googleapis.com/trace",
              n -> n.isString() && n.asString().matches("projects/[A-Za-z0-9.:\\-]+/traces/[0-9a-f]{32}"),
              "projects/PROJECT_ID/traces/<32 hex>"),
          new Rule(
              "logging.googleapis.com/spanId",
              n -> n.isString() && n.asString().matches("[0-9a-f]{16}"),
              "16 hex"),
          new Rule("logging.googleapis.com/trace_sampled", JsonNode::isBoolean, "a boolean"),
          new Rule(
              "logging.googleapis.com/sourceLocation",
              n -> n.isObject()
                  && n.get("file") != null && n.get("file").isString()
                  && (n.get("line") == null || (n.get("line").isString() && n.get("line").asString().matches("-?\\d+")))
                  && n.get("function") != null && n.get("function").isString(),
              "{file: string, line: int64 as decimal string, function: string}"),
          new Rule("logging.googleapis.com/labels", GcpStructuredLoggingSpecTest::stringValuesOnly, "an object of strings"),
          new Rule(
              "@type",
              n -> n.isString() && n.asString().equals(
                  "type.googleapis.com/google.devtools.clouderrorreporting.v1beta1.ReportedErrorEvent"),
              "ReportedErrorEvent"),
          new Rule(
              "stack_trace",
              n -> n.isString() && n.asString().matches("(?s)[\\w.$]+(: .*)?\\n\\tat .*"),
              "the JDK's stack trace text"),
          new Rule(
              "serviceContext",
              n -> n.isObject() && n.get("service") != null && n.get("service").isString()
                  && (n.get("version") == null || n.get("version").isString()),
              "{service: string, version: string}"));

  /** Special names Cairn never writes; no user key may take them. */
  private static final List<String> NEVER =
      List.of("httpRequest", "logging.googleapis.com/insertId", "logging.googleapis.com/operation",
          "time", "timestampSeconds", "timestampNanos");

  private static boolean stringValuesOnly(JsonNode n) {
    if (!n.isObject()) {
      return false;
    }
    for (JsonNode v : n.values()) {
      if (!v.isString()) {
        return false;
      }
    }
    return true;
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.propertyNames().iterator(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  private static CairnEncoder gcp(Map<String, String> env) {
    CairnEncoder enc = Lines.encoder("gcp");
    enc.useEnvironmentVariables(env::get);
    return enc;
  }

  private static JsonNode encode(CairnEncoder enc, LoggingEvent e, TraceContext current) {
    enc.start();
    if (current == null) {
      return parse(enc.encode(e));
    }
    try (Scope ignored = current.makeCurrent()) {
      return parse(enc.encode(e));
    }
  }

  /** Every rule that applies to the line holds, and every special field the line has is known. */
  private static void assertFollowsTheSpec(JsonNode line) {
    for (Rule r : SPEC) {
      JsonNode v = line.get(r.name());
      if (v != null) {
        assertThat(r.check().test(v)).as("%s must be %s, was %s", r.name(), r.what(), v).isTrue();
      }
    }
    for (String name : names(line)) {
      if (name.startsWith("logging.googleapis.com/")) {
        assertThat(SPEC.stream().anyMatch(r -> r.name().equals(name)))
            .as("special field %s is checked by a rule", name)
            .isTrue();
      }
    }
    for (String name : NEVER) {
      assertThat(line.has(name)).as(name).isFalse();
    }
  }

  @Test
  void everySpecialField_hasTheNameTypeAndFormatGoogleDocuments() {
    CairnEncoder enc = gcp(Map.of());
    enc.setProjectId("shop-prod-4711");
    enc.setServiceName("orders");
    enc.setServiceVersion("1.2.3");
    enc.setIncludeCallerData(true);
    enc.addStaticField("region=europe-west1");
    LoggingEvent e = event(Level.ERROR, "payment failed", new IllegalStateException("declined"));
    e.setCallerData(new StackTraceElement[] {new StackTraceElement("com.example.Pay", "charge", "Pay.java", 77)});
    mdc(e, Map.of("tenant", "acme"));
    kv(e, "amount", 12.5);
    kv(e, "httpRequest", "GET /pay");
    kv(e, "logging.googleapis.com/operation", "op-1");
    JsonNode n = encode(enc, e, CTX);

    assertFollowsTheSpec(n);
    // Each documented field is there, so each rule above really ran.
    for (Rule r : SPEC) {
      assertThat(n.has(r.name())).as(r.name()).isTrue();
    }
    assertThat(n.get("severity").asString()).isEqualTo("ERROR");
    assertThat(n.get("logging.googleapis.com/trace").asString())
        .isEqualTo("projects/shop-prod-4711/traces/4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(n.get("logging.googleapis.com/spanId").asString()).isEqualTo("00f067aa0ba902b7");
    assertThat(n.get("logging.googleapis.com/trace_sampled").booleanValue()).isTrue();
    JsonNode loc = n.get("logging.googleapis.com/sourceLocation");
    assertThat(loc.get("line").asString()).isEqualTo("77");
    assertThat(n.get("logging.googleapis.com/labels").get("tenant").asString()).isEqualTo("acme");
    assertThat(n.get("logging.googleapis.com/labels").get("region").asString()).isEqualTo("europe-west1");
    assertThat(n.get("amount").isNumber()).as("key-values stay typed in the payload").isTrue();
    assertThat(n.get("_httpRequest").asString()).as("a user key never becomes a special field").isEqualTo("GET /pay");
    assertThat(n.get("_logging.googleapis.com/operation").asString()).isEqualTo("op-1");
    assertThat(n.has("traceId")).as("the id is in the special field only").isFalse();
  }

  @Test
  void timestamp_isTheSecondsAndNanosObjectTheAgentsMapToLogEntryTimestamp() {
    JsonNode n = encode(gcp(Map.of()), event("t"), null);
    JsonNode ts = n.get("timestamp");
    assertThat(ts.isObject()).as("a string timestamp stays in the payload: %s", ts).isTrue();
    assertThat(ts.get("seconds").isIntegralNumber()).isTrue();
    assertThat(ts.get("nanos").isIntegralNumber()).isTrue();
    // Lines.T0 = 2026-11-28T06:01:02.123456789Z at the default millisecond precision.
    assertThat(ts.get("seconds").asLong()).isEqualTo(Lines.T0.getEpochSecond());
    assertThat(ts.get("nanos").asLong()).isEqualTo(123_000_000L);
    assertFollowsTheSpec(n);
  }

  @Test
  void timestamp_keepsTheConfiguredPrecision() {
    CairnEncoder micros = gcp(Map.of());
    micros.setTimestampPrecision("micros");
    CairnEncoder nanos = gcp(Map.of());
    nanos.setTimestampPrecision("nanos");
    assertThat(encode(micros, event("t"), null).get("timestamp").get("nanos").asLong()).isEqualTo(123_456_000L);
    assertThat(encode(nanos, event("t"), null).get("timestamp").get("nanos").asLong()).isEqualTo(123_456_789L);
  }

  @Test
  void severity_isALogSeverityNameForEveryLevel() {
    CairnEncoder enc = gcp(Map.of());
    enc.start();
    for (Level level : List.of(Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR)) {
      JsonNode n = parse(enc.encode(event(level, "m", null)));
      assertThat(LOG_SEVERITY).as(level.levelStr).contains(n.get("severity").asString());
    }
  }

  @Test
  void projectId_comesFromTheFirstDocumentedEnvironmentVariableSet() {
    Map<String, String> env = new HashMap<>();
    env.put("GCP_PROJECT", "from-gcp-project");
    env.put("CLOUDSDK_CORE_PROJECT", "from-gcloud-config");
    assertThat(encode(gcp(env), event("x"), CTX).get("logging.googleapis.com/trace").asString())
        .isEqualTo("projects/from-gcp-project/traces/" + CTX.traceIdHex());
    env.put("GCLOUD_PROJECT", "from-gcloud-project");
    assertThat(encode(gcp(env), event("x"), CTX).get("logging.googleapis.com/trace").asString())
        .isEqualTo("projects/from-gcloud-project/traces/" + CTX.traceIdHex());
    env.put("GOOGLE_CLOUD_PROJECT", "from-google-cloud-project");
    assertThat(encode(gcp(env), event("x"), CTX).get("logging.googleapis.com/trace").asString())
        .isEqualTo("projects/from-google-cloud-project/traces/" + CTX.traceIdHex());
  }

  @Test
  void projectId_theEncoderPropertyWinsOverTheEnvironment() {
    CairnEncoder enc = gcp(Map.of("GOOGLE_CLOUD_PROJECT", "from-env"));
    enc.setProjectId("explicit");
    assertThat(encode(enc, event("x"), CTX).get("logging.googleapis.com/trace").asString())
        .isEqualTo("projects/explicit/traces/" + CTX.traceIdHex());
  }

  @Test
  void projectId_fromTheEnvironmentOfARealProcess_linksTheTrace(@TempDir Path dir) throws Exception {
    // Cloud Functions' older runtimes set GCLOUD_PROJECT (not GOOGLE_CLOUD_PROJECT): a JVM started
    // with only that variable, as the platform starts it.
    Map<String, String> env = new HashMap<>();
    env.put("GCLOUD_PROJECT", "fn-project-1");
    List<String> out = runChild(dir, env);
    JsonNode n = parse((out.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
    assertThat(n.get("logging.googleapis.com/trace").asString())
        .isEqualTo("projects/fn-project-1/traces/4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(n.has("traceId")).isFalse();
    assertThat(out.get(1)).isEqualTo("warnings=0");
  }

  @Test
  void withoutAProjectId_theTraceIdStaysInThePayloadAndOneWarningSaysSo() {
    LoggerContext context = new LoggerContext();
    CairnEncoder enc = new CairnEncoder();
    enc.setContext(context);
    enc.setFormat("gcp");
    enc.useEnvironmentVariables(name -> null);
    enc.start();
    enc.stop();
    enc.start(); // Logback restarts encoders on reconfiguration; one warning is enough
    JsonNode n;
    try (Scope ignored = CTX.makeCurrent()) {
      n = parse(enc.encode(event("x")));
    }
    assertThat(n.get("traceId").asString()).isEqualTo(CTX.traceIdHex());
    assertThat(n.has("logging.googleapis.com/trace")).isFalse();
    List<String> warnings = new ArrayList<>();
    for (Status s : context.getStatusManager().getCopyOfStatusList()) {
      if (s.getLevel() == Status.WARN) {
        warnings.add(s.getMessage());
      }
    }
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .contains("without a project id")
        .contains("<projectId>")
        .contains("GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "GCP_PROJECT", "CLOUDSDK_CORE_PROJECT");
  }

  @Test
  void otherFormats_doNotWarnAboutAProjectId() {
    LoggerContext context = new LoggerContext();
    CairnEncoder enc = new CairnEncoder();
    enc.setContext(context);
    enc.useEnvironmentVariables(name -> null);
    enc.start();
    assertThat(context.getStatusManager().getCopyOfStatusList()).noneMatch(s -> s.getLevel() >= Status.WARN);
  }

  @Test
  void projectId_thatWouldBreakTheResourceName_isRefused() {
    LoggerContext context = new LoggerContext();
    CairnEncoder enc = new CairnEncoder();
    enc.setContext(context);
    enc.setFormat("gcp");
    enc.useEnvironmentVariables(Map.of("GOOGLE_CLOUD_PROJECT", "a/../b")::get);
    enc.start();
    JsonNode n;
    try (Scope ignored = CTX.makeCurrent()) {
      n = parse(enc.encode(event("x")));
    }
    assertThat(n.has("logging.googleapis.com/trace")).isFalse();
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anyMatch(s -> s.getLevel() == Status.ERROR && s.getMessage().contains("GOOGLE_CLOUD_PROJECT"));
  }

  @Test
  void idsFromTheMdc_becomeSpecialFieldsOnlyInTheFormatCloudTraceUses() {
    CairnEncoder enc = gcp(Map.of("GOOGLE_CLOUD_PROJECT", "p1"));
    enc.setMask(false);
    // Another tracer's 64-bit id (B3) is padded to 32 hex as W3C does; upper case is lowered.
    JsonNode n64 = encode(enc, mdc(event("x"), Map.of("traceId", "A3CE929D0E0E4736", "spanId", "00F067AA0BA902B7")), null);
    assertThat(n64.get("logging.googleapis.com/trace").asString())
        .isEqualTo("projects/p1/traces/0000000000000000a3ce929d0e0e4736");
    assertThat(n64.get("logging.googleapis.com/spanId").asString()).isEqualTo("00f067aa0ba902b7");
    assertFollowsTheSpec(n64);
    // Ids in another shape stay searchable in the payload instead of making a wrong special field.
    JsonNode other = encode(enc, mdc(event("x"), Map.of("traceId", "1-5759e988-bd862e3fe1be46a994272793", "spanId", "53995c3f42cd8ad8-x")), null);
    assertThat(other.has("logging.googleapis.com/trace")).isFalse();
    assertThat(other.has("logging.googleapis.com/spanId")).isFalse();
    assertThat(other.get("traceId").asString()).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
    assertThat(other.get("spanId").asString()).isEqualTo("53995c3f42cd8ad8-x");
    assertFollowsTheSpec(other);
  }

  @Test
  void labels_leaveOutMdcEntriesWithoutAValue() {
    Map<String, String> withNull = new LinkedHashMap<>();
    withNull.put("tenant", "acme");
    withNull.put("empty", null);
    JsonNode n = encode(gcp(Map.of()), mdc(event("x"), withNull), null);
    JsonNode labels = n.get("logging.googleapis.com/labels");
    assertThat(stringValuesOnly(labels)).as("labels: %s", labels).isTrue();
    assertThat(labels.get("tenant").asString()).isEqualTo("acme");
    assertThat(labels.has("empty")).isFalse();
  }

  @Test
  void sourceLocation_leavesOutALineNumberTheJvmDoesNotKnow() {
    CairnEncoder enc = gcp(Map.of());
    enc.setIncludeCallerData(true);
    LoggingEvent e = event("native");
    e.setCallerData(new StackTraceElement[] {new StackTraceElement("com.example.Io", "read0", null, -2)});
    JsonNode n = encode(enc, e, null);
    JsonNode loc = n.get("logging.googleapis.com/sourceLocation");
    assertThat(loc.has("line")).isFalse();
    assertThat(loc.get("function").asString()).isEqualTo("com.example.Io.read0");
    assertFollowsTheSpec(n);
  }

  /** Runs {@link GcpLineChild} with exactly {@code env}'s project variables; stdout lines. */
  private static List<String> runChild(Path dir, Map<String, String> env) throws Exception {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, cp.split(File.pathSeparator)));
    cmd.add(GcpLineChild.class.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    for (String name : CairnEncoder.PROJECT_ID_VARIABLES) {
      pb.environment().remove(name); // whatever the machine running the test has set
    }
    pb.environment().putAll(env);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      // Generous: a JVM start on a loaded 2-core box; the test asserts no timing.
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(p.exitValue()).as(Files.readString(err)).isZero();
    return Files.readAllLines(out, StandardCharsets.UTF_8);
  }
}
