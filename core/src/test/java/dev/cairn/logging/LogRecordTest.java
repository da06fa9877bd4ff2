package dev.cairn.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogRecordTest {
  @Test
  void builder_whenReusedAfterBuild_leavesTheFirstRecordAsItWas() {
    LogRecord.Builder b = LogRecord.builder().mdc("a", "1").attribute("n", 1).tag("t1");
    LogRecord first = b.build();

    LogRecord second = b.mdc("b", "2").attribute("m", 2).tag("t2").build();

    assertThat(first.mdc()).containsExactly(java.util.Map.entry("a", "1"));
    assertThat(first.attributes()).containsOnlyKeys("n");
    assertThat(first.tags()).containsExactly("t1");
    assertThat(second.mdc()).containsOnlyKeys("a", "b");
    assertThat(second.attributes()).containsOnlyKeys("n", "m");
    assertThat(second.tags()).containsExactly("t1", "t2");
  }

  @Test
  void record_withoutEntries_hasEmptyUnmodifiableCollections() {
    LogRecord r = LogRecord.builder().message("m").build();

    assertThat(r.mdc()).isEmpty();
    assertThat(r.attributes()).isEmpty();
    assertThat(r.tags()).isEmpty();
    assertThatThrownBy(() -> r.mdc().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void record_collections_cannotBeChangedThroughTheRecord() {
    LogRecord r = LogRecord.builder().mdc("a", "1").attribute("n", 1).tag("t").build();

    assertThatThrownBy(() -> r.mdc().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.attributes().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.tags().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }
}
