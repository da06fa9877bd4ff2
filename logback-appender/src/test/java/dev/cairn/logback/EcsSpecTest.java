package dev.cairn.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * ECS lines checked against the field rules of elastic/ecs-logging's {@code spec/spec.json}:
 * required fields, types, index order and top-level dotted names. The rules are restated here as
 * data (name, type, required, index) so a change in the encoder is checked against the spec, not
 * against itself.
 */
class EcsSpecTest {
  private record Rule(String name, String type, boolean required, int index) {}

  private static final List<Rule> SPEC =
      List.of(
          new Rule("@timestamp", "datetime", true, 0),
          new Rule("log.level", "string", true, 1),
          new Rule("message", "string", false, 2),
          new Rule("ecs.version", "string", true, -1),
          new Rule("labels", "object", false, -1),
          new Rule("trace.id", "string", false, -1),
          new Rule("transaction.id", "string", false, -1),
          new Rule("service.name", "string", false, -1),
          new Rule("service.node.name", "string", false, -1),
          new Rule("event.dataset", "string", false, -1),
          new Rule("process.thread.name", "string", false, -1),
          new Rule("log.logger", "string", false, -1),
          new Rule("log.origin.file.line", "integer", false, -1),
          new Rule("log.origin.file.name", "string", false, -1),
          new Rule("log.origin.function", "string", false, -1),
          new Rule("error.type", "string", false, -1),
          new Rule("error.message", "string", false, -1),
          new Rule("error.stack_trace", "string", false, -1));

  private static JsonNode line(boolean everything) {
    CairnEncoder enc = Lines.encoder("ecs");
    enc.setServiceName("Checkout-API");
    enc.setInstance("pod-7");
    enc.setIncludeCallerData(true);
    enc.start();
    LoggingEvent e =
        Lines.event(Level.ERROR, "payment failed", everything ? new IllegalStateException("declined") : null);
    e.setCallerData(new StackTraceElement[] {new StackTraceElement("com.example.Pay", "charge", "Pay.java", 77)});
    e.setMDCPropertyMap(Map.of("log", "scalar", "error", "x", "labels", "y"));
    try (Scope ignored = TraceContext.newRoot(true).makeCurrent()) {
      return Lines.parse(enc.encode(e));
    }
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.propertyNames().iterator(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  @Test
  void everyRequiredFieldIsPresent() {
    JsonNode n = line(false);
    for (Rule r : SPEC) {
      if (r.required()) {
        assertThat(n.has(r.name())).as(r.name()).isTrue();
      }
    }
  }

  @Test
  void everyFieldPresentHasTheSpecifiedType() {
    JsonNode n = line(true);
    for (Rule r : SPEC) {
      JsonNode v = n.get(r.name());
      if (v == null) {
        continue;
      }
      switch (r.type()) {
        case "datetime":
          assertThat(OffsetDateTime.parse(v.asString()).getOffset().getTotalSeconds()).as(r.name()).isZero();
          break;
        case "integer":
          assertThat(v.isIntegralNumber()).as(r.name()).isTrue();
          break;
        case "object":
          assertThat(v.isObject()).as(r.name()).isTrue();
          break;
        default:
          assertThat(v.isString()).as(r.name()).isTrue();
      }
    }
  }

  @Test
  void indexedFieldsComeFirstInTheirOrder() {
    List<String> names = names(line(true));
    for (Rule r : SPEC) {
      if (r.index() >= 0) {
        assertThat(names.get(r.index())).isEqualTo(r.name());
      }
    }
  }

  @Test
  void dottedFieldsAreTopLevelNamesNotNestedObjects() {
    JsonNode n = line(true);
    assertThat(n.get("log.level").isString()).isTrue();
    assertThat(n.has("log")).isFalse();
    assertThat(n.has("error")).isFalse();
    assertThat(n.get("labels.log").asString()).isEqualTo("scalar");
  }

  @Test
  void eventDatasetFollowsTheSpecsSanitization() {
    assertThat(line(false).get("event.dataset").asString()).isEqualTo("checkout_api.log");
    assertThat(CairnEncoder.ecsDataset("A/B*C?D")).isEqualTo("a_b_c_d.log");
  }
}
