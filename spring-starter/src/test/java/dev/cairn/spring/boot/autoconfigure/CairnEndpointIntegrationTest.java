package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.diagnostics.Diagnostics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code cairn} Actuator endpoint in a real application on a random loopback port. */
class CairnEndpointIntegrationTest {
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final JsonMapper JSON = JsonMapper.builder().build();

  @SpringBootApplication
  static class App {
    @org.springframework.web.bind.annotation.RestController
    static class Probe {
      @org.springframework.web.bind.annotation.GetMapping("/feeding-probe")
      String probe() {
        return "ok";
      }
    }
  }

  static ConfigurableApplicationContext start(String... extra) {
    List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
    args.addAll(List.of(extra));
    return new SpringApplication(App.class).run(args.toArray(new String[0]));
  }

  static HttpResponse<String> get(ConfigurableApplicationContext app, String path) throws Exception {
    int port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void freshApp_doesNotExposeOrListTheEndpoint() throws Exception {
    try (ConfigurableApplicationContext app = start("--management.endpoints.web.exposure.include=*")) {
      assertThat(get(app, "/actuator/cairn").statusCode()).isEqualTo(404);
      assertThat(get(app, "/actuator/cairn/threads").statusCode()).isEqualTo(404);
      assertThat(get(app, "/actuator").body()).doesNotContain("cairn");
      assertThat(app.getBeansOfType(Diagnostics.class)).isEmpty();
    }
  }

  @Test
  void grantedAndExposed_servesTheDiagnosticsSurfaceReadOnly() throws Exception {
    try (ConfigurableApplicationContext app =
        start("--management.endpoint.cairn.access=read-only", "--management.endpoints.web.exposure.include=cairn")) {
      HttpResponse<String> index = get(app, "/actuator/cairn");
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
      JsonNode fingerprint = JSON.readTree(get(app, "/actuator/cairn/fingerprint").body());
      assertThat(fingerprint.isObject()).isTrue();
      HttpResponse<String> threads = get(app, "/actuator/cairn/threads");
      assertThat(threads.statusCode()).isEqualTo(200);
      assertThat(threads.body()).contains("main");
      assertThat(get(app, "/actuator").body()).contains("cairn");
    }
  }

  @Test
  void index_underActuator_isHtmlWhoseEveryLinkOpens() throws Exception {
    try (ConfigurableApplicationContext app =
        start("--management.endpoint.cairn.access=read-only", "--management.endpoints.web.exposure.include=cairn")) {
      HttpResponse<String> index = get(app, "/actuator/cairn");

      assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
      assertThat(index.body()).doesNotContain("Bearer").doesNotContain("127.0.0.1:PORT");
      List<String> links = new ArrayList<>();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("href=\"([^\"]*)\"").matcher(index.body());
      while (m.find()) {
        links.add(m.group(1));
      }
      assertThat(links).contains("cairn/threads", "cairn/traces", "cairn/health");
      URI page = URI.create("http://127.0.0.1/actuator/cairn");
      for (String href : links) {
        // Resolved as a browser does, against the page's own URL.
        String path = page.resolve(href).getPath();
        assertThat(path).as(href).startsWith("/actuator/cairn");
        assertThat(get(app, path).statusCode()).as(path).isEqualTo(200);
      }
    }
  }

  @Test
  void index_underAnotherBasePathAndContextPath_linksStillOpen() throws Exception {
    try (ConfigurableApplicationContext app =
        start("--management.endpoint.cairn.access=read-only", "--management.endpoints.web.exposure.include=cairn",
            "--management.endpoints.web.base-path=/manage", "--server.servlet.context-path=/shop")) {
      HttpResponse<String> index = get(app, "/shop/manage/cairn");
      assertThat(index.statusCode()).isEqualTo(200);

      URI page = URI.create("http://127.0.0.1/shop/manage/cairn");
      String href = "cairn/traces";
      assertThat(index.body()).contains("href=\"" + href + "\"");
      assertThat(get(app, page.resolve(href).getPath()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void pages_underActuator_keepTheirContentTypes() throws Exception {
    try (ConfigurableApplicationContext app =
        start("--management.endpoint.cairn.access=read-only", "--management.endpoints.web.exposure.include=cairn")) {
      assertThat(get(app, "/actuator/cairn/threads").headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      assertThat(get(app, "/actuator/cairn/traces").headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
      assertThat(get(app, "/actuator/cairn/health").headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
      assertThat(get(app, "/actuator/cairn/heap/histogram?top=3").body()).contains("\"top\":3");
    }
  }

  @Test
  void traces_underActuatorWithoutWiring_showTheApplicationsRequests() throws Exception {
    try (ConfigurableApplicationContext app =
        start("--management.endpoint.cairn.access=read-only", "--management.endpoints.web.exposure.include=cairn")) {
      assertThat(get(app, "/feeding-probe").statusCode()).isEqualTo(200);

      HttpResponse<String> page = get(app, "/actuator/cairn/traces");
      HttpResponse<String> json = get(app, "/actuator/cairn/traces/json?traces=200");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("/feeding-probe").doesNotContain("0 spans kept of 0 seen");
      assertThat(json.body()).contains("/feeding-probe");
    }
  }

  @Test
  void diagnosticsEnabled_withoutActuatorEndpoint_servesTheRequestsOnLoopback() throws Exception {
    String token = "starter-loopback-token-0123456789";
    try (ConfigurableApplicationContext app =
        start("--cairn.diagnostics.enabled=true", "--cairn.diagnostics.port=0", "--cairn.diagnostics.token=" + token)) {
      assertThat(get(app, "/feeding-probe").statusCode()).isEqualTo(200);
      int port = app.getBean(dev.cairn.Cairn.class).diagnosticsServer().orElseThrow().port();

      HttpResponse<String> traces =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/traces/json?traces=200"))
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(traces.statusCode()).isEqualTo(200);
      assertThat(traces.body()).contains("/feeding-probe");
    }
  }

  @Test
  void unknownPage_answers404() throws Exception {
    try (ConfigurableApplicationContext app =
        start("--management.endpoint.cairn.access=read-only", "--management.endpoints.web.exposure.include=cairn")) {
      assertThat(get(app, "/actuator/cairn/no-such-page").statusCode()).isEqualTo(404);
    }
  }
}
