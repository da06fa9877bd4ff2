package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.propagation.Setter;
import org.springframework.util.ClassUtils;

/**
 * Writes a header into the response object of a server observation: a servlet {@code
 * HttpServletResponse} (Spring MVC) or a reactive {@code ServerHttpResponse} (WebFlux). Other
 * response types are left alone. A committed servlet response is not touched.
 */
final class ResponseHeaderWriter implements Setter<Object> {
  private static final boolean SERVLET =
      ClassUtils.isPresent("jakarta.servlet.http.HttpServletResponse", ResponseHeaderWriter.class.getClassLoader());
  private static final boolean REACTIVE =
      ClassUtils.isPresent(
          "org.springframework.http.server.reactive.ServerHttpResponse", ResponseHeaderWriter.class.getClassLoader());

  @Override
  public void set(Object response, String name, String value) {
    if (SERVLET && response instanceof jakarta.servlet.http.HttpServletResponse) {
      jakarta.servlet.http.HttpServletResponse r = (jakarta.servlet.http.HttpServletResponse) response;
      if (!r.isCommitted()) {
        r.setHeader(name, value);
      }
    } else if (REACTIVE && response instanceof org.springframework.http.server.reactive.ServerHttpResponse) {
      org.springframework.http.server.reactive.ServerHttpResponse r =
          (org.springframework.http.server.reactive.ServerHttpResponse) response;
      if (!r.isCommitted()) {
        r.getHeaders().set(name, value);
      }
    }
  }
}
