package dev.cairn.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

/** The encoder configured the way users configure it: a logback.xml read by Logback's Joran. */
class LogbackXmlConfigTest {
  @TempDir Path dir;
  private LoggerContext context;

  private Logger configure(String resource, Path logFile) throws Exception {
    context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    context.putProperty("LOG_FILE", logFile.toString());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getResource(resource));
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .noneMatch(s -> s.getLevel() >= ch.qos.logback.core.status.Status.ERROR);
    return context.getLogger("com.example.Checkout");
  }

  @AfterEach
  void stop() {
    if (context != null) {
      context.stop();
    }
  }

  private static List<JsonNode> lines(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    byte[] all = Files.readAllBytes(file);
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        byte[] line = java.util.Arrays.copyOfRange(all, start, i + 1);
        out.add(Lines.parse(line));
        start = i + 1;
      }
    }
    assertThat(start).as("file ends with a complete line").isEqualTo(all.length);
    return out;
  }

  @Test
  void propertiesFromLogbackXmlShapeTheLine() throws Exception {
    Path file = dir.resolve("app.json");
    Logger log = configure("logback-file.xml", file);
    MDC.put("internal", "hidden");
    MDC.put("tenant", "acme");
    try {
      log.atInfo().addKeyValue("orderId", 42).log("order placed");
    } finally {
      MDC.clear();
    }
    context.stop();
    JsonNode n = lines(file).get(0);
    assertThat(n.get("log.level").asString()).isEqualTo("INFO");
    assertThat(n.get("service.name").asString()).isEqualTo("orders");
    assertThat(n.get("region").asString()).isEqualTo("eu-west-1");
    assertThat(n.get("orderId").asInt()).isEqualTo(42);
    assertThat(n.get("tenant").asString()).isEqualTo("acme");
    assertThat(n.has("internal")).isFalse();
  }

  @Test
  void manyThreadsBehindAsyncAppenderGetWholeLinesWithTheirOwnTraceIds() throws Exception {
    Path file = dir.resolve("async.json");
    Logger log = configure("logback-async.xml", file);
    int threads = 4;
    int perThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    ConcurrentHashMap<String, String> expected = new ConcurrentHashMap<>();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  TraceContext c = TraceContext.newRoot(true);
                  String id = Thread.currentThread().getName() + "-" + i;
                  expected.put(id, c.traceIdHex());
                  try (Scope ignored = c.makeCurrent()) {
                    log.info("event {} {}", id, "x".repeat(i % 300));
                  }
                }
              }));
    }
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    context.stop(); // drains the AsyncAppender
    List<JsonNode> lines = lines(file);
    assertThat(lines).hasSize(threads * perThread);
    for (JsonNode n : lines) {
      String id = n.get("message").asString().split(" ")[1];
      assertThat(n.get("traceId").asString()).as(id).isEqualTo(expected.get(id));
    }
    assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).isNotEmpty();
  }

  @Test
  void plainTextConvertersWriteIdsAndEscapeLineBreaks() throws Exception {
    Path file = dir.resolve("app.log");
    Logger log = configure("logback-text.xml", file);
    TraceContext ctx = TraceContext.newRoot(true);
    try (Scope ignored = ctx.makeCurrent()) {
      log.info("line one\nINFO forged line\u001b[31m");
    }
    context.stop();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .isEqualTo(
            "INFO  trace=" + ctx.traceIdHex() + " span=" + ctx.spanIdHex()
                + " - line one\\nINFO forged line\\u001b[31m");
  }
}
