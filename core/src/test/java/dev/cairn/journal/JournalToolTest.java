package dev.cairn.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The command-line reader; its JSON lines are parsed with Jackson. */
class JournalToolTest {
  @TempDir Path dir;
  private final ObjectMapper mapper = new ObjectMapper();
  private int status;

  private List<JsonNode> run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    status = JournalTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty()) {
        lines.add(mapper.readTree(line));
      }
    }
    return lines;
  }

  @Test
  void dumpPrintsOneJsonObjectPerEvent() {
    Path j1 = dir.resolve("j");
    try (Journal j = Journal.builder(j1).nodeId("n1").build()) {
      j.appendJson("Deposited", "acct-1", Map.of("amount", 100, "note", "a\u2028b"));
      j.append("Raw", "", new byte[] {1, 2, 3});
      j.append("Note", "", "héllo", Codec.utf8());
    }
    List<JsonNode> lines = run("dump", j1.toString());
    assertThat(status).isZero();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0).get("type").asString()).isEqualTo("Deposited");
    assertThat(lines.get(0).get("payload").get("amount").asInt()).isEqualTo(100);
    assertThat(lines.get(0).get("payload").get("note").asString()).isEqualTo("a\u2028b");
    assertThat(lines.get(0).get("hlc").asString()).endsWith("@n1");
    assertThat(lines.get(1).get("payloadBase64").asString()).isEqualTo("AQID");
    assertThat(lines.get(2).get("payloadText").asString()).isEqualTo("héllo");
  }

  @Test
  void verifyReportsMidFileCorruptionWithSegmentAndOffsetAndFails() throws Exception {
    Path j1 = dir.resolve("j");
    long victim;
    try (Journal j = Journal.builder(j1).build()) {
      for (int i = 0; i < 10; i++) {
        j.append("E", "", new byte[30]);
      }
      try (EventIterator it = j.read(4)) {
        victim = it.next().offset();
      }
    }
    assertThat(run("verify", j1.toString()).get(0).get("verify").get("ok").asBoolean()).isTrue();
    assertThat(status).isZero();
    JournalDamageTest.flipBit(j1.resolve("00000000000000000000.cjnl"), victim + 100, 0);
    List<JsonNode> lines = run("verify", j1.toString());
    assertThat(status).isEqualTo(1);
    JsonNode c = lines.get(0).get("corruption");
    assertThat(c.get("segment").asString()).isEqualTo("00000000000000000000.cjnl");
    assertThat(c.get("offset").asLong()).isEqualTo(victim);
    assertThat(c.get("reason").asString()).isEqualTo("crc mismatch");
    JsonNode summary = lines.get(lines.size() - 1).get("verify");
    assertThat(summary.get("records").asLong()).isEqualTo(9);
    assertThat(summary.get("ok").asBoolean()).isFalse();
  }

  @Test
  void replayPrintsVersionsAndTheLostUpdate() {
    Path j1 = dir.resolve("j");
    try (Journal j = Journal.builder(j1).build()) {
      j.append(NewEvent.builder("Deposited").key("acct").expectedVersion(0).build());
      j.append(NewEvent.builder("Withdrawn").key("acct").expectedVersion(1).build());
      j.append(NewEvent.builder("Withdrawn").key("acct").expectedVersion(1).build());
    }
    List<JsonNode> lines = run("replay", j1.toString());
    assertThat(lines.get(2).get("version").asLong()).isEqualTo(3);
    JsonNode lost = lines.get(3).get("lostUpdate");
    assertThat(lost.get("firstPosition").asLong()).isEqualTo(1);
    assertThat(lost.get("lostPosition").asLong()).isEqualTo(2);
    assertThat(lines.get(4).get("replay").get("lostUpdates").asInt()).isEqualTo(1);
  }

  @Test
  void mergeOrdersTwoServicesCausallyThroughTheHlcHeader() {
    // Service B's wall clock is 30 s behind A's; a call from A to B carries A's clock.
    long now = 10_000_000_000L;
    HybridClock clockA = HybridClock.create("svc-a", () -> now, 60_000);
    HybridClock clockB = HybridClock.create("svc-b", () -> now - 30_000, 60_000);
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    try (Journal ja = Journal.builder(a).clock(clockA).build();
        Journal jb = Journal.builder(b).clock(clockB).build()) {
      jb.append("Early", "", new byte[0]);
      ja.append("OrderPlaced", "o-1", new byte[0]);
      String header = clockA.sendHeader(); // A -> B: cairn-hlc header
      assertThat(clockB.receive(header)).isTrue();
      jb.append("PaymentTaken", "o-1", new byte[0]);
    }
    List<JsonNode> lines = run("merge", a.toString(), b.toString());
    assertThat(lines).extracting(n -> n.get("type").asString()).containsExactly("Early", "OrderPlaced", "PaymentTaken");
  }

  @Test
  void usageErrorsExitWithTwo() {
    run("explode", dir.toString());
    assertThat(status).isEqualTo(2);
    run("dump");
    assertThat(status).isEqualTo(2);
  }
}
