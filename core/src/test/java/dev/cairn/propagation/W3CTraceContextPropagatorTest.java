package dev.cairn.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.context.TraceContext;
import dev.cairn.context.TraceState;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class W3CTraceContextPropagatorTest {
  static final String TP = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  final Propagator w3c = Propagators.w3cTraceContext();

  static Map<String, String> headers(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  TraceContext extract(String... kv) {
    return w3c.extract(TraceContext.empty(), headers(kv), Carriers.mapGetter());
  }

  List<String> reasons(Map<String, String> carrier) {
    List<String> out = new ArrayList<>();
    for (Extraction.Rejection r : w3c.explain(TraceContext.empty(), carrier, Carriers.mapGetter()).rejections()) {
      out.add(r.reason());
    }
    return out;
  }

  @Test
  void extract_specExampleSampled_readsEveryField() {
    TraceContext c = extract("traceparent", TP);
    assertThat(c.traceIdHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(c.spanIdHex()).isEqualTo("00f067aa0ba902b7");
    assertThat(c.isSampled()).isTrue();
    assertThat(c.isRemote()).isTrue();
    assertThat(c.parentSpanId()).isZero();
  }

  @Test
  void extract_specExampleNotSampled_clearsSampled() {
    assertThat(extract("traceparent", TP.replace("-01", "-00")).isSampled()).isFalse();
  }

  @Test
  void extract_whenRandomFlagSet_keepsIt() {
    TraceContext c = extract("traceparent", TP.replace("-01", "-03"));
    assertThat(c.isRandomTraceId()).isTrue();
    assertThat(c.isSampled()).isTrue();
  }

  @Test
  void extract_whenUnknownFlagsSet_zeroesThem() {
    assertThat(extract("traceparent", TP.replace("-01", "-ff")).traceFlags()).isEqualTo(0x03);
  }

  @Test
  void extract_whenVersionIsFf_rejects() {
    assertThat(reasons(headers("traceparent", "ff" + TP.substring(2)))).containsExactly("version_ff");
  }

  @Test
  void extract_whenTraceIdAllZero_rejects() {
    String tp = "00-00000000000000000000000000000000-00f067aa0ba902b7-01";
    assertThat(reasons(headers("traceparent", tp))).containsExactly("trace_id_zero");
  }

  @Test
  void extract_whenParentIdAllZero_rejects() {
    String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01";
    assertThat(reasons(headers("traceparent", tp))).containsExactly("parent_id_zero");
  }

  @Test
  void extract_whenTraceIdUpperCase_rejects() {
    String tp = "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01";
    assertThat(reasons(headers("traceparent", tp))).containsExactly("trace_id_invalid");
  }

  @Test
  void extract_whenParentIdUpperCase_rejects() {
    String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01";
    assertThat(reasons(headers("traceparent", tp))).containsExactly("parent_id_invalid");
  }

  @Test
  void extract_whenVersionUpperCase_rejects() {
    assertThat(reasons(headers("traceparent", "0A" + TP.substring(2)))).containsExactly("version_invalid");
  }

  @Test
  void extract_whenFlagsUpperCase_rejects() {
    assertThat(reasons(headers("traceparent", TP.replace("-01", "-0A")))).containsExactly("flags_invalid");
  }

  @Test
  void extract_whenVersion00HasTrailingText_rejects() {
    assertThat(reasons(headers("traceparent", TP + "-what"))).containsExactly("length");
  }

  @Test
  void extract_whenHigherVersionHas54Chars_restarts() {
    assertThat(reasons(headers("traceparent", "01" + TP.substring(2, 54)))).containsExactly("length");
  }

  @Test
  void extract_whenHigherVersionHas55Chars_parses() {
    TraceContext c = extract("traceparent", "01" + TP.substring(2));
    assertThat(c.isValid()).isTrue();
    assertThat(c.traceIdHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void extract_whenHigherVersionHasMoreFieldsAfterDash_parses() {
    TraceContext c = extract("traceparent", "cc" + TP.substring(2) + "-what-the-future-will-be-like");
    assertThat(c.isValid()).isTrue();
    assertThat(c.isSampled()).isTrue();
  }

  @Test
  void extract_whenHigherVersionHasNoDashAfterFlags_rejects() {
    assertThat(reasons(headers("traceparent", "cc" + TP.substring(2) + "what"))).containsExactly("length");
  }

  @Test
  void extract_whenTraceparentRepeated_rejects() {
    Map<String, List<String>> m = new HashMap<>();
    m.put("traceparent", List.of(TP, TP.replace("-01", "-00")));
    Extraction e = w3c.explain(TraceContext.empty(), m, Carriers.multiMapGetter());
    assertThat(e.context().isValid()).isFalse();
    assertThat(e.rejections()).extracting(Extraction.Rejection::reason).containsExactly("traceparent_repeated");
  }

  @Test
  void extract_whenHeaderNameMixedCase_finds() {
    assertThat(extract("TraceParent", TP).isValid()).isTrue();
  }

  @Test
  void extract_whenDelimiterWrong_rejects() {
    assertThat(reasons(headers("traceparent", TP.replace("-00f", "_00f")))).containsExactly("delimiter");
  }

  @Test
  void extract_whenRejected_countsByReason() {
    SelfCounter c = SelfCounters.GLOBAL.counter(Reason.COUNTER, "", "", "format", "w3c-tracecontext", "reason", "version_ff");
    long before = c.count();
    extract("traceparent", "ff" + TP.substring(2));
    assertThat(c.count()).isEqualTo(before + 1);
  }

  @Test
  void extract_whenTraceparentInvalid_ignoresTracestate() {
    TraceContext c = extract("traceparent", "ff" + TP.substring(2), "tracestate", "a=1");
    assertThat(c).isSameAs(TraceContext.empty());
  }

  @Test
  void extract_keepsBaseBaggageAndCorrelationId() {
    TraceContext base = TraceContext.builder().correlationId("req-1").build();
    TraceContext c = w3c.extract(base, headers("traceparent", TP), Carriers.mapGetter());
    assertThat(c.correlationIdOrEmpty()).isEqualTo("req-1");
  }

  @Test
  void tracestate_specExample_keepsOrderAndExactHeader() {
    TraceContext c = extract("traceparent", TP, "tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
    assertThat(c.traceState().keyAt(0)).isEqualTo("rojo");
    assertThat(c.traceState().get("congo")).isEqualTo("t61rcWkgMzE");
    assertThat(c.traceState().toHeader()).isEqualTo("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  }

  @Test
  void tracestate_emptyAndWhitespaceMembers_areSkipped() {
    TraceContext c = extract("traceparent", TP, "tracestate", " , a=1 ,\t, b=2,,");
    assertThat(c.traceState().toHeader()).isEqualTo("a=1,b=2");
  }

  @Test
  void tracestate_emptyHeader_isAccepted() {
    assertThat(reasons(headers("traceparent", TP, "tracestate", ""))).isEmpty();
  }

  @Test
  void tracestate_valueLeadingSpace_isPreserved() {
    TraceContext c = extract("traceparent", TP, "tracestate", "a= x");
    assertThat(c.traceState().get("a")).isEqualTo(" x");
  }

  @Test
  void tracestate_duplicateKey_keepsFirstAndCounts() {
    Map<String, String> h = headers("traceparent", TP, "tracestate", "foo=1,bar=2,foo=3");
    assertThat(extract("traceparent", TP, "tracestate", "foo=1,bar=2,foo=3").traceState().toHeader())
        .isEqualTo("foo=1,bar=2");
    assertThat(reasons(h)).containsExactly("tracestate_duplicate_key");
  }

  @Test
  void tracestate_invalidMember_discardsWholeTracestate() {
    TraceContext c = extract("traceparent", TP, "tracestate", "a=1,B=2");
    assertThat(c.isValid()).isTrue();
    assertThat(c.traceState().isEmpty()).isTrue();
  }

  @Test
  void tracestate_memberWithoutEquals_discardsWholeTracestate() {
    assertThat(extract("traceparent", TP, "tracestate", "a=1,b").traceState().isEmpty()).isTrue();
  }

  @Test
  void tracestate_key257Chars_discardsWholeTracestate() {
    String key = "a".repeat(257);
    assertThat(extract("traceparent", TP, "tracestate", key + "=1,b=2").traceState().isEmpty()).isTrue();
  }

  @Test
  void tracestate_key256Chars_isKept() {
    String key = "a".repeat(256);
    assertThat(extract("traceparent", TP, "tracestate", key + "=1").traceState().get(key)).isEqualTo("1");
  }

  /** {@code bar01=01,…} with {@code n} members, as the W3C test suite writes them. */
  static String members(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i <= to; i++) {
      String n = i < 10 ? "0" + i : Integer.toString(i);
      sb.append(i > from ? "," : "").append("bar").append(n).append('=').append(n);
    }
    return sb.toString();
  }

  @Test
  void tracestate_32Members_keepsThemAll() {
    TraceContext c = extract("traceparent", TP, "tracestate", members(1, 32));
    assertThat(c.traceState().size()).isEqualTo(32);
    assertThat(c.traceState().toHeader()).isEqualTo(members(1, 32));
  }

  @Test
  void tracestate_33Members_discardsTheWholeTracestateAndCounts() {
    SelfCounter counter = SelfCounters.GLOBAL.counter(
        Reason.COUNTER, "", "", "format", "w3c-tracecontext", "reason", "tracestate_too_many_members");
    long before = counter.count();
    Map<String, String> h = headers("traceparent", TP, "tracestate", members(1, 33));
    TraceContext c = w3c.extract(TraceContext.empty(), h, Carriers.mapGetter());
    assertThat(c.isValid()).isTrue();
    assertThat(c.traceIdHex()).isEqualTo(TP.substring(3, 35));
    assertThat(c.traceState().isEmpty()).isTrue();
    assertThat(counter.count()).isEqualTo(before + 1);
    assertThat(reasons(h)).containsExactly("tracestate_too_many_members");
  }

  @Test
  void tracestate_33MembersOverFourHeaders_discardsTheWholeTracestate() {
    // The W3C suite's test_tracestate_member_count_limit sends its 33 members as four headers.
    Map<String, List<String>> m = new HashMap<>();
    m.put("traceparent", List.of(TP));
    m.put("tracestate", List.of(members(1, 10), members(11, 20), members(21, 30), members(31, 33)));
    TraceContext c = w3c.extract(TraceContext.empty(), m, Carriers.multiMapGetter());
    assertThat(c.isValid()).isTrue();
    assertThat(c.traceState().isEmpty()).isTrue();
  }

  @Test
  void tracestate_32MembersAndARepeatedKey_discardsTheWholeTracestate() {
    // 33 list-members on the wire, though only 32 keys: the limit is on the list as received.
    Map<String, String> h = headers("traceparent", TP, "tracestate", members(1, 32) + ",bar01=99");
    assertThat(w3c.extract(TraceContext.empty(), h, Carriers.mapGetter()).traceState().isEmpty()).isTrue();
    assertThat(reasons(h)).containsExactly("tracestate_too_many_members");
  }

  @Test
  void tracestate_32MembersAndEmptyMembers_keepsThe32() {
    TraceContext c = extract("traceparent", TP, "tracestate", " ," + members(1, 32) + ", ,,");
    assertThat(c.traceState().size()).isEqualTo(32);
  }

  @Test
  void tracestate_memberCountLimit_agreesWithOpenTelemetry() {
    io.opentelemetry.context.propagation.TextMapPropagator otel =
        io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance();
    for (int n : new int[] {31, 32, 33, 40}) {
      Map<String, String> h = headers("traceparent", TP, "tracestate", members(1, n));
      OtelFuzzAgreementTest.View cairn = OtelFuzzAgreementTest.cairnTrace(w3c, h);
      OtelFuzzAgreementTest.View theirs = OtelFuzzAgreementTest.otelTrace(otel, h);
      assertThat(cairn).as("%d members", n).isEqualTo(theirs);
      assertThat(cairn.state()).as("%d members", n).hasSize(n <= 32 ? n : 0);
    }
  }

  @Test
  void tracestate_multipleHeaders_combineInOrder() {
    Map<String, List<String>> m = new HashMap<>();
    m.put("traceparent", List.of(TP));
    m.put("tracestate", List.of("foo=1,bar=2", "rojo=1,congo=2", "baz=3"));
    TraceContext c = w3c.extract(TraceContext.empty(), m, Carriers.multiMapGetter());
    assertThat(c.traceState().toHeader()).isEqualTo("foo=1,bar=2,rojo=1,congo=2,baz=3");
  }

  @Test
  void tracestate_mibValue_readsAtMostTheLimitAndDropsThePartialMember() {
    // A few long members: the read limit, not the member count, is what stops the scan.
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() < (1 << 20); i++) {
      sb.append(i > 0 ? "," : "").append("k").append(i).append('=').append("v".repeat(i < 30 ? 250 : 20_000));
    }
    Map<String, String> h = headers("traceparent", TP, "tracestate", sb.toString());
    TraceState s = w3c.extract(TraceContext.empty(), h, Carriers.mapGetter()).traceState();
    assertThat(s.size()).isEqualTo(30);
    assertThat(s.toHeader().length()).isLessThanOrEqualTo(W3CTraceContextPropagator.TRACESTATE_READ_LIMIT);
    assertThat(reasons(h)).containsExactly("tracestate_too_long");
  }

  @Test
  void tracestate_mibOfShortMembers_stopsAtThe33rdAndDiscardsAll() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() < (1 << 20); i++) {
      sb.append(i > 0 ? "," : "").append("k").append(i).append('=').append("v".repeat(200));
    }
    Map<String, String> h = headers("traceparent", TP, "tracestate", sb.toString());
    assertThat(w3c.extract(TraceContext.empty(), h, Carriers.mapGetter()).traceState().isEmpty()).isTrue();
    assertThat(reasons(h)).containsExactly("tracestate_too_many_members");
  }

  @Test
  void tracestate_longSingleMemberBeyondReadLimit_isDropped() {
    String h = "a=1,b=" + "x".repeat(20_000);
    assertThat(extract("traceparent", TP, "tracestate", h).traceState().toHeader()).isEqualTo("a=1");
  }

  @Test
  void inject_writesLowerCaseTraceparent() {
    Map<String, String> out = new HashMap<>();
    w3c.inject(extract("traceparent", TP), out, Carriers.mapSetter());
    assertThat(out).containsEntry("traceparent", TP).doesNotContainKey("tracestate");
  }

  @Test
  void inject_whenContextInvalid_writesNothing() {
    Map<String, String> out = new HashMap<>();
    w3c.inject(TraceContext.empty(), out, Carriers.mapSetter());
    assertThat(out).isEmpty();
  }

  @Test
  void inject_whenHigherVersionReceived_writesVersion00() {
    Map<String, String> out = new HashMap<>();
    w3c.inject(extract("traceparent", "cc" + TP.substring(2) + "-x"), out, Carriers.mapSetter());
    assertThat(out.get("traceparent")).isEqualTo(TP);
  }

  @Test
  void inject_tracestateOver512_dropsLargeEntriesFirstThenFromTheRight() {
    TraceState s = TraceState.empty();
    // built right to left: with() puts each new entry in front
    for (int i = 9; i >= 0; i--) {
      s = s.with("k" + i, (i == 2 ? "L" : "v").repeat(i == 2 ? 200 : 60));
    }
    TraceContext c = TraceContext.newRoot(true).withTraceState(s);
    Map<String, String> out = new HashMap<>();
    w3c.inject(c, out, Carriers.mapSetter());
    String ts = out.get("tracestate");
    assertThat(ts.length()).isLessThanOrEqualTo(512);
    assertThat(ts).doesNotContain("k2=").startsWith("k0=").contains("k1=", "k3=");
    assertThat(ts).doesNotContain("k9=");
  }

  @Test
  void roundTrip_keepsIdsFlagsAndTracestate() {
    Map<String, String> in = headers("traceparent", TP.replace("-01", "-03"), "tracestate", "congo=t61rcWkgMzE");
    TraceContext c = w3c.extract(TraceContext.empty(), in, Carriers.mapGetter());
    Map<String, String> out = new HashMap<>();
    w3c.inject(c, out, Carriers.mapSetter());
    assertThat(out).isEqualTo(in);
  }

  @Test
  void extract_whenGetterThrows_returnsBaseAndCounts() {
    Getter<Object> bad = (c, n) -> {
      throw new IllegalStateException("boom");
    };
    TraceContext base = TraceContext.empty();
    assertThat(w3c.extract(base, new Object(), bad)).isSameAs(base);
  }

  @Test
  void inject_whenSetterThrows_doesNotThrow() {
    Setter<Object> bad = (c, n, v) -> {
      throw new IllegalStateException("boom");
    };
    w3c.inject(TraceContext.newRoot(true), new Object(), bad);
  }

  @Test
  void extract_mibTraceparent_allocatesLittle() {
    Map<String, String> h = headers("traceparent", "00-" + "a".repeat(1 << 20), "tracestate", "a=1");
    for (int i = 0; i < 1000; i++) {
      w3c.extract(TraceContext.empty(), h, Carriers.mapGetter());
    }
    assertThat(allocatedBy(() -> w3c.extract(TraceContext.empty(), h, Carriers.mapGetter())))
        .isLessThan(16 * 1024);
  }

  @Test
  void extract_mibTracestate_allocatesUnder16KiB() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() < (1 << 20); i++) {
      sb.append(i > 0 ? "," : "").append("k").append(i).append("=v");
    }
    Map<String, String> h = headers("traceparent", TP, "tracestate", sb.toString());
    for (int i = 0; i < 1000; i++) {
      w3c.extract(TraceContext.empty(), h, Carriers.mapGetter());
    }
    assertThat(allocatedBy(() -> w3c.extract(TraceContext.empty(), h, Carriers.mapGetter())))
        .isLessThan(16 * 1024);
  }

  @SuppressWarnings("deprecation")
  static long allocatedBy(Runnable r) {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(id);
    r.run();
    return mx.getThreadAllocatedBytes(id) - before;
  }
}
