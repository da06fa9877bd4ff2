package dev.cairn.propagation;

import static dev.cairn.propagation.PropagationTesting.extract;
import static dev.cairn.propagation.PropagationTesting.inject;
import static dev.cairn.propagation.PropagationTesting.reasons;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.context.TraceContext;
import org.junit.jupiter.api.Test;

class AwsXrayPropagatorTest {
  static final String HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  final Propagator xray = Propagators.awsXray();

  @Test
  void extract_awsDocumentationExample_mapsRootTo128BitTraceId() {
    TraceContext c = extract(xray, "X-Amzn-Trace-Id", HEADER);
    assertThat(c.traceIdHex()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(c.spanIdHex()).isEqualTo("53995c3f42cd8ad8");
    assertThat(c.isSampled()).isTrue();
    assertThat(c.isRemote()).isTrue();
  }

  @Test
  void extract_fieldsInAnyOrderWithSpacesAndUnknownFields() {
    TraceContext c =
        extract(xray, "x-amzn-trace-id", "Sampled=0 ; Lineage=a87bd80c:0 ;Parent=53995c3f42cd8ad8; Root=1-5759e988-bd862e3fe1be46a994272793");
    assertThat(c.traceIdHex()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(c.isSampled()).isFalse();
  }

  @Test
  void extract_deferredSampling_isNotSampled() {
    assertThat(extract(xray, "x-amzn-trace-id", HEADER.replace("Sampled=1", "Sampled=?")).isSampled()).isFalse();
  }

  @Test
  void extract_rootWithoutParent_isRefused() {
    assertThat(reasons(xray, "x-amzn-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793")).containsExactly("missing_root_or_parent");
  }

  @Test
  void extract_rootOfWrongVersion_isRefused() {
    assertThat(reasons(xray, "x-amzn-trace-id", HEADER.replace("Root=1-", "Root=2-"))).containsExactly("root_invalid");
  }

  @Test
  void extract_shortRoot_isRefused() {
    assertThat(reasons(xray, "x-amzn-trace-id", HEADER.replace("a994272793", "a99427279"))).containsExactly("root_invalid");
  }

  @Test
  void extract_zeroParent_isRefused() {
    assertThat(reasons(xray, "x-amzn-trace-id", HEADER.replace("53995c3f42cd8ad8", "0000000000000000"))).containsExactly("parent_invalid");
  }

  @Test
  void extract_fieldWithoutEquals_isRefused() {
    assertThat(reasons(xray, "x-amzn-trace-id", HEADER + ";junk")).containsExactly("malformed");
  }

  @Test
  void extract_overLongHeader_isRefusedUnread() {
    assertThat(reasons(xray, "x-amzn-trace-id", HEADER + ";Self=" + "x".repeat(10_000))).containsExactly("length");
  }

  @Test
  void inject_writesRootParentSampled() {
    TraceContext c = extract(xray, "x-amzn-trace-id", HEADER);
    assertThat(inject(xray, c)).containsEntry("x-amzn-trace-id", HEADER).hasSize(1);
  }

  @Test
  void inject_w3cTraceId_splitsEpochAndRest() {
    TraceContext c = TraceContext.builder().traceId("4bf92f3577b34da6a3ce929d0e0e4736").spanId("00f067aa0ba902b7").build();
    assertThat(inject(xray, c).get("x-amzn-trace-id"))
        .isEqualTo("Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=0");
  }
}
