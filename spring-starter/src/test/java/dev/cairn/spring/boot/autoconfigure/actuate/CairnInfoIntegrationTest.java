package dev.cairn.spring.boot.autoconfigure.actuate;

import static dev.cairn.spring.boot.autoconfigure.actuate.Apps.get;
import static dev.cairn.spring.boot.autoconfigure.actuate.Apps.json;
import static dev.cairn.spring.boot.autoconfigure.actuate.Apps.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.diagnostics.Fingerprint;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** {@code /actuator/info} of a real application on a random loopback port. */
class CairnInfoIntegrationTest {

  @Test
  void infoIsNotReachableOverHttpByDefault() throws Exception {
    try (ConfigurableApplicationContext app = start("--cairn.service-name=orders")) {
      assertThat(get(app, "/actuator/info").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void exposedInfoCarriesCairnsServiceResourceAndFingerprintHash() throws Exception {
    try (ConfigurableApplicationContext app =
        start("--cairn.service-name=orders", "--management.endpoints.web.exposure.include=info")) {
      HttpResponse<String> info = get(app, "/actuator/info");
      assertThat(info.statusCode()).isEqualTo(200);
      JsonNode cairn = json(info).get("cairn");
      assertThat(cairn.at("/service/name").asString()).isEqualTo("orders");
      assertThat(cairn.at("/resource/service.name").asString()).isEqualTo("orders");
      assertThat(cairn.at("/fingerprint/hash").asString()).isEqualTo(Fingerprint.capture().hash());
    }
  }
}
