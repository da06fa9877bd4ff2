package dev.cairn.examples.storefront;

import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * The W3C Trace Context test-suite contract: {@code POST /test} with a JSON array of
 * {@code {"url": …, "arguments": …}}; each element, in order, becomes a POST of its arguments to
 * its url through the instrumented client, so the suite can check what this service propagates.
 */
@RestController
class TestSuiteController {
  private final RestClient client;

  TestSuiteController(RestClient.Builder builder) {
    this.client = builder.clone().build();
  }

  @PostMapping(path = "/test", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Void> test(@RequestBody List<Map<String, Object>> actions) {
    for (Map<String, Object> action : actions) {
      Object url = action.get("url");
      if (!(url instanceof String target)) {
        return ResponseEntity.badRequest().build();
      }
      client
          .post()
          .uri(target)
          .contentType(MediaType.APPLICATION_JSON)
          .body(action.getOrDefault("arguments", List.of()))
          .retrieve()
          .toBodilessEntity();
    }
    return ResponseEntity.ok().build();
  }
}
