package dev.cairn.logback;

import static dev.cairn.logback.Lines.event;
import static dev.cairn.logback.Lines.parse;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.cairn.Cairn;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A service named once on {@code Cairn.builder()} reaches log lines of an encoder that names none. */
class ServiceNameFromCairnTest {

  private static JsonNode line(String format) {
    CairnEncoder enc = Lines.encoder(format);
    enc.start();
    return parse(enc.encode(event("hello")));
  }

  @Test
  void cairnFormat_withoutItsOwnServiceName_writesTheCairnInstancesName() {
    try (Cairn cairn = Cairn.builder().serviceName("checkout").shutdownHook(false).build()) {
      assertThat(line("cairn").get("service").asString()).isEqualTo("checkout");
    }
  }

  @Test
  void ecsFormat_withoutItsOwnServiceName_writesServiceNameAndDataset() {
    try (Cairn cairn = Cairn.builder().serviceName("Checkout").shutdownHook(false).build()) {
      JsonNode n = line("ecs");
      assertThat(n.get("service.name").asString()).isEqualTo("Checkout");
      assertThat(n.get("event.dataset").asString()).isEqualTo("checkout.log");
    }
  }

  @Test
  void logstashAndGelf_withoutTheirOwnServiceName_writeTheCairnInstancesName() {
    try (Cairn cairn = Cairn.builder().serviceName("checkout").shutdownHook(false).build()) {
      assertThat(line("logstash").get("service").asString()).isEqualTo("checkout");
      assertThat(line("gelf").get("_service").asString()).isEqualTo("checkout");
    }
  }

  @Test
  void encodersOwnServiceName_winsOverCairns() {
    try (Cairn cairn = Cairn.builder().serviceName("checkout").shutdownHook(false).build()) {
      CairnEncoder enc = Lines.encoder("cairn");
      enc.setServiceName("orders");
      enc.start();
      assertThat(parse(enc.encode(event(Level.INFO, "hi", null))).get("service").asString())
          .isEqualTo("orders");
    }
  }

  @Test
  void afterTheInstanceCloses_linesCarryNoServiceName() {
    Cairn.builder().serviceName("checkout").shutdownHook(false).build().close();
    assertThat(line("cairn").has("service")).isFalse();
  }
}
