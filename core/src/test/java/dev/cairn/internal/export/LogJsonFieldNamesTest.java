package dev.cairn.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.internal.SelfCounters;
import dev.cairn.internal.json.JsonWriter;
import dev.cairn.logging.LogLevel;
import dev.cairn.logging.LogRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Item 8 of issue 13 for the exporters' ECS document (Elasticsearch bulk, Loki lines): the MDC
 * ({@code labels}) and key-values ({@code attributes}) cannot make Elasticsearch refuse it. The
 * rules are restated from Elasticsearch's behaviour: no empty name, no empty path segment, no
 * top-level name starting with {@code _}, no value and object at one path.
 */
class LogJsonFieldNamesTest {
  static final JsonMapper STRICT =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  static final String[] HOSTILE_NAMES = {
    "", "_id", "_index", "_source", "_routing", "_type", ".", "...", ".a", "a.", "a..b", "user",
    "user.id", "message", "@timestamp", "log.level", "labels", "a__b"
  };

  static long renamedCount() {
    return SelfCounters.GLOBAL.counter("cairn.export.logs.keys.renamed", "", "").count();
  }

  static JsonNode document(BiConsumer<LogRecord.Builder, String> put) {
    LogRecord.Builder b =
        LogRecord.builder().epochNanos(1_764_311_999_000_000_000L).level(LogLevel.INFO).message("real");
    for (String name : HOSTILE_NAMES) {
      put.accept(b, name);
    }
    JsonWriter w = new JsonWriter();
    new ElasticsearchBulkEncoder("logs-cairn-default", "shop").encode(List.of(b.build()), w);
    String[] lines = w.toString().split("\n");
    return STRICT.readTree(lines[1]);
  }

  static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.propertyNames().iterator(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  static void assertElasticsearchAccepts(JsonNode object, boolean top) {
    List<String> names = names(object);
    for (String name : names) {
      assertThat(name).as("name in %s", object).isNotEmpty();
      for (String segment : name.split("\\.", -1)) {
        assertThat(segment).as("segment of '%s' in %s", name, object).isNotEmpty();
      }
      if (top) {
        assertThat(name).doesNotStartWith("_");
      }
      if (object.get(name).isObject()) {
        assertElasticsearchAccepts(object.get(name), false);
      }
    }
    for (String a : names) {
      for (String b : names) {
        assertThat(b.startsWith(a + ".")).as("'%s' and '%s' in %s", a, b, object).isFalse();
      }
    }
  }

  @Test
  void mdcNamesElasticsearchRefuses_areRenamedInLabels() {
    JsonNode doc = document((b, name) -> b.mdc(name, "mdc:" + name));

    assertElasticsearchAccepts(doc, true);
    JsonNode labels = doc.get("labels");
    assertThat(labels.size()).isEqualTo(HOSTILE_NAMES.length);
    assertThat(labels.get("_").stringValue()).isEqualTo("mdc:");
    assertThat(labels.get("_id").stringValue()).isEqualTo("mdc:_id");
    assertThat(labels.get("a__b").stringValue()).isEqualTo("mdc:a..b");
    assertThat(labels.get("user").stringValue()).isEqualTo("mdc:user");
    assertThat(labels.get("user_id").stringValue()).isEqualTo("mdc:user.id");
    assertThat(labels.get("a__b_").stringValue()).as("renamed past a..b's new name").isEqualTo("mdc:a__b");
  }

  @Test
  void keyValueNamesElasticsearchRefuses_areRenamedInAttributes() {
    JsonNode doc = document((b, name) -> b.attribute(name, "kv:" + name));

    assertElasticsearchAccepts(doc, true);
    assertThat(doc.get("attributes").size()).isEqualTo(HOSTILE_NAMES.length);
    assertThat(doc.get("attributes").get("_").stringValue()).isEqualTo("kv:");
  }

  @Test
  void eachRename_isCounted() {
    long before = renamedCount();

    document((b, name) -> b.mdc(name, "x"));

    // "", ".", "...", ".a", "a.", "a..b", "user.id" (under "user"), "a__b" (taken by "a..b")
    assertThat(renamedCount() - before).isEqualTo(8);
  }
}
