package dev.cairn.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.LoggingEvent;
import dev.cairn.internal.SelfCounters;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Item 8 of issue 13: an ECS line is a document Elasticsearch accepts whatever the MDC and
 * key-value names. The rules are restated here from Elasticsearch's behaviour, not taken from the
 * encoder: no empty name, no empty path segment, no top-level name starting with {@code _}
 * (metadata fields), and no two fields where one is a value and the other an object under it.
 */
class EcsFieldNamesTest {
  static final String[] HOSTILE_NAMES = {
    "", "_id", "_index", "_source", "_routing", "_type", "_version", "_seq_no", "_ignored", ".",
    "...", ".a", "a.", "a..b", "message", "log.level", "log.level.x", "log", "error", "error.type.x",
    "labels", "labels.correlation_id", "@timestamp", "ecs.version", "_truncated", "user", "user.id"
  };

  static long renamedCount() {
    return SelfCounters.GLOBAL.counter("cairn.logback.keys.renamed", "", "").count();
  }

  static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.propertyNames().iterator(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  /** Elasticsearch's path rule: every dot-separated segment non-empty. */
  static boolean isAcceptedPath(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (String segment : name.split("\\.", -1)) {
      if (segment.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** One is a value and the other needs it to be an object (or they are the same field). */
  static boolean samePathOrParent(String a, String b) {
    return a.equals(b) || a.startsWith(b + ".") || b.startsWith(a + ".");
  }

  static void assertElasticsearchAccepts(JsonNode object, boolean top) {
    List<String> names = names(object);
    for (String name : names) {
      assertThat(isAcceptedPath(name)).as("path '%s' in %s", name, object).isTrue();
      if (top) {
        assertThat(name).as("top-level name in %s", object).doesNotStartWith("_");
      }
      JsonNode v = object.get(name);
      if (v.isObject()) {
        assertElasticsearchAccepts(v, false);
      }
    }
    for (int i = 0; i < names.size(); i++) {
      for (int j = i + 1; j < names.size(); j++) {
        assertThat(samePathOrParent(names.get(i), names.get(j)))
            .as("'%s' and '%s' in %s", names.get(i), names.get(j), object)
            .isFalse();
      }
    }
  }

  static JsonNode ecsLine(LoggingEvent e) {
    CairnEncoder enc = Lines.encoder("ecs");
    enc.start();
    return Lines.parse(enc.encode(e));
  }

  @Test
  void ecs_mdcKeysElasticsearchRefuses_areRenamedAndTheLineIsAccepted() {
    Map<String, String> mdc = new LinkedHashMap<>();
    for (String name : HOSTILE_NAMES) {
      mdc.put(name, "mdc:" + name);
    }

    JsonNode n = ecsLine(Lines.mdc(Lines.event("real"), mdc));

    assertElasticsearchAccepts(n, true);
    assertThat(n.get("message").asString()).isEqualTo("real");
    for (String name : HOSTILE_NAMES) {
      assertThat(n.toString()).as("value of '%s' kept", name).contains("\"mdc:" + name + "\"");
    }
  }

  @Test
  void ecs_keyValueNamesElasticsearchRefuses_areRenamedAndTheLineIsAccepted() {
    LoggingEvent e = Lines.event("real");
    for (String name : HOSTILE_NAMES) {
      Lines.kv(e, name, "kv:" + name);
    }

    JsonNode n = ecsLine(e);

    assertElasticsearchAccepts(n, true);
    for (String name : HOSTILE_NAMES) {
      assertThat(n.toString()).as("value of '%s' kept", name).contains("\"kv:" + name + "\"");
    }
  }

  @Test
  void ecs_sameHostileNamesInMdcAndKeyValues_giveDistinctAcceptedFields() {
    Map<String, String> mdc = new LinkedHashMap<>();
    LoggingEvent e = Lines.event("real");
    for (String name : new String[] {"", "_id", "a..b", "message"}) {
      mdc.put(name, "mdc:" + name);
      Lines.kv(e, name, "kv:" + name);
    }

    JsonNode n = ecsLine(Lines.mdc(e, mdc));

    assertElasticsearchAccepts(n, true);
    assertThat(n.get("labels._id").asString()).isEqualTo("kv:_id");
    assertThat(n.get("labels._id_").asString()).isEqualTo("mdc:_id");
    assertThat(n.get("labels._").asString()).isEqualTo("kv:");
    assertThat(n.get("labels.a__b").asString()).isEqualTo("kv:a..b");
    assertThat(n.get("labels.message").asString()).isEqualTo("kv:message");
  }

  @Test
  void ecs_metadataAndEmptyNames_goUnderLabels() {
    Map<String, String> mdc = new LinkedHashMap<>();
    mdc.put("", "empty");
    mdc.put("_id", "id");
    mdc.put("_source", "source");
    mdc.put("log.level.x", "under a leaf");
    mdc.put("error", "a root");
    mdc.put("log.custom", "fine as it is");

    JsonNode n = ecsLine(Lines.mdc(Lines.event("real"), mdc));

    assertThat(n.get("labels._").asString()).isEqualTo("empty");
    assertThat(n.get("labels._id").asString()).isEqualTo("id");
    assertThat(n.get("labels._source").asString()).isEqualTo("source");
    assertThat(n.get("labels.log_level_x").asString()).isEqualTo("under a leaf");
    assertThat(n.get("labels.error").asString()).isEqualTo("a root");
    assertThat(n.get("log.custom").asString()).isEqualTo("fine as it is");
  }

  @Test
  void ecs_eachRename_isCounted() {
    Map<String, String> mdc = new LinkedHashMap<>();
    mdc.put("", "1");
    mdc.put("_id", "2");
    mdc.put("a..b", "3");
    mdc.put("plain", "4");
    long before = renamedCount();

    ecsLine(Lines.mdc(Lines.event("real"), mdc));

    assertThat(renamedCount() - before).isEqualTo(3);
  }

  @Test
  void ecs_nestedKeyValueMapNames_areMadeAcceptable() {
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("", 1);
    obj.put("a..b", 2);
    obj.put("x", 3);
    obj.put("x.y", 4);
    obj.put("_id", 5);
    LoggingEvent e = Lines.kv(Lines.event("real"), "obj", obj);

    JsonNode n = ecsLine(e);

    assertElasticsearchAccepts(n, true);
    JsonNode o = n.get("obj");
    assertThat(o.get("_").asInt()).isEqualTo(1);
    assertThat(o.get("a__b").asInt()).isEqualTo(2);
    assertThat(o.get("x_y").asInt()).isEqualTo(4);
    assertThat(o.get("_id").asInt()).as("allowed below the top level").isEqualTo(5);
  }

  @Test
  void otherFormats_keepTheirUnderscorePrefixRenaming() {
    JsonNode n =
        Lines.parse(
            withStart(Lines.encoder("cairn"))
                .encode(Lines.mdc(Lines.event("real"), Map.of("message", "fake"))));
    assertThat(n.get("_message").asString()).isEqualTo("fake");
  }

  private static CairnEncoder withStart(CairnEncoder enc) {
    enc.start();
    return enc;
  }
}
