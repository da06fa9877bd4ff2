package dev.cairn.spring.boot.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.spring.boot.autoconfigure.CairnProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/** The {@code jfr} endpoint's operations against the JVM's real flight recorder. */
class CairnJfrEndpointTest {
  @TempDir Path dir;
  private final List<CairnJfrEndpoint> endpoints = new ArrayList<>();

  CairnJfrEndpoint endpoint(int maxRecordings, int maxDumps) {
    CairnProperties.Jfr.Endpoint limits = new CairnProperties.Jfr.Endpoint();
    limits.setDirectory(dir.toString());
    limits.setMaxRecordings(maxRecordings);
    limits.setMaxDumps(maxDumps);
    CairnJfrEndpoint e = new CairnJfrEndpoint(limits);
    endpoints.add(e);
    return e;
  }

  CairnJfrEndpoint endpoint() {
    return endpoint(2, 10);
  }

  @AfterEach
  void closeEndpoints() {
    endpoints.forEach(CairnJfrEndpoint::close);
  }

  static Recording recording(long id) {
    return FlightRecorder.getFlightRecorder().getRecordings().stream()
        .filter(r -> r.getId() == id).findFirst().orElseThrow();
  }

  static long startedId(WebEndpointResponse<Map<String, Object>> response) {
    assertThat(response.getStatus()).as("%s", response.getBody()).isEqualTo(200);
    return (Long) response.getBody().get("id");
  }

  @Test
  void startedRecordingRunsWithCairnsSettingsAndTheConfiguredBounds() {
    long id = startedId(endpoint().start(null, null, null, null, null));
    Recording r = recording(id);
    assertThat(r.getState()).isEqualTo(RecordingState.RUNNING);
    assertThat(r.getMaxAge()).isEqualTo(Duration.ofMinutes(15));
    assertThat(r.getMaxSize()).isEqualTo(DataSize.ofMegabytes(100).toBytes());
    assertThat(r.getDuration()).isEqualTo(Duration.ofHours(1));
    assertThat(r.getSettings()).containsEntry("cairn.Span#enabled", "true");
  }

  @Test
  void requestedBoundsAboveTheConfiguredOnesAreLowered() {
    long id = startedId(endpoint().start("big", "cairn", Duration.ofDays(1), DataSize.ofGigabytes(10), Duration.ofDays(1)));
    Recording r = recording(id);
    assertThat(r.getMaxAge()).isEqualTo(Duration.ofMinutes(15));
    assertThat(r.getMaxSize()).isEqualTo(DataSize.ofMegabytes(100).toBytes());
    assertThat(r.getDuration()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void requestedBoundsBelowTheConfiguredOnesAreKept() {
    long id = startedId(endpoint().start("small", "cairn-detailed", Duration.ofMinutes(2), DataSize.ofMegabytes(5), null));
    Recording r = recording(id);
    assertThat(r.getMaxAge()).isEqualTo(Duration.ofMinutes(2));
    assertThat(r.getMaxSize()).isEqualTo(DataSize.ofMegabytes(5).toBytes());
  }

  @Test
  void unknownSettingsAreRefusedListingTheValidOnes() {
    WebEndpointResponse<Map<String, Object>> r = endpoint().start(null, "profile", null, null, null);
    assertThat(r.getStatus()).isEqualTo(400);
    assertThat((String) r.getBody().get("error")).contains("cairn, cairn-detailed");
  }

  @Test
  void aStartBeyondMaxRecordingsIsRefused() {
    CairnJfrEndpoint e = endpoint(1, 10);
    startedId(e.start("first", null, null, null, null));
    assertThat(e.start("second", null, null, null, null).getStatus()).isEqualTo(409);
  }

  @Test
  void dumpWritesAFileTheJdkCanReadAndTheRecordingGoesOn() throws Exception {
    CairnJfrEndpoint e = endpoint();
    long id = startedId(e.start("checkout", null, null, null, null));
    WebEndpointResponse<Map<String, Object>> dumped = e.act(id, "dump");
    assertThat(dumped.getStatus()).isEqualTo(200);
    Path file = dir.resolve((String) dumped.getBody().get("file"));
    assertThat(RecordingFile.readAllEvents(file)).isNotEmpty();
    assertThat(recording(id).getState()).isEqualTo(RecordingState.RUNNING);
  }

  @Test
  void stopWritesTheFileAndClosesTheRecording() throws Exception {
    CairnJfrEndpoint e = endpoint();
    long id = startedId(e.start("checkout", null, null, null, null));
    WebEndpointResponse<Map<String, Object>> stopped = e.act(id, "stop");
    assertThat(stopped.getStatus()).isEqualTo(200);
    assertThat(Files.size(dir.resolve((String) stopped.getBody().get("file")))).isPositive();
    assertThat(FlightRecorder.getFlightRecorder().getRecordings()).noneMatch(r -> r.getId() == id);
  }

  @Test
  void recordingsItStartsLeaveOutEnvironmentVariablesSystemPropertiesAndJvmArguments() throws Exception {
    CairnJfrEndpoint e = endpoint();
    long id = startedId(e.start(null, "cairn-detailed", null, null, null));
    Path file = dir.resolve((String) e.act(id, "stop").getBody().get("file"));
    List<String> types = RecordingFile.readAllEvents(file).stream().map(ev -> ev.getEventType().getName()).distinct().toList();
    assertThat(types).isNotEmpty().doesNotContainAnyElementsOf(CairnJfrEndpoint.SENSITIVE_EVENTS);
  }

  @Test
  void unknownActionIsRefused() {
    CairnJfrEndpoint e = endpoint();
    long id = startedId(e.start(null, null, null, null, null));
    assertThat(e.act(id, "pause").getStatus()).isEqualTo(400);
  }

  @Test
  void recordingsItDidNotStartAreListedButNeitherStoppedNorClosed() {
    try (Recording other = new Recording()) {
      other.setName("operator");
      other.start();
      CairnJfrEndpoint e = endpoint();
      assertThat(e.act(other.getId(), "stop").getStatus()).isEqualTo(404);
      assertThat(e.discard(other.getId()).getStatus()).isEqualTo(404);
      assertThat(other.getState()).isEqualTo(RecordingState.RUNNING);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> listed = (List<Map<String, Object>>) e.recordings().get("recordings");
      assertThat(listed).anySatisfy(m -> {
        assertThat(m).containsEntry("id", other.getId()).containsEntry("name", "operator").containsEntry("state", "RUNNING");
        assertThat(m).containsEntry("startedByEndpoint", false);
      });
    }
  }

  @Test
  void discardClosesTheRecordingWithoutWritingAFile() throws Exception {
    CairnJfrEndpoint e = endpoint();
    long id = startedId(e.start(null, null, null, null, null));
    assertThat(e.discard(id).getStatus()).isEqualTo(200);
    assertThat(FlightRecorder.getFlightRecorder().getRecordings()).noneMatch(r -> r.getId() == id);
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void closingTheEndpointClosesEveryRecordingItStarted() {
    CairnJfrEndpoint e = endpoint();
    long a = startedId(e.start("a", null, null, null, null));
    long b = startedId(e.start("b", null, null, null, null));
    e.close();
    assertThat(FlightRecorder.getFlightRecorder().getRecordings()).noneMatch(r -> r.getId() == a || r.getId() == b);
  }

  @Test
  void theOldestDumpIsDeletedBeyondMaxDumps() throws Exception {
    CairnJfrEndpoint e = endpoint(1, 2);
    long id = startedId(e.start(null, null, null, null, null));
    String first = (String) e.act(id, "dump").getBody().get("file");
    e.act(id, "dump");
    e.act(id, "dump");
    assertThat(dir.resolve(first)).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files).hasSize(2);
    }
  }

  @Test
  void downloadServesAFileItWrote() throws Exception {
    CairnJfrEndpoint e = endpoint();
    long id = startedId(e.start(null, null, null, null, null));
    String file = (String) e.act(id, "dump").getBody().get("file");
    WebEndpointResponse<Resource> r = e.download(file);
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getBody().contentLength()).isEqualTo(Files.size(dir.resolve(file)));
  }

  @Test
  void downloadRefusesFilesItDidNotWriteAndPathsOutsideItsDirectory() throws Exception {
    CairnJfrEndpoint e = endpoint();
    long id = startedId(e.start(null, null, null, null, null));
    e.act(id, "dump");
    Files.writeString(dir.resolve("foreign.jfr"), "not ours");
    assertThat(e.download("foreign.jfr").getStatus()).isEqualTo(404);
    assertThat(e.download("../../etc/passwd").getStatus()).isEqualTo(404);
    assertThat(e.download("..").getStatus()).isEqualTo(404);
  }

  @Test
  void defaultDirectoryIsAFreshOneCreatedOnTheFirstDump() throws Exception {
    CairnJfrEndpoint e = new CairnJfrEndpoint(new CairnProperties.Jfr.Endpoint());
    endpoints.add(e);
    assertThat(e.directory()).isNull();
    long id = startedId(e.start(null, null, null, null, null));
    e.act(id, "stop");
    Path d = e.directory();
    try {
      assertThat(d).isDirectory();
      assertThat(d.getFileName().toString()).startsWith("cairn-jfr-");
    } finally {
      try (var files = Files.list(d)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(d);
    }
  }

  @Test
  void dump_createsItsDirectoryAndFileOwnerOnly() throws Exception {
    // Asserts exact modes: under the common umask 022 the JDK alone gives rwxr-xr-x / rw-r--r--.
    Path nested = dir.resolve("dumps/jfr");
    CairnProperties.Jfr.Endpoint limits = new CairnProperties.Jfr.Endpoint();
    limits.setDirectory(nested.toString());
    CairnJfrEndpoint e = new CairnJfrEndpoint(limits);
    endpoints.add(e);
    long id = startedId(e.start(null, null, null, null, null));

    Path file = nested.resolve((String) e.act(id, "stop").getBody().get("file"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("dumps")))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void dump_redactsASecretInAThreadName() throws Exception {
    CairnJfrEndpoint e = endpoint();
    long id = startedId(e.start(null, null, null, null, null));
    Thread t = new Thread(() -> { }, "db-sync password=endpointsecret42");
    t.start();
    t.join();

    Path file = dir.resolve((String) e.act(id, "stop").getBody().get("file"));

    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    assertThat(bytes.contains("endpointsecret42")).isFalse();
    assertThat(bytes.contains("db-sync password=[REDACTED]")).isTrue();
  }
}
