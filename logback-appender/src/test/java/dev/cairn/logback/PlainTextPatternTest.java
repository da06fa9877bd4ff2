package dev.cairn.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * The plain-text pattern exactly as docs/logback.md documents it (read from the page), run through
 * Logback's own configurator and a real file.
 */
class PlainTextPatternTest {
  private static final String SECRET = "hunter2-Zq7xK2";
  /** A message that tries to forge a second event and carries a secret. */
  private static final String FORGING =
      "boom\r\n2026-12-07 23:59:59,000 ERROR [main] com.example.Admin - forged password=" + SECRET
          + "\u001b[31m";

  @TempDir Path dir;
  private LoggerContext context;

  @AfterEach
  void stop() {
    if (context != null) {
      context.stop();
    }
  }

  /** The xml block of the "Plain text" section of docs/logback.md. */
  static String documentedXml() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "logback.md"), StandardCharsets.UTF_8);
    int section = doc.indexOf("## Plain text");
    int from = doc.indexOf("```xml", section) + "```xml".length();
    int to = doc.indexOf("```", from);
    return doc.substring(from, to).trim();
  }

  private Logger configure(String xmlBody, Path file) throws Exception {
    String encoderXml = xmlBody.substring(xmlBody.indexOf("<encoder>"));
    String rules = xmlBody.substring(0, xmlBody.indexOf("<encoder>"));
    String config =
        "<configuration>" + rules
            + "<appender name=\"F\" class=\"ch.qos.logback.core.FileAppender\"><file>" + file
            + "</file>" + encoderXml + "</appender><root level=\"INFO\"><appender-ref ref=\"F\"/></root>"
            + "</configuration>";
    context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)));
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .noneMatch(s -> s.getLevel() >= ch.qos.logback.core.status.Status.ERROR);
    return context.getLogger("com.example.Checkout");
  }

  private List<String> logAndRead(String xml, java.util.function.Consumer<Logger> log) throws Exception {
    Path file = dir.resolve("app-" + System.nanoTime() + ".log");
    Logger logger = configure(xml, file);
    log.accept(logger);
    context.stop();
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  /** Lines that do not start with a TAB: each one is what a log agent sees as a new event. */
  private static List<String> eventStarts(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      if (!l.startsWith("\t")) {
        out.add(l);
      }
    }
    return out;
  }

  private static Throwable hostileException() {
    IllegalStateException cause = new IllegalStateException("cause " + FORGING);
    RuntimeException top = new RuntimeException(FORGING, cause);
    top.addSuppressed(new IllegalArgumentException("suppressed\nERROR token=" + SECRET));
    return top;
  }

  @Test
  void documentedPattern_withAForgingException_writesOneEventLineAndTabContinuationsWithoutSecrets()
      throws Exception {
    List<String> lines = logAndRead(documentedXml(), log -> log.error("payment failed", hostileException()));

    assertThat(eventStarts(lines)).hasSize(1);
    assertThat(eventStarts(lines).get(0)).contains(" - payment failed");
    assertThat(lines).hasSizeGreaterThan(3); // the trace is there, on continuation lines
    assertThat(String.join("\n", lines)).doesNotContain(SECRET).doesNotContain("\u001b");
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("\tjava.lang.RuntimeException: boom\\r\\n2026"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("\tCaused by: java.lang.IllegalStateException"));
  }

  @Test
  void documentedPattern_withAForgingThreadName_keepsItOnTheEventLine() throws Exception {
    List<String> lines = new ArrayList<>();
    Thread t =
        new Thread(
            () -> {
              try {
                lines.addAll(logAndRead(documentedXml(), log -> log.info("hello")));
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            },
            "worker\nERROR forged session=" + SECRET);
    t.start();
    t.join();

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("worker\\nERROR forged session=***").doesNotContain(SECRET);
  }

  @Test
  void documentedPattern_withAHugeMessage_capsTheLineAndCountsIt() throws Exception {
    long before = PlainText.TRUNCATED.count();
    String huge = "\u0000".repeat(2 * 1024 * 1024);

    List<String> lines = logAndRead(documentedXml(), log -> log.info(huge));

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).getBytes(StandardCharsets.UTF_8).length)
        .isLessThan(SafeMessageConverter.DEFAULT_MAX_BYTES + 256);
    assertThat(lines.get(0)).endsWith(PlainText.CUT);
    assertThat(PlainText.TRUNCATED.count()).isGreaterThan(before);
  }

  @Test
  void safeEx_withADeepCyclicChain_isBoundedAndMarksTheCut() throws Exception {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b); // a cycle
    Throwable deep = b;
    for (int i = 0; i < 1_000; i++) { // deeper overflows Logback's own ThrowableProxy
      deep = new RuntimeException("level " + i + " " + "x".repeat(100), deep);
    }
    Throwable thrown = deep;

    List<String> lines = logAndRead(documentedXml(), log -> log.error("deep", thrown));

    assertThat(eventStarts(lines)).hasSize(1);
    int bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8).length;
    assertThat(bytes).isLessThan(16_384 + 512);
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("\t[more causes omitted"));
  }

  @Test
  void safeEx_withoutAnException_writesNothing() throws Exception {
    List<String> lines = logAndRead(documentedXml(), log -> log.info("plain"));

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).endsWith(" - plain");
  }
}
