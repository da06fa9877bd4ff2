package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The metadata an IDE reads: every property documented, list defaults and value hints present. */
class PropertiesMetadataTest {
  static JsonNode metadata;

  @BeforeAll
  static void read() throws Exception {
    try (InputStream in =
        PropertiesMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated metadata on the classpath").isNotNull();
      metadata = JsonMapper.builder().build().readTree(in);
    }
  }

  static JsonNode property(String name) {
    for (JsonNode p : metadata.get("properties")) {
      if (p.get("name").asString().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no metadata for " + name);
  }

  @Test
  void everyCairnPropertyHasADescription() {
    List<String> undocumented = new ArrayList<>();
    int count = 0;
    for (JsonNode p : metadata.get("properties")) {
      String name = p.get("name").asString();
      if (name.startsWith("cairn.")) {
        count++;
        if (!p.has("description") || p.get("description").asString().isBlank()) {
          undocumented.add(name);
        }
      }
    }
    assertThat(count).isGreaterThan(20);
    assertThat(undocumented).isEmpty();
  }

  @Test
  void scalarDefaultsAreRecorded() {
    assertThat(property("cairn.propagation.response-header").get("defaultValue").asString()).isEqualTo("X-Request-ID");
    assertThat(property("cairn.tracing.mode").get("defaultValue").asString()).isEqualTo("auto");
    assertThat(property("cairn.metrics.cardinality.max-per-name").get("defaultValue").asInt()).isEqualTo(1000);
  }

  @Test
  void jfrEndpointLimitDefaultsAreRecorded() {
    assertThat(property("cairn.jfr.endpoint.max-age").get("defaultValue").asString()).isEqualTo("15m");
    // In megabytes: the property's unit when none is given.
    assertThat(property("cairn.jfr.endpoint.max-size").get("defaultValue").asInt()).isEqualTo(100);
  }

  @Test
  void listDefaultsAreRecorded() {
    List<String> formats = new ArrayList<>();
    property("cairn.propagation.formats").get("defaultValue").forEach(v -> formats.add(v.asString()));
    assertThat(formats).containsExactly("w3c", "baggage", "request-id");
  }

  @Test
  void tracingModeAndFormatsHaveValueHints() {
    List<String> hinted = new ArrayList<>();
    metadata.get("hints").forEach(h -> hinted.add(h.get("name").asString()));
    assertThat(hinted).contains("cairn.tracing.mode", "cairn.propagation.formats");
  }
}
