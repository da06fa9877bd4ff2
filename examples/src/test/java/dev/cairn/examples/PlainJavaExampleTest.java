package dev.cairn.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.journal.JournalReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The plain-Java example, run as a user would, and what it promises to leave behind. */
class PlainJavaExampleTest {
  @TempDir static Path out;
  private static String printed;

  @BeforeAll
  static void runTheExample() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      PlainJavaExample.main(new String[] {out.toString()});
    } finally {
      System.setOut(original);
    }
    printed = captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void exportsBothServerSpansAsNdjsonInTheCallersTrace() throws Exception {
    List<String> lines = Files.readAllLines(out.resolve("spans.ndjson"));
    JsonMapper json = JsonMapper.builder().build();
    List<JsonNode> spans = lines.stream().map(json::readTree).toList();

    assertThat(spans).filteredOn(s -> s.toString().contains("POST /orders")).hasSize(2);
    assertThat(spans.stream().map(s -> s.toString().replaceAll(".*\"traceId\":\"(\\w+)\".*", "$1"))
        .distinct()).hasSize(1);
  }

  @Test
  void explainsTheContendedRequestByTheLockItWaitedFor() {
    assertThat(printed).containsPattern("why slow: .*LOCK_WAIT.*ledger-reindex");
  }

  @Test
  void leavesABlackBoxRecording() throws Exception {
    try (Stream<Path> files = Files.list(out.resolve("blackbox"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".jfr"))).isNotEmpty();
    }
  }

  @Test
  void journalsBothOrders() throws Exception {
    assertThat(JournalReader.open(out.resolve("journal")).records()).isEqualTo(2);
  }

  @Test
  void printsTheDiagnosticsAddressOnLoopback() {
    assertThat(printed).containsPattern("diagnostics: http://127\\.0\\.0\\.1:\\d+/");
  }
}
