package dev.cairn.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class JournalRoundTripTest {
  @TempDir Path dir;

  static List<Event> readAll(EventIterator it) {
    List<Event> out = new ArrayList<>();
    try (it) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void eventsReadBackWithEveryFieldAfterReopen() throws Exception {
    TraceContext ctx = TraceContext.newRoot(true).withCorrelationId("req-7");
    Appended first;
    Appended second;
    try (Journal j = Journal.builder(dir).nodeId("orders-1").fsync(FsyncPolicy.never()).build();
        Scope ignored = ctx.makeCurrent()) {
      first = j.append("Opened", "acct-1", "hello".getBytes(StandardCharsets.UTF_8));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("amount", 30);
      body.put("note", "line\nbreak \"quoted\"");
      second =
          j.append(
              NewEvent.builder("Withdrawn")
                  .key("acct-1")
                  .json(body)
                  .causedBy(first.id())
                  .expectedVersion(1)
                  .build());
    }
    assertThat(first.position()).isZero();
    assertThat(second.position()).isEqualTo(1);

    try (Journal j = Journal.builder(dir).nodeId("orders-1").build()) {
      List<Event> events = readAll(j.read(0));
      assertThat(events).hasSize(2);
      Event a = events.get(0);
      assertThat(a.type()).isEqualTo("Opened");
      assertThat(a.key()).isEqualTo("acct-1");
      assertThat(a.payloadText()).isEqualTo("hello");
      assertThat(a.id()).isEqualTo(first.id());
      assertThat(a.hlc().packed()).isEqualTo(first.hlc());
      assertThat(a.hlc().nodeId()).isEqualTo("orders-1");
      assertThat(a.traceIdHex()).isEqualTo(ctx.traceIdHex());
      assertThat(a.spanIdHex()).isEqualTo(ctx.spanIdHex());
      assertThat(a.correlationId()).isEqualTo("req-7");
      Event b = events.get(1);
      assertThat(b.format()).isEqualTo(PayloadFormat.JSON);
      assertThat(b.causedBy()).containsExactly(first.id());
      assertThat(b.expectedVersion()).isEqualTo(1);
      JsonNode json = new ObjectMapper().readTree(b.payloadText());
      assertThat(json.get("amount").asInt()).isEqualTo(30);
      assertThat(json.get("note").asString()).isEqualTo("line\nbreak \"quoted\"");
      assertThat(j.append("Closed", "acct-1", new byte[0]).position()).isEqualTo(2);
    }
  }

  @Test
  void codecPayloadRoundTrips() {
    try (Journal j = Journal.builder(dir).build()) {
      j.append("Note", "", "grüße", Codec.utf8());
      Event e = readAll(j.read(0)).get(0);
      assertThat(e.payload(Codec.utf8())).isEqualTo("grüße");
      assertThat(e.format()).isEqualTo(PayloadFormat.TEXT);
      assertThat(e.traceIdHex()).isEmpty();
    }
  }

  @Test
  void codecThatThrowsIsACountedDropNotAnException() {
    Codec<String> broken =
        new Codec<>() {
          @Override
          public byte[] encode(String value) {
            throw new IllegalStateException("boom");
          }

          @Override
          public String decode(byte[] bytes) {
            return "";
          }
        };
    try (Journal j = Journal.builder(dir).build()) {
      Appended a = j.append("Note", "", "x", broken);
      assertThat(a.accepted()).isFalse();
      assertThat(j.stats().dropped()).isEqualTo(1);
      assertThat(j.append("Note", "", new byte[1]).position()).isZero();
    }
  }

  @Test
  void appendAfterCloseIsDroppedAndCounted() {
    Journal j = Journal.builder(dir).build();
    j.close();
    assertThat(j.append("Late", "", new byte[0]).accepted()).isFalse();
    assertThat(j.stats().dropped()).isEqualTo(1);
  }

  @Test
  void alwaysPolicyAcknowledgesDurableAppends() {
    try (Journal j = Journal.builder(dir).fsync(FsyncPolicy.always()).build()) {
      Appended a = j.append("E", "", new byte[10]);
      assertThat(a.durable()).isTrue();
      assertThat(j.durablePosition()).isGreaterThanOrEqualTo(a.position());
    }
  }

  @Test
  void oversizedRecordIsDroppedAndCounted() {
    try (Journal j = Journal.builder(dir).maxRecordBytes(1024).build()) {
      assertThat(j.append("Big", "", new byte[4096]).accepted()).isFalse();
      assertThat(j.stats().dropped()).isEqualTo(1);
    }
  }

  @Test
  void rollsSegmentsAndSeeksByPositionAndHlc() {
    List<Appended> acks = new ArrayList<>();
    try (Journal j = Journal.builder(dir).segmentBytes(4096).retainBytes(0).build()) {
      for (int i = 0; i < 500; i++) {
        acks.add(j.append("E", "k" + (i % 7), new byte[40]));
      }
      assertThat(j.stats().segments()).isGreaterThan(5);
      List<Event> fromMiddle = readAll(j.read(321));
      assertThat(fromMiddle).hasSize(179);
      assertThat(fromMiddle.get(0).position()).isEqualTo(321);
      Hlc at = Hlc.of(acks.get(400).hlc() >>> 16, (int) (acks.get(400).hlc() & 0xFFFF), "x");
      List<Event> fromTime = readAll(j.readFrom(at));
      assertThat(fromTime.get(0).position()).isEqualTo(400);
      assertThat(fromTime).hasSize(100);
    }
  }

  @Test
  void nonAsciiTypeKeyAndCorrelationIdRoundTrip() {
    TraceContext ctx = TraceContext.newRoot(true).withCorrelationId("req-ü");
    try (Journal j = Journal.builder(dir).build(); Scope ignored = ctx.makeCurrent()) {
      j.append("Überweisung", "konto-ß-😀", new byte[] {7});
      j.append("Plain", "k", new byte[] {8});
      List<Event> events = readAll(j.read(0));
      assertThat(events.get(0).type()).isEqualTo("Überweisung");
      assertThat(events.get(0).key()).isEqualTo("konto-ß-😀");
      assertThat(events.get(0).correlationId()).isEqualTo("req-ü");
      assertThat(events.get(1).type()).isEqualTo("Plain");
      assertThat(events.get(1).payload()).containsExactly(8);
    }
  }
}
