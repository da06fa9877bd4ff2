package dev.cairn.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.diagnostics.Diagnostics;
import dev.cairn.diagnostics.DiagnosticsRequest;
import dev.cairn.diagnostics.DiagnosticsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JfrDiagnosticsContributorTest {
  @TempDir Path dir;
  CairnJfr jfr;
  Diagnostics diagnostics;

  @BeforeEach
  void start() {
    jfr =
        CairnJfr.builder()
            .blackBox(dir)
            .blackBoxMinInterval(Duration.ZERO)
            .stallAttribution(Duration.ofMillis(100))
            .build();
    diagnostics =
        Diagnostics.builder()
            .settings(DiagnosticsSettings.builder().dumpsEnabled(true).build())
            .discoverContributors(false)
            .contributor(new JfrDiagnosticsContributor(jfr))
            .build();
  }

  @AfterEach
  void stop() {
    jfr.close();
  }

  @Test
  void anExplicitContributor_isNotReportedAsClashingWithTheDiscoveredOneOfItsKind() {
    long before = selfReports();
    Diagnostics both =
        Diagnostics.builder().contributor(new JfrDiagnosticsContributor(jfr)).build();
    assertThat(both.endpoints()).anyMatch(e -> e.path().equals("/jfr/blackbox"));
    assertThat(selfReports()).isEqualTo(before);
  }

  private static long selfReports() {
    return dev.cairn.internal.SelfCounters.GLOBAL.total("cairn.self.reports")
        + dev.cairn.internal.SelfCounters.GLOBAL.total("cairn.self.reports.suppressed");
  }

  @Test
  void dumpEndpoint_writesADumpThatTheListShows() throws Exception {
    JsonNode dumped = call("POST", "/jfr/blackbox/dump", Map.of(), 200);
    String name = dumped.path("name").asString();
    assertThat(name).startsWith("cairn-blackbox-").endsWith("-diagnostics.jfr");
    assertThat(dumped.path("size").asLong()).isPositive();

    JsonNode list = call("GET", "/jfr/blackbox", Map.of(), 200);
    assertThat(list.path("enabled").asBoolean()).isTrue();
    assertThat(list.path("files").get(0).path("name").asString()).isEqualTo(name);
  }

  @Test
  void fileEndpoint_servesOnlyListedDumps() throws Exception {
    try (Diagnostics.Reply r =
        diagnostics.handle(
            DiagnosticsRequest.of("GET", "/jfr/blackbox/file", Map.of("name", "../../etc/passwd")))) {
      assertThat(r.response().status()).isEqualTo(404);
    }
  }

  @Test
  void stallsEndpoint_reportsWhetherAttributionIsOn() throws Exception {
    JsonNode stalls = call("GET", "/jfr/stalls", Map.of(), 200);
    assertThat(stalls.path("enabled").asBoolean()).isTrue();
    assertThat(stalls.path("breakdowns").isArray()).isTrue();
  }

  private JsonNode call(String method, String path, Map<String, String> query, int status)
      throws Exception {
    try (Diagnostics.Reply r = diagnostics.handle(DiagnosticsRequest.of(method, path, query))) {
      assertThat(r.response().status()).as(new String(r.bodyBytes(), "UTF-8")).isEqualTo(status);
      return JsonMapper.builder().build().readTree(r.bodyBytes());
    }
  }
}
