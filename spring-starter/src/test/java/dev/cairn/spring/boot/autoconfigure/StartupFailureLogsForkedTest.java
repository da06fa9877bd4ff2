package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A forked JVM whose application fails to start and whose {@code main} then ends: the JVM exits
 * at once, and the failed start-up's lines, Boot's failure report included, still reach the
 * loopback OTLP receiver (flushed by the shutdown hook, within its bound).
 */
class StartupFailureLogsForkedTest {
  private final List<String> received = new CopyOnWriteArrayList<>();
  private HttpServer receiver;
  private Process process;

  /** The forked application: a bean that logs why it cannot start, then fails. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  public static class BrokenMain {
    @Bean
    Object ledger() {
      LoggerFactory.getLogger("shop.ledger").error("ledger database unreachable at db:5432");
      throw new IllegalStateException("ledger unavailable");
    }

    public static void main(String[] args) {
      SpringApplication.run(BrokenMain.class, args);
    }
  }

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/v1/logs",
        exchange -> {
          byte[] raw = exchange.getRequestBody().readAllBytes();
          if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            raw = new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes();
          }
          JsonNode body = JsonMapper.builder().build().readTree(new String(raw, StandardCharsets.UTF_8));
          for (JsonNode record : body.findValues("logRecords")) {
            for (JsonNode r : record) {
              received.add(r.path("body").path("stringValue").asString());
            }
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
    receiver.stop(0);
  }

  @Test
  void theFailedStartupsLinesAreExportedBeforeTheJvmExits(@TempDir Path dir)
      throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(
        java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), BrokenMain.class.getName(),
        "--spring.main.web-application-type=none",
        "--spring.main.banner-mode=off",
        "--cairn.export.logs.endpoint=http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/logs",
        "--cairn.export.traces.enabled=false",
        // Longer than the test: only closing the pipeline on the failure path sends the lines.
        "--cairn.export.flush-interval=10m"));
    File out = dir.resolve("out.txt").toFile();
    process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the JVM exits").isTrue();
    assertThat(process.exitValue()).isNotZero();
    assertThat(received)
        .as("received; the process wrote:%n%s", Files.readString(out.toPath()))
        .containsSubsequence("ledger database unreachable at db:5432", "Application run failed");
  }
}
