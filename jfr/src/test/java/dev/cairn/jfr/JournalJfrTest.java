package dev.cairn.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.journal.Appended;
import dev.cairn.journal.Journal;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalJfrTest {
  @TempDir Path dir;

  @Test
  void eachAppendIsACairnJournalAppendEventInTheRecording() {
    Appended[] last = new Appended[1];
    List<RecordedEvent> events =
        Recordings.record(
            r -> Recordings.all(r, "cairn.JournalAppend"),
            () -> {
              try (Journal j = Journal.builder(dir).name("orders").nodeId("n1").listener(JournalJfr.appendListener()).build()) {
                j.append("OrderPlaced", "order-1", new byte[10]);
                last[0] = j.append("OrderPaid", "order-1", new byte[10]);
              }
            });
    List<RecordedEvent> appends = Recordings.named(events, "cairn.JournalAppend");
    assertThat(appends).hasSize(2);
    RecordedEvent paid = appends.get(1);
    assertThat(paid.getString("journal")).isEqualTo("orders");
    assertThat(paid.getString("type")).isEqualTo("OrderPaid");
    assertThat(paid.getString("key")).isEqualTo("order-1");
    assertThat(paid.getLong("position")).isEqualTo(1);
    assertThat(paid.getInt("bytes")).isGreaterThan(10);
    assertThat(paid.getString("hlc")).isEqualTo((last[0].hlc() >>> 16) + "." + (last[0].hlc() & 0xFFFF));
  }
}
