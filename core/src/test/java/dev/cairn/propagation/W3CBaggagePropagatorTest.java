package dev.cairn.propagation;

import static dev.cairn.propagation.PropagationTesting.extract;
import static dev.cairn.propagation.PropagationTesting.inject;
import static dev.cairn.propagation.PropagationTesting.reasons;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.context.Baggage;
import dev.cairn.context.TraceContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class W3CBaggagePropagatorTest {
  final Propagator baggage = Propagators.w3cBaggage();

  Baggage read(String header) {
    return extract(baggage, "baggage", header).baggage();
  }

  @Test
  void extract_specExample_readsKeysAndValues() {
    Baggage b = read("userId=alice,serverNode=DF%2028,isProduction=false");
    assertThat(b.asMap()).containsExactly(
        Map.entry("userId", "alice"), Map.entry("serverNode", "DF 28"), Map.entry("isProduction", "false"));
  }

  @Test
  void extract_percentEncodedUtf8_isDecoded() {
    assertThat(read("name=%E2%9C%93%20ok").getOrDefault("name", "")).isEqualTo("\u2713 ok");
  }

  @Test
  void extract_propertiesAreKeptAsText() {
    Baggage b = read("key1=value1;property1;property2, key2 = value2 ;ttl=60");
    assertThat(b.propertiesAt(0)).isEqualTo("property1;property2");
    assertThat(b.getOrDefault("key2", "")).isEqualTo("value2");
    assertThat(b.properties("key2")).isEqualTo("ttl=60");
  }

  @Test
  void extract_invalidMember_isSkippedOthersKept() {
    assertThat(read("a=1,b c=2,d=4").asMap()).containsOnlyKeys("a", "d");
    assertThat(reasons(baggage, "baggage", "a=1,b c=2,d=4")).containsExactly("invalid_member");
  }

  @Test
  void extract_badPercentEscape_isSkipped() {
    assertThat(reasons(baggage, "baggage", "a=%zz,b=%4")).containsExactly("invalid_percent_encoding", "invalid_percent_encoding");
    assertThat(read("a=%zz,b=2").asMap()).containsOnlyKeys("b");
  }

  @Test
  void extract_valueWithForbiddenCharacter_isSkipped() {
    assertThat(read("a=x\"y,b=2").asMap()).containsOnlyKeys("b");
  }

  @Test
  void extract_duplicateKey_keepsLastValue() {
    assertThat(read("a=1,b=2,a=3").asMap()).containsExactly(Map.entry("a", "3"), Map.entry("b", "2"));
  }

  @Test
  void extract_65thMember_isDroppedAndCounted() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 65; i++) {
      sb.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
    }
    Baggage b = read(sb.toString());
    assertThat(b.size()).isEqualTo(64);
    assertThat(b.get("k64")).isEmpty();
    assertThat(reasons(baggage, "baggage", sb.toString())).containsExactly("too_many_members");
  }

  @Test
  void extract_mibHeader_readsAtMost8192AndNeverKeepsThePartialMember() {
    String big = "a=1,b=" + "x".repeat(1 << 20);
    assertThat(read(big).asMap()).containsOnlyKeys("a");
    assertThat(reasons(baggage, "baggage", big)).containsExactly("too_long");
  }

  @Test
  void extract_memberEndingExactlyAtTheLimit_isKept() {
    String v = "x".repeat(Baggage.MAX_HEADER_BYTES - 2);
    assertThat(read("a=" + v).getOrDefault("a", "")).hasSize(Baggage.MAX_HEADER_BYTES - 2);
  }

  @Test
  void extract_severalHeaders_combine() {
    Map<String, List<String>> m = new HashMap<>();
    m.put("baggage", List.of("a=1", "b=2"));
    TraceContext c = baggage.extract(TraceContext.empty(), m, Carriers.multiMapGetter());
    assertThat(c.baggage().asMap()).containsOnlyKeys("a", "b");
  }

  @Test
  void extract_addsToTheBaseContextsBaggage() {
    TraceContext base = TraceContext.empty().withBaggage(Baggage.empty().with("tenant", "acme").with("a", "old"));
    TraceContext c = baggage.extract(base, PropagationTesting.headers("baggage", "a=new"), Carriers.mapGetter());
    assertThat(c.baggage().asMap()).containsExactly(Map.entry("tenant", "acme"), Map.entry("a", "new"));
  }

  @Test
  void extract_onlyEmptyMembers_returnsBase() {
    TraceContext base = TraceContext.empty();
    assertThat(baggage.extract(base, PropagationTesting.headers("baggage", " , ,"), Carriers.mapGetter())).isSameAs(base);
  }

  @Test
  void inject_percentEncodesValuesAndKeepsProperties() {
    Baggage b = Baggage.empty().with("user", "a b,c;d%\u2713").with("k", "v", "ttl=60");
    Map<String, String> out = inject(baggage, TraceContext.empty().withBaggage(b));
    assertThat(out.get("baggage")).isEqualTo("user=a%20b%2Cc%3Bd%25%E2%9C%93,k=v;ttl=60");
  }

  @Test
  void inject_unsafePropertyText_isLeftOut() {
    Baggage b = Baggage.empty().with("k", "v", "x\r\nInjected: 1");
    assertThat(inject(baggage, TraceContext.empty().withBaggage(b)).get("baggage")).isEqualTo("k=v");
  }

  @Test
  void inject_over8192Bytes_dropsWholeMembers() {
    Baggage b = Baggage.empty();
    for (int i = 0; i < 10; i++) {
      b = b.with("k" + i, "v".repeat(1000));
    }
    String header = inject(baggage, TraceContext.empty().withBaggage(b)).get("baggage");
    assertThat(header.length()).isLessThanOrEqualTo(Baggage.MAX_HEADER_BYTES);
    assertThat(header.split(",")).hasSize(8).allSatisfy(m -> assertThat(m).endsWith("v".repeat(1000)));
  }

  @Test
  void roundTrip_keepsEveryValue() {
    Baggage b = Baggage.empty().with("a", "=;,% \u00e9\u4e2d").with("b", "plain", "p1;p2=x");
    Map<String, String> out = inject(baggage, TraceContext.empty().withBaggage(b));
    assertThat(baggage.extract(TraceContext.empty(), out, Carriers.mapGetter()).baggage()).isEqualTo(b);
  }
}
