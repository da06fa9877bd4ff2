package dev.cairn.diagnostics;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;

/** A request to a diagnostics endpoint: method, path below the surface's root, query parameters. */
public final class DiagnosticsRequest {
  private final String method;
  private final String path;
  private final Map<String, String> query;
  private final Path scratchDirectory;
  private final long maxDumpBytes;
  private final Optional<String> mount;

  private DiagnosticsRequest(
      String method,
      String path,
      Map<String, String> query,
      Path scratchDirectory,
      long maxDumpBytes,
      Optional<String> mount) {
    this.method = method;
    this.path = path;
    this.query = Map.copyOf(query);
    this.scratchDirectory = scratchDirectory;
    this.maxDumpBytes = maxDumpBytes;
    this.mount = mount;
  }

  /** A request; {@code query} holds the first value of each parameter. */
  public static DiagnosticsRequest of(String method, String path, Map<String, String> query) {
    return new DiagnosticsRequest(
        method, path, query, Paths.get(System.getProperty("java.io.tmpdir")), Long.MAX_VALUE,
        Optional.empty());
  }

  DiagnosticsRequest withDumpLimits(Path dir, long maxBytes) {
    return new DiagnosticsRequest(method, path, query, dir, maxBytes, mount);
  }

  /**
   * The same request, served by another HTTP server at a URL whose last segment is {@code
   * segment} (Spring Boot Actuator's {@code /actuator/cairn}: {@code "cairn"}). Pages then link
   * relative to that URL, so their links work under any base path, and leave out the loopback
   * server's bearer-token instructions (that server's own security applies).
   *
   * @throws IllegalArgumentException unless {@code segment} is one non-empty path segment of
   *     letters, digits, {@code -}, {@code _} or {@code .}
   */
  public DiagnosticsRequest mountedAt(String segment) {
    if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..")
        || !segment.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128
            || c == '-' || c == '_' || c == '.')) {
      throw new IllegalArgumentException("not a single path segment: " + segment);
    }
    return new DiagnosticsRequest(method, path, query, scratchDirectory, maxDumpBytes, Optional.of(segment));
  }

  /** The segment given to {@link #mountedAt}; empty when served by the loopback server. */
  public Optional<String> mount() {
    return mount;
  }

  /**
   * A directory readable only by this process's user where an endpoint writes files it answers
   * with (dumps); created on first use.
   */
  public Path scratchDirectory() {
    return scratchDirectory;
  }

  /** The most bytes a dump may have ({@code cairn.diagnostics.dumps.max-bytes}). */
  public long maxDumpBytes() {
    return maxDumpBytes;
  }

  /** {@code GET} or {@code POST}. */
  public String method() {
    return method;
  }

  /** The path, e.g. {@code /jfr/recordings}. */
  public String path() {
    return path;
  }

  /** Query parameters (first value of each). */
  public Map<String, String> query() {
    return query;
  }

  /** One query parameter. */
  public Optional<String> param(String name) {
    return Optional.ofNullable(query.get(name));
  }

  /**
   * An integer query parameter clamped to {@code [min, max]}, or {@code dflt} when absent.
   *
   * @throws IllegalArgumentException when present but not an integer (answered with 400)
   */
  public int intParam(String name, int dflt, int min, int max) {
    String v = query.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Math.max(min, Math.min(max, Integer.parseInt(v.trim())));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("query parameter " + name + " must be an integer, was " + v);
    }
  }
}
