package dev.cairn.diagnostics;

import java.util.regex.Pattern;

/**
 * One endpoint of the diagnostics surface: a path, the methods it answers, what access it needs,
 * and a handler. Immutable.
 *
 * <pre>{@code
 * DiagnosticsEndpoint.of("/jfr/recordings", "GET", Access.READ, "Flight recordings", req -> …)
 * }</pre>
 */
public final class DiagnosticsEndpoint {
  private static final Pattern PATH = Pattern.compile("(/[a-z0-9][a-z0-9._-]{0,63}){1,6}|/");

  /** Produces the response; exceptions become a 500 (counted) and never reach the application. */
  @FunctionalInterface
  public interface Handler {
    DiagnosticsResponse handle(DiagnosticsRequest request) throws Exception;
  }

  private final String path;
  private final String method;
  private final Access access;
  private final String description;
  private final boolean exclusive;
  private final Handler handler;

  private DiagnosticsEndpoint(
      String path, String method, Access access, String description, boolean exclusive, Handler handler) {
    this.path = path;
    this.method = method;
    this.access = access;
    this.description = description;
    this.exclusive = exclusive;
    this.handler = handler;
  }

  /**
   * An endpoint. {@link Access#DUMP} endpoints are exclusive (one at a time across the surface).
   *
   * @param path lowercase segments such as {@code /jfr/dump}
   * @param method {@code GET} or {@code POST} ({@code WRITE}/{@code DUMP} endpoints should use
   *     {@code POST})
   * @throws IllegalArgumentException for a malformed path or method
   */
  public static DiagnosticsEndpoint of(
      String path, String method, Access access, String description, Handler handler) {
    return new DiagnosticsEndpoint(
        checkPath(path), checkMethod(method), access, description, access == Access.DUMP, handler);
  }

  /**
   * A read endpoint that is expensive for the JVM (e.g. a class histogram pauses it), so it also
   * runs one at a time with the dumps.
   */
  public static DiagnosticsEndpoint exclusiveRead(String path, String description, Handler handler) {
    return new DiagnosticsEndpoint(checkPath(path), "GET", Access.READ, description, true, handler);
  }

  private static String checkPath(String path) {
    if (path == null || !PATH.matcher(path).matches()) {
      throw new IllegalArgumentException(
          "endpoint path must be lowercase segments like /jfr/dump, was " + path);
    }
    return path;
  }

  private static String checkMethod(String method) {
    if (!"GET".equals(method) && !"POST".equals(method)) {
      throw new IllegalArgumentException("endpoint method must be GET or POST, was " + method);
    }
    return method;
  }

  public String path() {
    return path;
  }

  public String method() {
    return method;
  }

  public Access access() {
    return access;
  }

  public String description() {
    return description;
  }

  /** Whether it runs one at a time with the other exclusive endpoints (others get 429). */
  public boolean exclusive() {
    return exclusive;
  }

  public Handler handler() {
    return handler;
  }

  @Override
  public String toString() {
    return method + " " + path + " (" + access + ")";
  }
}
