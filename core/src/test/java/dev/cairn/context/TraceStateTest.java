package dev.cairn.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceStateTest {

  @Test
  void with_movesUpdatedKeyToTheFront() {
    TraceState s = TraceState.empty().with("a", "1").with("b", "2").with("a", "3");
    assertThat(s.toHeader()).isEqualTo("a=3,b=2");
  }

  @Test
  void with_dropsTheRightMostEntryBeyond32() {
    TraceState s = TraceState.empty();
    for (int i = 0; i < 33; i++) {
      s = s.with("k" + i, "v");
    }
    assertThat(s.size()).isEqualTo(32);
    assertThat(s.keyAt(0)).isEqualTo("k32");
    assertThat(s.get("k0")).isEmpty();
  }

  @Test
  void keyGrammar_acceptsLevel2Keys() {
    assertThat(TraceState.isValidKey("congo")).isTrue();
    assertThat(TraceState.isValidKey("a-b_c*d/e")).isTrue();
    assertThat(TraceState.isValidKey("1tenant@sys")).isTrue();
    assertThat(TraceState.isValidKey("t@" + "a".repeat(15))).isTrue();
    assertThat(TraceState.isValidKey("1simple")).isTrue();
    assertThat(TraceState.isValidKey("a@b@c")).isTrue();
    assertThat(TraceState.isValidKey("a".repeat(256))).isTrue();
  }

  @Test
  void keyGrammar_refusesUpperCaseLeadingSymbolAndOverlongKeys() {
    assertThat(TraceState.isValidKey("Congo")).isFalse();
    assertThat(TraceState.isValidKey("@foo")).isFalse();
    assertThat(TraceState.isValidKey("_foo")).isFalse();
    assertThat(TraceState.isValidKey("a".repeat(257))).isFalse();
    assertThat(TraceState.isValidKey("a b")).isFalse();
    assertThat(TraceState.isValidKey("")).isFalse();
  }

  @Test
  void valueGrammar_refusesCommaEqualsTrailingSpaceAndControlChars() {
    assertThat(TraceState.isValidValue("t61rcWkgMzE")).isTrue();
    assertThat(TraceState.isValidValue("a b")).isTrue();
    assertThat(TraceState.isValidValue("a,b")).isFalse();
    assertThat(TraceState.isValidValue("a=b")).isFalse();
    assertThat(TraceState.isValidValue("ab ")).isFalse();
    assertThat(TraceState.isValidValue("a\tb")).isFalse();
    assertThat(TraceState.isValidValue("a".repeat(257))).isFalse();
  }

  @Test
  void of_skipsInvalidEntries() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("ok", "1");
    m.put("BAD", "2");
    assertThat(TraceState.of(m).toHeader()).isEqualTo("ok=1");
  }
}
