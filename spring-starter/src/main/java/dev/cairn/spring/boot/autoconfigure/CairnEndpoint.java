package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.diagnostics.Diagnostics;
import dev.cairn.diagnostics.DiagnosticsRequest;
import dev.cairn.diagnostics.DiagnosticsResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cairn's diagnostics surface as the Actuator web endpoint {@code /actuator/cairn}: {@code
 * /actuator/cairn} lists what is there, {@code /actuator/cairn/threads}, {@code .../health}, {@code
 * .../metrics}, {@code .../fingerprint} and the rest answer as the loopback diagnostics server
 * would, with the same access rules (write and dump operations refused unless enabled through
 * {@code cairn.diagnostics.*}).
 *
 * <p>Off unless granted: its default access is {@code none}, so it is neither reachable nor listed
 * until {@code management.endpoint.cairn.access=read-only} and, for HTTP, {@code
 * management.endpoints.web.exposure.include=cairn}. A web endpoint only: no JMX MBean.
 */
@WebEndpoint(id = "cairn", defaultAccess = Access.NONE)
public class CairnEndpoint {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Diagnostics diagnostics;

  /** Serves {@code diagnostics}. */
  public CairnEndpoint(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** The index of the diagnostics surface. */
  @ReadOperation
  public WebEndpointResponse<Object> index() {
    return handle("/");
  }

  /** One page of the diagnostics surface, e.g. {@code threads} or {@code health}. */
  @ReadOperation
  public WebEndpointResponse<Object> page(@Selector(match = Selector.Match.ALL_REMAINING) String... path) {
    return handle("/" + String.join("/", path));
  }

  private WebEndpointResponse<Object> handle(String path) {
    try (Diagnostics.Reply reply = diagnostics.handle(DiagnosticsRequest.of("GET", path, Map.of()))) {
      DiagnosticsResponse r = reply.response();
      byte[] body = reply.bodyBytes();
      Object out;
      if (r.contentType().startsWith("application/json")) {
        out = JSON.readValue(body, Object.class);
      } else {
        // Actuator answers JSON; text pages (thread dump text, Prometheus) travel as a string.
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("contentType", r.contentType());
        wrapped.put("text", new String(body, StandardCharsets.UTF_8));
        out = wrapped;
      }
      return new WebEndpointResponse<>(out, r.status());
    } catch (RuntimeException e) {
      return new WebEndpointResponse<>(Map.of("error", "diagnostics failed: " + e.getClass().getSimpleName()), 500);
    }
  }
}
