package dev.cairn.spring.boot.autoconfigure.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real Spring Boot application on a random loopback port, and an HTTP client for it. */
final class Apps {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final JsonMapper JSON = JsonMapper.builder().build();

  private Apps() {}

  @SpringBootApplication
  static class App {}

  static ConfigurableApplicationContext start(String... extra) {
    List<String> args =
        new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
    args.addAll(List.of(extra));
    return new SpringApplication(App.class).run(args.toArray(new String[0]));
  }

  static URI uri(ConfigurableApplicationContext app, String path) {
    int port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
    return URI.create("http://127.0.0.1:" + port + path);
  }

  static HttpResponse<String> get(ConfigurableApplicationContext app, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(app, path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }
}
