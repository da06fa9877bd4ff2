package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.diagnostics.Diagnostics;
import dev.cairn.diagnostics.DiagnosticsRequest;
import dev.cairn.diagnostics.DiagnosticsResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.util.MimeType;

/**
 * Cairn's diagnostics surface as the Actuator web endpoint {@code /actuator/cairn}, page for page
 * as the loopback diagnostics server serves it: {@code /actuator/cairn} is the HTML index whose
 * links open {@code /actuator/cairn/threads}, {@code .../traces}, {@code .../health} and the rest;
 * each page answers with its own content type (HTML, JSON, plain text) and status, under the same
 * access rules (write and dump operations refused unless enabled through {@code
 * cairn.diagnostics.*}). The pages carry no bearer-token instructions: Actuator's own security
 * applies.
 *
 * <p>Off unless granted: its default access is {@code none}, so it is neither reachable nor listed
 * until {@code management.endpoint.cairn.access=read-only} and, for HTTP, {@code
 * management.endpoints.web.exposure.include=cairn}. A web endpoint only: no JMX MBean.
 */
@WebEndpoint(id = "cairn", defaultAccess = Access.NONE)
public class CairnEndpoint {
  /** The last segment of the endpoint's URL: the index page links relative to it. */
  private static final String MOUNT = "cairn";

  private final Diagnostics diagnostics;

  /** Serves {@code diagnostics}. */
  public CairnEndpoint(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** The index of the diagnostics surface (HTML). */
  @ReadOperation(produces = {"text/html", "application/json", "text/plain"})
  public WebEndpointResponse<byte[]> index() {
    return handle("/", Map.of());
  }

  /**
   * One page of the diagnostics surface, e.g. {@code threads} or {@code traces}, with the query
   * parameters its pages take ({@code ?traces=N}, {@code ?top=N&live=true}, {@code ?spanId=},
   * {@code ?name=}).
   */
  @ReadOperation(produces = {"text/html", "application/json", "text/plain"})
  public WebEndpointResponse<byte[]> page(
      @Selector(match = Selector.Match.ALL_REMAINING) String[] path,
      @Nullable String traces,
      @Nullable String top,
      @Nullable String live,
      @Nullable String spanId,
      @Nullable String name) {
    Map<String, String> query = new LinkedHashMap<>();
    put(query, "traces", traces);
    put(query, "top", top);
    put(query, "live", live);
    put(query, "spanId", spanId);
    put(query, "name", name);
    return handle("/" + String.join("/", path), query);
  }

  private static void put(Map<String, String> query, String key, @Nullable String value) {
    if (value != null) {
      query.put(key, value);
    }
  }

  private WebEndpointResponse<byte[]> handle(String path, Map<String, String> query) {
    try (Diagnostics.Reply reply =
        diagnostics.handle(DiagnosticsRequest.of("GET", path, query).mountedAt(MOUNT))) {
      DiagnosticsResponse r = reply.response();
      if (r.file().isPresent()) {
        // Dumps are POST operations of the loopback server; a read operation never streams one.
        return error(404, "downloads are served by the loopback diagnostics server only");
      }
      return new WebEndpointResponse<>(reply.bodyBytes().clone(), r.status(), MimeType.valueOf(r.contentType()));
    } catch (RuntimeException e) {
      return error(500, "diagnostics failed: " + e.getClass().getSimpleName());
    }
  }

  private static WebEndpointResponse<byte[]> error(int status, String message) {
    String json = "{\"status\":" + status + ",\"error\":\"" + message + "\"}";
    return new WebEndpointResponse<>(
        json.getBytes(StandardCharsets.UTF_8), status, MimeType.valueOf("application/json"));
  }
}
