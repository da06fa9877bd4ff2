package dev.cairn.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.core.StreamReadFeature;

class MeterSnapshotsTest {
  static final JsonMapper STRICT = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  @Test
  void writesEveryMeterWithTypeUnitTagsAndMeasurements() {
    MeterRegistry r = new SimpleMeterRegistry();
    r.counter("orders.placed", "region", "eu").increment(3);
    Timer.builder("http.server.requests").description("Requests").tag("status", "200").register(r)
        .record(Duration.ofMillis(20));
    JsonNode root = STRICT.readTree(MeterSnapshots.toJson(r));
    assertThat(root.get("meters")).hasSize(2);
    JsonNode timer = root.get("meters").get(0);
    assertThat(timer.get("name").asString()).isEqualTo("http.server.requests");
    assertThat(timer.get("type").asString()).isEqualTo("timer");
    assertThat(timer.get("baseUnit").asString()).isEqualTo("seconds");
    assertThat(timer.get("description").asString()).isEqualTo("Requests");
    assertThat(timer.get("tags").get("status").asString()).isEqualTo("200");
    assertThat(timer.get("measurements").get("count").asDouble()).isEqualTo(1.0);
    JsonNode counter = root.get("meters").get(1);
    assertThat(counter.get("measurements").get("count").asDouble()).isEqualTo(3.0);
    assertThat(root.get("omitted").asInt()).isZero();
  }

  @Test
  void hostileNamesAndValuesStayValidJson() {
    MeterRegistry r = new SimpleMeterRegistry();
    String hostile = "a\"b\\c\n\u0000\u2028\ud800}";
    r.counter(hostile, "k\"", hostile).increment();
    Gauge.builder("not.a.number", () -> Double.NaN).register(r);
    JsonNode root = STRICT.readTree(MeterSnapshots.toJson(r));
    assertThat(root.get("meters")).hasSize(2);
    JsonNode nan = root.get("meters").get(1);
    assertThat(nan.get("measurements").get("value").isNull()).isTrue();
    assertThat(root.get("meters").get(0).get("name").asString()).startsWith("a\"b\\c\n\u0000\u2028");
  }

  @Test
  void capsTheNumberOfMetersAndCountsTheRest() {
    MeterRegistry r = new SimpleMeterRegistry();
    for (int i = 0; i < 10; i++) {
      r.counter("c" + i).increment();
    }
    JsonNode root = STRICT.readTree(MeterSnapshots.toJson(r, 4));
    assertThat(root.get("meters")).hasSize(4);
    assertThat(root.get("omitted").asInt()).isEqualTo(6);
  }

  @Test
  void aGaugeThatThrowsIsWrittenWithoutMeasurements() {
    MeterRegistry r = new SimpleMeterRegistry();
    Gauge.builder("broken", () -> {
      throw new IllegalStateException("boom");
    }).register(r);
    JsonNode root = STRICT.readTree(MeterSnapshots.toJson(r));
    assertThat(root.get("meters").get(0).get("name").asString()).isEqualTo("broken");
  }
}
