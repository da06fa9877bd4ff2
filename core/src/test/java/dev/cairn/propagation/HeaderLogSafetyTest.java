package dev.cairn.propagation;

import static dev.cairn.propagation.PropagationTesting.headers;
import static dev.cairn.propagation.PropagationTesting.inject;
import static dev.cairn.propagation.PropagationTesting.reasons;
import static dev.cairn.propagation.PropagationTesting.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.logging.CorrelationMdc;
import dev.cairn.logging.MdcSettings;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * RELIABILITY check 42: a value from a request header reaches the MDC, and so a plain-text
 * {@code %X{…}} pattern, without a raw control character, DEL, C1 control or U+2028/U+2029, and
 * each hostile value is counted in {@code cairn.propagation.rejected} with its reason.
 */
class HeaderLogSafetyTest {
  /** An HTTP server hands on what the client sent; percent-escapes are the baggage route in. */
  static final String FORGING_BAGGAGE =
      "tenant=acme%0D%0A2026-12-07%20ERROR%20[main]%20Admin%20password%20reset%1B%5B2J%00";

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  Logger logger;
  OutputStreamAppender<ILoggingEvent> appender;
  MdcSettings previous;

  @BeforeEach
  void plainTextLogger() {
    previous = CorrelationMdc.settings();
    CorrelationMdc.install(MdcSettings.builder().addBaggageKey("tenant").build());
    LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder enc = new PatternLayoutEncoder();
    enc.setContext(lc);
    // The plain-text pattern an operator would write: the MDC values go out exactly as they are.
    enc.setPattern("%level tenant=%X{tenant} corr=%X{correlationId} trace=%X{traceId} %msg%n");
    enc.setCharset(StandardCharsets.UTF_8);
    enc.start();
    appender = new OutputStreamAppender<>();
    appender.setContext(lc);
    appender.setEncoder(enc);
    appender.setOutputStream(out);
    appender.start();
    logger = lc.getLogger("cairn.test.header-log-safety");
    logger.setAdditive(false);
    logger.addAppender(appender);
  }

  @AfterEach
  void restore() {
    logger.detachAppender(appender);
    appender.stop();
    CorrelationMdc.install(previous);
    MDC.clear();
  }

  /** Extracts with every built-in format, makes the result current and logs one line. */
  String logWithin(Map<String, String> requestHeaders) {
    Propagator all =
        Propagators.composite(
            Propagators.w3cTraceContext(),
            Propagators.w3cBaggage(),
            Propagators.b3Single(),
            Propagators.b3Multi(),
            Propagators.awsXray(),
            Propagators.googleCloudTrace(),
            Propagators.correlationId());
    TraceContext c = all.extract(TraceContext.empty(), requestHeaders, Carriers.mapGetter());
    out.reset();
    try (Scope ignored = c.makeCurrent()) {
      logger.info("handled");
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static void assertOneSafeLine(String text) {
    assertThat(text).endsWith("\n");
    String line = text.substring(0, text.length() - 1);
    assertThat(line).startsWith("INFO ").endsWith(" handled");
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      assertThat(ch < 0x20 || (ch >= 0x7F && ch <= 0x9F) || ch == '\u2028' || ch == '\u2029')
          .as("character U+%04X at %d of %s", (int) ch, i, line)
          .isFalse();
    }
  }

  @Test
  void baggageInMdc_whenValueDecodesToCrLfEscNul_staysOneLineAndForgesNothing() {
    String text = logWithin(headers("baggage", FORGING_BAGGAGE));

    assertOneSafeLine(text);
    assertThat(text.lines()).noneMatch(l -> l.startsWith("2026-12-07 ERROR"));
    assertThat(text)
        .contains(
            "tenant=acme\\u000d\\u000a2026-12-07 ERROR [main] Admin password reset\\u001b[2J\\u0000 ");
  }

  @Test
  void baggage_whenValueDecodesToControlCharacters_isCountedWithReason() {
    long before = rejected("w3c-baggage", "control_character");

    logWithin(headers("baggage", FORGING_BAGGAGE));

    assertThat(rejected("w3c-baggage", "control_character")).isEqualTo(before + 1);
    assertThat(reasons(Propagators.w3cBaggage(), "baggage", FORGING_BAGGAGE))
        .containsExactly("control_character");
  }

  @Test
  void baggage_whenValueHoldsControlCharacters_isStillPropagatedAsReceived() {
    // The next service gets the member unchanged (W3C Baggage allows any code point); only the
    // log copy is escaped.
    TraceContext c = PropagationTesting.extract(Propagators.w3cBaggage(), "baggage", FORGING_BAGGAGE);
    String forwarded = inject(Propagators.w3cBaggage(), c).get("baggage");

    Baggage otel =
        Baggage.fromContext(
            io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator.getInstance()
                .extract(Context.root(), Map.of("baggage", forwarded), OtelFuzzAgreementTest.OTEL_GETTER));
    assertThat(otel.getEntryValue("tenant"))
        .isEqualTo("acme\r\n2026-12-07 ERROR [main] Admin password reset\u001b[2J\u0000")
        .isEqualTo(c.baggage().getOrDefault("tenant", null));
  }

  static List<String> unsafeCharacters() {
    List<String> all = new ArrayList<>();
    for (int c = 0; c < 0x20; c++) {
      all.add(String.valueOf((char) c));
    }
    all.add("\u007f");
    for (int c = 0x80; c <= 0x9F; c++) {
      all.add(String.valueOf((char) c));
    }
    all.add("\u2028");
    all.add("\u2029");
    return all;
  }

  static String percentEncoded(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      sb.append(String.format("%%%02X", b & 0xFF));
    }
    return sb.toString();
  }

  @ParameterizedTest
  @MethodSource("unsafeCharacters")
  void baggageInMdc_whateverTheUnsafeCharacter_isEscaped(String unsafe) {
    String header = "tenant=a" + percentEncoded(unsafe) + "b";
    long before = rejected("w3c-baggage", "control_character");

    String text = logWithin(headers("baggage", header));

    assertOneSafeLine(text);
    assertThat(text).contains(String.format("tenant=a\\u%04x", (int) unsafe.charAt(0)));
    assertThat(rejected("w3c-baggage", "control_character")).isEqualTo(before + 1);
  }

  @Test
  void baggage_whenEscapesAreNotUtf8_isCountedAndDecodedAsOpenTelemetryDoes() {
    String header = "tenant=ok%FF%C0%AF%ED%A0%80";
    long before = rejected("w3c-baggage", "invalid_utf8");

    TraceContext c = PropagationTesting.extract(Propagators.w3cBaggage(), "baggage", header);

    assertThat(rejected("w3c-baggage", "invalid_utf8")).isEqualTo(before + 1);
    assertThat(reasons(Propagators.w3cBaggage(), "baggage", header)).containsExactly("invalid_utf8");
    String otel =
        Baggage.fromContext(
                io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator.getInstance()
                    .extract(Context.root(), Map.of("baggage", header), OtelFuzzAgreementTest.OTEL_GETTER))
            .getEntryValue("tenant");
    assertThat(c.baggage().getOrDefault("tenant", null)).startsWith("ok\uFFFD").isEqualTo(otel);
  }

  @Test
  void baggage_whenEscapesAreValidUtf8_countsNothing() {
    long before = rejected("w3c-baggage", "invalid_utf8");

    PropagationTesting.extract(Propagators.w3cBaggage(), "baggage", "tenant=%E2%9C%93%EF%BF%BD");

    assertThat(rejected("w3c-baggage", "invalid_utf8")).isEqualTo(before);
  }

  @Test
  void correlationIdHeader_withCrLf_isRefusedCountedAndNeverInMdc() {
    long before = rejected("correlation-id", "invalid_character");

    String text = logWithin(headers("X-Request-ID", "abc\r\nERROR forged\u001b[2J"));

    assertOneSafeLine(text);
    assertThat(text).contains("corr= ").doesNotContain("forged");
    assertThat(rejected("correlation-id", "invalid_character")).isEqualTo(before + 1);
  }

  static List<Map<String, String>> hostileTraceHeaders() {
    String forged = "\r\nERROR forged\u001b[2J\u0000\u2028";
    String tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    return List.of(
        headers("traceparent", tp + forged),
        headers("traceparent", tp, "tracestate", "a=1" + forged),
        headers("b3", "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1" + forged),
        headers("X-B3-TraceId", "0af7651916cd43dd8448eb211c80319c" + forged, "X-B3-SpanId", "b7ad6b7169203331"),
        headers("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Self=" + forged),
        headers("X-Cloud-Trace-Context", "0af7651916cd43dd8448eb211c80319c/12345;o=1" + forged));
  }

  @ParameterizedTest
  @MethodSource("hostileTraceHeaders")
  void traceHeaders_withControlCharacters_putOnlyHexIdsInMdc(Map<String, String> requestHeaders) {
    String text = logWithin(requestHeaders);

    assertOneSafeLine(text);
    assertThat(text).doesNotContain("forged");
    String traceId = text.replaceAll("(?s).* trace=(\\S*) handled\\n", "$1");
    assertThat(traceId).matches("([0-9a-f]{32})?");
  }

  @Test
  void correlationIdSetInCode_withLineBreak_isEscapedInMdc() {
    // Not from the network, but the bridge does not trust any text it mirrors.
    out.reset();
    try (Scope ignored = TraceContext.empty().withCorrelationId("id\nERROR forged").makeCurrent()) {
      logger.info("handled");
    }
    String text = out.toString(StandardCharsets.UTF_8);

    assertOneSafeLine(text);
    assertThat(text).contains("corr=id\\u000aERROR forged ");
  }

  @Test
  void selfReport_quotingHostileText_staysOneLine() {
    // Cairn's own warnings quote exceptions ("failed: " + t); a getter may throw with header text.
    Logger self = (Logger) LoggerFactory.getLogger(dev.cairn.internal.Reporter.LOGGER_NAME);
    self.addAppender(appender);
    try {
      out.reset();
      dev.cairn.internal.Reporter.warn(
          "test.header-log-safety." + System.nanoTime(),
          "failed: " + new IllegalArgumentException("bad header abc\r\nERROR forged\u001b[2J"),
          null);
    } finally {
      self.detachAppender(appender);
    }
    String text = out.toString(StandardCharsets.UTF_8);

    assertThat(text).endsWith("\n").contains("abc\\u000d\\u000aERROR forged\\u001b[2J");
    assertThat(text.lines()).hasSize(1);
  }
}
