package dev.cairn.spring.boot.autoconfigure.actuate;

import static dev.cairn.spring.boot.autoconfigure.actuate.Apps.HTTP;
import static dev.cairn.spring.boot.autoconfigure.actuate.Apps.get;
import static dev.cairn.spring.boot.autoconfigure.actuate.Apps.json;
import static dev.cairn.spring.boot.autoconfigure.actuate.Apps.start;
import static dev.cairn.spring.boot.autoconfigure.actuate.Apps.uri;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** The {@code jfr} endpoint over HTTP in a real application on a random loopback port. */
class CairnJfrEndpointIntegrationTest {
  @TempDir Path dir;

  static HttpResponse<String> post(ConfigurableApplicationContext app, String path, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(app, path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  ConfigurableApplicationContext unrestricted() {
    return start(
        "--management.endpoint.jfr.access=unrestricted",
        "--management.endpoints.web.exposure.include=jfr",
        "--cairn.jfr.endpoint.directory=" + dir);
  }

  @Test
  void freshAppNeitherServesNorListsTheEndpointEvenWithEverythingExposed() throws Exception {
    try (ConfigurableApplicationContext app = start("--management.endpoints.web.exposure.include=*")) {
      assertThat(get(app, "/actuator/jfr").statusCode()).isEqualTo(404);
      assertThat(post(app, "/actuator/jfr", "{}").statusCode()).isEqualTo(404);
      assertThat(get(app, "/actuator").body()).doesNotContain("/actuator/jfr");
    }
  }

  @Test
  void readOnlyAccessListsRecordingsButCannotStartOne() throws Exception {
    try (ConfigurableApplicationContext app =
        start("--management.endpoint.jfr.access=read-only", "--management.endpoints.web.exposure.include=jfr")) {
      HttpResponse<String> list = get(app, "/actuator/jfr");
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(json(list).get("available").asBoolean()).isTrue();
      int before = FlightRecorder.getFlightRecorder().getRecordings().size();
      assertThat(post(app, "/actuator/jfr", "{\"name\":\"sneaky\"}").statusCode()).isEqualTo(405);
      assertThat(FlightRecorder.getFlightRecorder().getRecordings()).hasSize(before);
    }
  }

  @Test
  void startStopAndDownloadGiveARecordingTheJdkReads() throws Exception {
    try (ConfigurableApplicationContext app = unrestricted()) {
      HttpResponse<String> started = post(app, "/actuator/jfr", "{\"name\":\"checkout\",\"maxAge\":\"2m\",\"maxSize\":\"20MB\"}");
      assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
      JsonNode recording = json(started);
      assertThat(recording.get("state").asString()).isEqualTo("RUNNING");
      assertThat(recording.get("maxAge").asString()).isEqualTo("PT2M");
      assertThat(recording.get("maxSize").asLong()).isEqualTo(20L * 1024 * 1024);
      long id = recording.get("id").asLong();

      HttpResponse<String> stopped = post(app, "/actuator/jfr/" + id + "/stop", "{}");
      assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
      String file = json(stopped).get("file").asString();

      HttpResponse<byte[]> download = HTTP.send(
          HttpRequest.newBuilder(uri(app, "/actuator/jfr/" + file)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/octet-stream"));
      Path copy = Files.write(Files.createTempFile(dir, "download", ".jfr"), download.body());
      assertThat(RecordingFile.readAllEvents(copy)).isNotEmpty();
    }
  }

  @Test
  void listShowsTheRecordingItStarted() throws Exception {
    try (ConfigurableApplicationContext app = unrestricted()) {
      long id = json(post(app, "/actuator/jfr", "{\"name\":\"listed\"}")).get("id").asLong();
      JsonNode list = json(get(app, "/actuator/jfr"));
      assertThat(list.get("recordings").valueStream())
          .anySatisfy(r -> {
            assertThat(r.get("id").asLong()).isEqualTo(id);
            assertThat(r.get("name").asString()).isEqualTo("listed");
            assertThat(r.get("startedByEndpoint").asBoolean()).isTrue();
          });
    }
  }

  @Test
  void downloadRefusesPathTraversalAndFilesItDidNotWrite() throws Exception {
    try (ConfigurableApplicationContext app = unrestricted()) {
      long id = json(post(app, "/actuator/jfr", "{}")).get("id").asLong();
      post(app, "/actuator/jfr/" + id + "/dump", "{}");
      Files.writeString(dir.resolve("secret.jfr"), "not produced by the endpoint");
      assertThat(get(app, "/actuator/jfr/secret.jfr").statusCode()).isEqualTo(404);
      assertThat(get(app, "/actuator/jfr/..%2F..%2Fetc%2Fpasswd").statusCode()).isBetween(400, 404);
      assertThat(get(app, "/actuator/jfr/%2E%2E").statusCode()).isBetween(400, 404);
    }
  }

  @Test
  void recordingsItStartedAreClosedWithTheApplication() throws Exception {
    long id;
    try (ConfigurableApplicationContext app = unrestricted()) {
      id = json(post(app, "/actuator/jfr", "{}")).get("id").asLong();
      assertThat(FlightRecorder.getFlightRecorder().getRecordings()).anyMatch(r -> r.getId() == id);
    }
    assertThat(FlightRecorder.getFlightRecorder().getRecordings()).noneMatch(r -> r.getId() == id);
  }
}
