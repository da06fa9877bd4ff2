package dev.cairn.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that waits for each answer before it asks again never finds its own previous request
 * still holding the exclusive permit (issue 13 item 7: 52 of 200 sequential black-box downloads
 * and 12 of 30 histograms were refused with 429).
 */
class DiagnosticsServerSequentialClientsTest {
  private static final String TOKEN = "test-token-0123456789abcdef";
  /** Larger than one 64 KiB write step of the server, so downloads stream in several. */
  private static final int DUMP_BYTES = 150_000;

  @TempDir Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private DiagnosticsServer start(DiagnosticsSettings.Builder settings, DiagnosticsEndpoint... endpoints)
      throws IOException {
    DiagnosticsServer s =
        DiagnosticsServer.start(
            Diagnostics.builder()
                .settings(settings.token(TOKEN).dumpDirectory(dir.resolve("dumps")).build())
                .contributor(contributor(List.of(endpoints)))
                .discoverContributors(false)
                .build());
    closeables.add(s);
    return s;
  }

  @Test
  void exclusiveRead_whenTheClientWaitsForEachAnswer_neverAnswers429() throws Exception {
    DiagnosticsServer s =
        start(
            DiagnosticsSettings.builder(),
            DiagnosticsEndpoint.exclusiveRead("/test/exclusive", "exclusive", r -> DiagnosticsResponse.text("ran")));
    List<Integer> statuses = new ArrayList<>();
    try (RawHttp c = new RawHttp(s.port())) {
      for (int i = 0; i < 200; i++) {
        statuses.add(c.send(RawHttp.get("/test/exclusive", TOKEN)).read().status());
      }
    }

    assertThat(statuses).hasSize(200).containsOnly(200);
  }

  @Test
  void dumpDownload_whenTheClientWaitsForEachOne_neverAnswers429AndDeletesEveryFile() throws Exception {
    byte[] content = new byte[DUMP_BYTES];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    DiagnosticsServer s =
        start(
            DiagnosticsSettings.builder().dumpsEnabled(true),
            DiagnosticsEndpoint.of("/test/dump", "POST", Access.DUMP, "file dump", r -> {
              Path f = Files.createTempFile(r.scratchDirectory(), "test-", ".bin");
              Files.write(f, content);
              return DiagnosticsResponse.file(f, "application/octet-stream", "test.bin", true);
            }));
    List<Integer> statuses = new ArrayList<>();
    int intact = 0;
    try (RawHttp c = new RawHttp(s.port())) {
      for (int i = 0; i < 200; i++) {
        RawHttp.Answer a =
            c.send("POST /test/dump HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Length: 0\r\n\r\n")
                .read();
        statuses.add(a.status());
        if (Arrays.equals(a.body(), content)) {
          intact++;
        }
      }
    }

    assertThat(statuses).hasSize(200).containsOnly(200);
    assertThat(intact).isEqualTo(200);
    try (var files = Files.list(dir.resolve("dumps"))) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void heapHistogram_whenAnHttpUrlConnectionClientWaitsForEachAnswer_neverAnswers429() throws Exception {
    DiagnosticsServer s = start(DiagnosticsSettings.builder());
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      HttpURLConnection c = (HttpURLConnection) s.uri().resolve("heap/histogram?top=1").toURL().openConnection();
      c.setRequestProperty("Authorization", "Bearer " + TOKEN);
      c.setReadTimeout(30_000);
      statuses.add(c.getResponseCode());
      try (InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
        in.readAllBytes(); // read to the end, so the connection goes back to the keep-alive cache
      }
    }

    assertThat(statuses).hasSize(12).containsOnly(200);
  }

  private static DiagnosticsContributor contributor(List<DiagnosticsEndpoint> endpoints) {
    return new DiagnosticsContributor() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public List<DiagnosticsEndpoint> endpoints() {
        return endpoints;
      }
    };
  }
}
