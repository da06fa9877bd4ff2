package dev.cairn.diagnostics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.diagnostics.internal.TokenCheck;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The diagnostics surface over HTTP for applications without Spring: the JDK's built-in server,
 * bound to {@code 127.0.0.1} unless another address is configured <em>and</em> {@code
 * allow-non-loopback} is set, on its own small fixed pool of daemon threads with a bounded queue
 * (never the application's threads).
 *
 * <p>Every request needs {@code Authorization: Bearer <token>}. The token comes from {@code
 * cairn.diagnostics.token} or is generated (256 random bits) and written to {@code
 * cairn.diagnostics.token-file}, readable by the owner only; the path is printed once to stderr.
 * Tokens are compared in constant time (SHA-256 of both sides, then {@link
 * MessageDigest#isEqual}). Request bodies over {@code max-request-bytes} are refused with 413.
 *
 * <pre>{@code
 * DiagnosticsServer server = DiagnosticsServer.start(Diagnostics.builder()
 *     .settings(DiagnosticsSettings.builder().enabled(true).port(9779).build())
 *     .build());
 * }</pre>
 */
public final class DiagnosticsServer implements AutoCloseable {
  private static final int MAX_QUERY_PARAMS = 32;

  private final Diagnostics diagnostics;
  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final TokenCheck tokenCheck;
  private final Optional<Path> generatedTokenFile;

  private DiagnosticsServer(Diagnostics diagnostics) throws IOException {
    DiagnosticsSettings s = diagnostics.settings();
    this.diagnostics = diagnostics;
    InetAddress bind = InetAddress.getByName(s.bindAddress());
    if (!bind.isLoopbackAddress() && !s.allowNonLoopback()) {
      throw new IllegalArgumentException(
          "refusing to bind the diagnostics server to the non-loopback address " + s.bindAddress()
              + "; set cairn.diagnostics.allow-non-loopback=true to allow it");
    }
    String token;
    if (s.token().isPresent()) {
      token = s.token().get();
      generatedTokenFile = Optional.empty();
    } else {
      token = generateToken();
      writeOwnerOnly(s.tokenFile(), token);
      // Also removed when the JVM exits without close(): a stale token file is clutter.
      s.tokenFile().toFile().deleteOnExit();
      generatedTokenFile = Optional.of(s.tokenFile());
    }
    this.tokenCheck = new TokenCheck(token);
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            s.threads(),
            s.threads(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(s.queueSize()),
            r -> {
              Thread t = new Thread(r, "cairn-diagnostics-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            (r, ex) -> {
              Diagnostics.refused("overloaded").increment();
              // The JDK server closes the connection of a request it cannot hand to a worker.
              throw new RejectedExecutionException("diagnostics server busy");
            });
    executor.allowCoreThreadTimeOut(true);
    this.server = HttpServer.create(new InetSocketAddress(bind, s.port()), 16);
    server.createContext("/", this::exchange);
    server.setExecutor(executor);
    server.start();
  }

  /**
   * Starts the server with the surface's settings (whether or not {@code enabled} is set: calling
   * this is the explicit opt-in).
   *
   * @throws IllegalArgumentException for a non-loopback address without {@code allow-non-loopback}
   * @throws IOException when the port cannot be bound or the token file cannot be written
   */
  public static DiagnosticsServer start(Diagnostics diagnostics) throws IOException {
    DiagnosticsServer s = new DiagnosticsServer(diagnostics);
    System.err.println(
        "[cairn] diagnostics server on " + s.uri()
            + s.generatedTokenFile
                .map(p -> "; bearer token in " + p + " (readable by its owner only)")
                .orElse("; bearer token from cairn.diagnostics.token"));
    return s;
  }

  /**
   * Starts the server when {@code cairn.diagnostics.enabled=true}; otherwise, or when starting
   * fails (reported once), returns empty. Never throws.
   */
  public static Optional<DiagnosticsServer> startIfEnabled(Diagnostics diagnostics) {
    if (!diagnostics.settings().enabled()) {
      return Optional.empty();
    }
    try {
      return Optional.of(start(diagnostics));
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      Reporter.warn("diagnostics.server.start", "Cairn diagnostics server did not start: " + t.getMessage(), t);
      return Optional.empty();
    }
  }

  /** The bound address (with the real port when 0 was configured). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URI, e.g. {@code http://127.0.0.1:9779/}. */
  public URI uri() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  /** The file holding the generated token, when the token was generated. */
  public Optional<Path> generatedTokenFile() {
    return generatedTokenFile;
  }

  /** Stops accepting and stops the workers (exchanges in flight are cut). */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    generatedTokenFile.ifPresent(
        p -> {
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            Reporter.warn("diagnostics.token.delete", "Deleting the token file failed: " + e, null);
          }
        });
  }

  private void exchange(HttpExchange ex) {
    try (ex) {
      serve(ex);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      Diagnostics.refused("io").increment();
      Reporter.warn("diagnostics.server.exchange", "Diagnostics request failed: " + t, null);
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    String method = ex.getRequestMethod();
    if (!tokenCheck.matchesAuthorization(ex.getRequestHeaders().getFirst("Authorization"))) {
      Diagnostics.refused("unauthorized").increment();
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"cairn\"");
      send(ex, DiagnosticsResponse.error(401, "bearer token required"), null);
      return;
    }
    if (!"GET".equals(method) && !"POST".equals(method)) {
      Diagnostics.refused("method").increment();
      send(ex, DiagnosticsResponse.error(405, "GET or POST only"), null);
      return;
    }
    if (!drainBody(ex.getRequestBody(), diagnostics.settings().maxRequestBytes())) {
      Diagnostics.refused("request_too_large").increment();
      send(ex, DiagnosticsResponse.error(413, "request body larger than cairn.diagnostics.max-request-bytes"), null);
      return;
    }
    String path = ex.getRequestURI().getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    Map<String, String> query;
    try {
      query = query(ex.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException e) {
      Diagnostics.refused("bad_request").increment();
      send(ex, DiagnosticsResponse.error(400, "malformed query"), null);
      return;
    }
    try (Diagnostics.Reply reply = diagnostics.handle(DiagnosticsRequest.of(method, path, query))) {
      send(ex, reply.response(), reply);
    }
  }

  private static void send(HttpExchange ex, DiagnosticsResponse r, Diagnostics.Reply reply)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", r.contentType());
    Optional<Path> file = r.file();
    if (file.isPresent()) {
      long size = Files.size(file.get());
      r.fileName().ifPresent(n ->
          ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + n + "\""));
      ex.sendResponseHeaders(r.status(), size == 0 ? -1 : size);
      try (OutputStream out = ex.getResponseBody(); InputStream in = Files.newInputStream(file.get())) {
        in.transferTo(out);
      }
      return;
    }
    byte[] body = reply != null ? reply.bodyBytes() : r.body();
    ex.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Reads and discards the body; false when it exceeds {@code max}. */
  private static boolean drainBody(InputStream in, int max) throws IOException {
    byte[] buf = new byte[Math.min(8192, max + 1)];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > max) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    int n = 0;
    for (String part : raw.split("&")) {
      if (part.isEmpty() || ++n > MAX_QUERY_PARAMS) {
        continue;
      }
      int eq = part.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }

  private static String generateToken() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Writes the token to a fresh owner-only file next to {@code file}, then moves it in place. */
  private static void writeOwnerOnly(Path file, String token) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp;
    try {
      tmp = Files.createTempFile(dir, ".cairn-token", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      tmp = Files.createTempFile(dir, ".cairn-token", ".tmp");
    }
    try {
      Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
