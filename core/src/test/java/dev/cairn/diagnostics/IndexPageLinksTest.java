package dev.cairn.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The index page as a browser uses it: every link it offers opens, wherever it is served. */
class IndexPageLinksTest {
  private static final String TOKEN = "index-links-test-token-0123456789";
  private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");

  static List<String> hrefs(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = HREF.matcher(html);
    while (m.find()) {
      out.add(m.group(1).replace("&amp;", "&"));
    }
    return out;
  }

  @Test
  void index_onTheLoopbackServer_everyLinkAnswers200() throws Exception {
    Diagnostics d =
        Diagnostics.builder()
            .settings(DiagnosticsSettings.builder().port(0).token(TOKEN).build())
            .discoverContributors(false)
            .build();
    try (DiagnosticsServer server = DiagnosticsServer.start(d);
        RawHttp http = new RawHttp(server.port())) {
      RawHttp.Answer index = http.send(RawHttp.get("/", TOKEN)).read();
      List<String> links = hrefs(index.text());

      assertThat(links).contains("./threads", "./traces", "./health");
      for (String href : links) {
        // A browser resolves ./x against http://127.0.0.1:port/.
        String path = "/" + href.substring(2);
        RawHttp.Answer a = http.send(RawHttp.get(path, TOKEN)).read();
        assertThat(a.status()).as(href).isEqualTo(200);
      }
    }
  }

  @Test
  void index_whenMountedElsewhere_linksRelativeToTheMountAndHasNoTokenInstructions() {
    Diagnostics d = Diagnostics.builder().discoverContributors(false).build();
    try (Diagnostics.Reply r =
        d.handle(DiagnosticsRequest.of("GET", "/", Map.of()).mountedAt("cairn"))) {
      String html = new String(r.bodyBytes(), StandardCharsets.UTF_8);

      assertThat(hrefs(html)).isNotEmpty().allMatch(h -> h.equals("cairn") || h.startsWith("cairn/"));
      assertThat(html).doesNotContain("Bearer").doesNotContain("127.0.0.1");
    }
  }

  @Test
  void index_linksNoEndpointThatNeedsAParameterOrAnOptIn() {
    Diagnostics d =
        Diagnostics.builder()
            .discoverContributors(false)
            .contributor(
                new DiagnosticsContributor() {
                  @Override
                  public String name() {
                    return "test";
                  }

                  @Override
                  public List<DiagnosticsEndpoint> endpoints() {
                    return List.of(
                        DiagnosticsEndpoint.of("/test/file", "GET", Access.DUMP, "A download",
                            req -> DiagnosticsResponse.error(400, "needs ?name=")));
                  }
                })
            .build();
    try (Diagnostics.Reply r = d.handle(DiagnosticsRequest.of("GET", "/", Map.of()))) {
      String html = new String(r.bodyBytes(), StandardCharsets.UTF_8);

      assertThat(html).contains("/test/file");
      assertThat(hrefs(html)).doesNotContain("./test/file", "./heap/dump");
    }
  }
}
