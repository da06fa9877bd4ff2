package dev.cairn.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.internal.SelfCounters;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Jackson is the oracle: whatever the writer emits must parse back to what was written. */
class JsonWriterTest {
  private static final JsonMapper STRICT =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static JsonNode parse(JsonWriter w) {
    return STRICT.readTree(strictUtf8(w.toByteArray()));
  }

  /** Decodes with REPORT on malformed input, so invalid UTF-8 fails the test. */
  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("output is not valid UTF-8", e);
    }
  }

  private static String written(String s) {
    return new JsonWriter().value(s).toString();
  }

  /** What a string must read back as: lone surrogates become U+FFFD, pairs stay. */
  private static String expectedRoundTrip(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        b.append('\uFFFD');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  @Test
  void writesNestedObjectsAndArraysWithCommasInTheRightPlaces() {
    JsonWriter w = new JsonWriter(16);
    w.beginObject()
        .field("a", 1)
        .name("b")
        .beginArray()
        .value(true)
        .nullValue()
        .beginObject()
        .endObject()
        .beginArray()
        .endArray()
        .value("x")
        .endArray()
        .field("c", 2.5)
        .endObject();
    assertThat(w.toString()).isEqualTo("{\"a\":1,\"b\":[true,null,{},[],\"x\"],\"c\":2.5}");
    assertThat(parse(w).get("b").size()).isEqualTo(5);
  }

  @Test
  void escapesQuotesBackslashAndEveryC0ControlCharacter() {
    StringBuilder s = new StringBuilder("\"\\/");
    for (char c = 0; c < 0x20; c++) {
      s.append(c);
    }
    String out = written(s.toString());
    assertThat(out).startsWith("\"\\\"\\\\/\\u0000\\u0001");
    assertThat(out).contains("\\b", "\\t", "\\n", "\\f", "\\r", "\\u001f");
    for (int i = 1; i < out.length() - 1; i++) {
      assertThat(out.charAt(i)).isGreaterThanOrEqualTo(' ');
    }
    assertThat(STRICT.readTree(out).stringValue()).isEqualTo(s.toString());
  }

  @Test
  void escapesDelC1ControlsAndLineSeparatorsThatJsonWouldAllowRaw() {
    String s = "a\u007fb\u0085c\u009fd\u2028e\u2029f";
    String out = written(s);
    assertThat(out).isEqualTo("\"a\\u007fb\\u0085c\\u009fd\\u2028e\\u2029f\"");
    assertThat(STRICT.readTree(out).stringValue()).isEqualTo(s);
  }

  @Test
  void keepsSurrogatePairsAsFourByteUtf8() {
    String s = "emoji \uD83D\uDE00 done";
    JsonWriter w = new JsonWriter().value(s);
    assertThat(w.toByteArray()).containsSequence((byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80);
    assertThat(parse(w).stringValue()).isEqualTo(s);
  }

  @Test
  void replacesLoneSurrogatesWithReplacementCharacterAndCountsThem() {
    long before = SelfCounters.GLOBAL.total("cairn.json.replaced");
    String s = "a\uD800b\uDC00c\uD83D";
    JsonWriter w = new JsonWriter().value(s);
    assertThat(parse(w).stringValue()).isEqualTo("a\uFFFDb\uFFFDc\uFFFD");
    assertThat(SelfCounters.GLOBAL.total("cairn.json.replaced") - before).isEqualTo(3);
  }

  @Test
  void writesLongsIncludingExtremes() {
    long[] values = {0, 7, -7, 9, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000_007L};
    JsonWriter w = new JsonWriter().beginArray();
    for (long v : values) {
      w.value(v);
    }
    JsonNode n = parse(w.endArray());
    for (int i = 0; i < values.length; i++) {
      assertThat(n.get(i).longValue()).isEqualTo(values[i]);
    }
  }

  @Test
  void writesInt64AsDecimalStringsTheProto3Way() {
    JsonWriter w = new JsonWriter().beginArray();
    w.stringValue(-42).stringValue(Long.MAX_VALUE).unsignedStringValue(-1L).endArray();
    assertThat(w.toString())
        .isEqualTo("[\"-42\",\"9223372036854775807\",\"18446744073709551615\"]");
  }

  @Test
  void rendersNonFiniteDoublesAsTheirProto3JsonStrings() {
    JsonWriter w = new JsonWriter().beginArray();
    w.value(Double.NaN).value(Double.POSITIVE_INFINITY).value(Double.NEGATIVE_INFINITY).endArray();
    assertThat(w.toString()).isEqualTo("[\"NaN\",\"Infinity\",\"-Infinity\"]");
    parse(w);
  }

  @Test
  void writesHexIdsInLowerCase() {
    JsonWriter w = new JsonWriter().beginArray();
    w.hexValue(0xABCDEFL).hexValue(0x0123456789ABCDEFL, -1L).endArray();
    assertThat(w.toString())
        .isEqualTo("[\"0000000000abcdef\",\"0123456789abcdefffffffffffffffff\"]");
  }

  @Test
  void writesTopLevelValuesAsNdjsonLines() {
    JsonWriter w = new JsonWriter();
    w.beginObject().field("n", 1).endObject().newline();
    w.beginObject().field("n", 2).endObject().newline();
    assertThat(w.toString()).isEqualTo("{\"n\":1}\n{\"n\":2}\n");
  }

  @Test
  void rollbackTakesBackASpeculativelyWrittenElement() {
    JsonWriter w = new JsonWriter().beginArray().value(1);
    long mark = w.mark();
    w.beginObject().field("big", "x".repeat(100)).endObject();
    w.rollback(mark);
    w.value(2).endArray();
    assertThat(w.toString()).isEqualTo("[1,2]");
  }

  @Test
  void rollbackToBeforeTheFirstElementOmitsTheComma() {
    JsonWriter w = new JsonWriter().beginArray();
    long mark = w.mark();
    w.value(1);
    w.rollback(mark);
    w.value(2).endArray();
    assertThat(w.toString()).isEqualTo("[2]");
  }

  @Test
  void resetKeepsTheBufferAndStartsOver() {
    JsonWriter w = new JsonWriter(16);
    w.beginObject().field("k", "v".repeat(1000)).endObject();
    byte[] grown = w.buffer();
    w.reset().beginArray().endArray();
    assertThat(w.toString()).isEqualTo("[]");
    assertThat(w.buffer()).isSameAs(grown);
  }

  @Test
  void refusesStructuralMisuse() {
    assertThatThrownBy(() -> new JsonWriter().beginObject().value("no name"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginArray().name("x"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginObject().name("x").endObject())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().endArray()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void writesDeeplyNestedStructures() {
    JsonWriter w = new JsonWriter();
    for (int i = 0; i < 300; i++) {
      w.beginArray();
    }
    for (int i = 0; i < 300; i++) {
      w.endArray();
    }
    assertThat(w.depth()).isZero();
    assertThat(w.size()).isEqualTo(600);
  }

  @Test
  void writesStringsLongerThanOneChunk() {
    String s = ("\u0001\"é€\uD83D\uDE00").repeat(5_000);
    assertThat(STRICT.readTree(written(s)).stringValue()).isEqualTo(s);
  }

  @Test
  void appendQuotedFollowsTheSameRules() {
    String s = "q\"\\\n\u0000\u2028\uD800x\uD83D\uDE00";
    StringBuilder b = new StringBuilder();
    JsonWriter.appendQuoted(b, s);
    assertThat(b.toString()).isEqualTo(written(s));
  }

  /** Bounded fuzz (20,000 strings); every one must read back exactly, in valid UTF-8. */
  @Test
  void fuzz_everyRandomStringParsesBackToTheSameValue() {
    SplittableRandom rnd = new SplittableRandom(20261128L);
    JsonWriter w = new JsonWriter();
    for (int n = 0; n < 20_000; n++) {
      String s = randomString(rnd, rnd.nextInt(0, 64));
      w.reset().beginObject().field(s, s).endObject();
      JsonNode node = parse(w);
      String expected = expectedRoundTrip(s);
      assertThat(node.get(expected)).as("key of case %d", n).isNotNull();
      assertThat(node.get(expected).stringValue()).as("case %d", n).isEqualTo(expected);
    }
  }

  @Test
  void fuzz_everyRandomDoubleAndLongParsesBackToTheSameNumber() {
    SplittableRandom rnd = new SplittableRandom(42);
    JsonWriter w = new JsonWriter();
    for (int n = 0; n < 20_000; n++) {
      double d = Double.longBitsToDouble(rnd.nextLong());
      long l = rnd.nextLong() >> rnd.nextInt(64);
      w.reset().beginArray().value(d).value(l).endArray();
      JsonNode node = parse(w);
      if (Double.isFinite(d)) {
        assertThat(node.get(0).doubleValue()).as("%s", d).isEqualTo(d);
      } else {
        assertThat(node.get(0).isString()).isTrue();
      }
      assertThat(node.get(1).longValue()).isEqualTo(l);
    }
  }

  private static String randomString(SplittableRandom rnd, int len) {
    StringBuilder b = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      switch (rnd.nextInt(8)) {
        case 0:
          b.append((char) rnd.nextInt(0, 0x20)); // C0 controls
          break;
        case 1:
          b.append("\"\\/\u2028\u2029\u007f\u0085".charAt(rnd.nextInt(7)));
          break;
        case 2:
          b.append((char) rnd.nextInt(0xD800, 0xE000)); // surrogates, mostly lone
          break;
        case 3:
          b.appendCodePoint(rnd.nextInt(0x10000, 0x110000)); // a valid pair
          break;
        case 4:
          b.append((char) rnd.nextInt(0x80, 0x800));
          break;
        case 5:
          b.append((char) rnd.nextInt(0x800, 0x10000));
          break;
        default:
          b.append((char) rnd.nextInt(0x20, 0x7F));
      }
    }
    return b.toString();
  }
}
