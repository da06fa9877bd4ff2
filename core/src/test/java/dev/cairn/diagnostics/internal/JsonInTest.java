package dev.cairn.diagnostics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

class JsonInTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  @Test
  void readsWhatJacksonWrites() {
    Map<String, Object> doc =
        Map.of(
            "s", "a\"b\\c\n\u2028\u0001 ü 😀",
            "n", 42L,
            "d", 1.5e-3,
            "t", true,
            "l", List.of("x", 2L, false),
            "o", Map.of("k", "v"));
    String json = JACKSON.writeValueAsString(doc);

    assertThat(JsonIn.parse(json)).isEqualTo(doc);
  }

  @Test
  void writerOutputIsReadBackByJacksonAndByTheParser() {
    JsonOut w = new JsonOut();
    w.beginObject().field("a", "x\u2029y\ud800").name("b").beginArray().value(1).value(2.5).nullValue().endArray().endObject();

    Object mine = JsonIn.parse(w.toString());
    Map<?, ?> jackson = JACKSON.readValue(w.toString(), Map.class);

    assertThat(((Map<?, ?>) mine).get("a")).isEqualTo(jackson.get("a"));
    assertThat(((List<?>) ((Map<?, ?>) mine).get("b")).get(2)).isSameAs(JsonIn.NULL);
  }

  @Test
  void rejectsMalformedInputWithTheOffset() {
    assertThatThrownBy(() -> JsonIn.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate member name");
    assertThatThrownBy(() -> JsonIn.parse("[1,]")).hasMessageContaining("offset 3");
    assertThatThrownBy(() -> JsonIn.parse("\"\u0001\"")).hasMessageContaining("control character");
    assertThatThrownBy(() -> JsonIn.parse("01")).hasMessageContaining("after the value");
    assertThatThrownBy(() -> JsonIn.parse("[".repeat(100) + "]".repeat(100))).hasMessageContaining("nesting deeper");
    assertThatThrownBy(() -> JsonIn.parse("")).hasMessageContaining("end of input");
  }

  @Test
  void writerRefusesToGrowPastItsBudget() {
    JsonOut w = new JsonOut(64);
    w.beginArray();

    assertThatThrownBy(() -> {
      for (int i = 0; i < 100; i++) {
        w.value("0123456789");
      }
    }).isInstanceOf(JsonOut.TooLargeException.class);
    assertThat(w.size()).isLessThan(64 + 16);
  }
}
