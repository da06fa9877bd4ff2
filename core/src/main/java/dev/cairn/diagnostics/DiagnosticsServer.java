package dev.cairn.diagnostics;

import dev.cairn.diagnostics.internal.HttpAnswer;
import dev.cairn.diagnostics.internal.HttpLimits;
import dev.cairn.diagnostics.internal.HttpRequestHead;
import dev.cairn.diagnostics.internal.LoopbackHttpServer;
import dev.cairn.diagnostics.internal.TokenCheck;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.OwnerOnlyFiles;
import dev.cairn.internal.Reporter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The diagnostics surface over HTTP for applications without Spring: Cairn's own small HTTP/1.1
 * server, bound to {@code 127.0.0.1} unless another address is configured <em>and</em> {@code
 * allow-non-loopback} is set, with one I/O thread and a small fixed pool of daemon workers with a
 * bounded queue (never the application's threads).
 *
 * <p>Every request needs {@code Authorization: Bearer <token>}. The token comes from {@code
 * cairn.diagnostics.token} or is generated (256 random bits) and written to a file readable by
 * the owner only: {@code cairn.diagnostics.token-file}, or by default one per server, {@code
 * ${java.io.tmpdir}/cairn-diagnostics-<pid>-<port>.token}; the path is printed once to stderr.
 * Tokens are compared in constant time (SHA-256 of both sides, then {@link
 * MessageDigest#isEqual}). Request bodies over {@code max-request-bytes} are refused with 413.
 *
 * <p>No client can hold the server: a request's head must arrive within {@code head-timeout} and
 * its body within {@code body-timeout} (else 408), idle keep-alive connections close after
 * {@code idle-timeout}, at most {@code max-connections} are open (the oldest waiting one makes
 * room for a new one), and reading requests never occupies a worker.
 *
 * <pre>{@code
 * DiagnosticsServer server = DiagnosticsServer.start(Diagnostics.builder()
 *     .settings(DiagnosticsSettings.builder().enabled(true).port(9779).build())
 *     .build());
 * }</pre>
 */
public final class DiagnosticsServer implements AutoCloseable {
  private static final int MAX_QUERY_PARAMS = 32;
  /** Token files written by running servers of this JVM: a second server must not overwrite one. */
  private static final Set<Path> TOKEN_FILES = ConcurrentHashMap.newKeySet();

  private final Diagnostics diagnostics;
  private final LoopbackHttpServer server;
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
    HttpLimits limits =
        new HttpLimits(
            s.maxConnections(),
            s.threads(),
            s.queueSize(),
            s.headTimeout(),
            s.bodyTimeout(),
            s.idleTimeout(),
            s.writeTimeout(),
            s.maxHeaderBytes(),
            s.maxRequestBytes());
    this.server =
        new LoopbackHttpServer(
            new InetSocketAddress(bind, s.port()), limits, "cairn-diagnostics-", this::serve,
            reason -> Diagnostics.refused(reason).increment());
    String token;
    try {
      if (s.token().isPresent()) {
        token = s.token().get();
        generatedTokenFile = Optional.empty();
      } else {
        // The bound port is part of the default name: each server of the JVM has its own file.
        Path file = s.tokenFile().orElseGet(() -> defaultTokenFile(server.address().getPort()));
        Path key = file.toAbsolutePath().normalize();
        if (!TOKEN_FILES.add(key)) {
          throw new IllegalArgumentException(
              file + " holds the token of another diagnostics server in this JVM; give each server"
                  + " its own cairn.diagnostics.token-file (or leave it unset for a file per server)");
        }
        try {
          token = generateToken();
          writeOwnerOnly(file, token);
        } catch (IOException | RuntimeException e) {
          TOKEN_FILES.remove(key);
          throw e;
        }
        // Also removed when the JVM exits without close(): a stale token file is clutter.
        file.toFile().deleteOnExit();
        generatedTokenFile = Optional.of(file);
      }
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    this.tokenCheck = new TokenCheck(token);
    server.start();
  }

  private static Path defaultTokenFile(int port) {
    return Paths.get(
        System.getProperty("java.io.tmpdir"),
        "cairn-diagnostics-" + ProcessHandle.current().pid() + "-" + port + ".token");
  }

  /**
   * Starts the server with the surface's settings (whether or not {@code enabled} is set: calling
   * this is the explicit opt-in).
   *
   * @throws IllegalArgumentException for a non-loopback address without {@code allow-non-loopback},
   *     or a token file another server of this JVM is using
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
    return server.address();
  }

  public int port() {
    return address().getPort();
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

  /** Stops accepting and stops the workers (exchanges in flight are cut); deletes the token file. */
  @Override
  public void close() {
    server.close();
    generatedTokenFile.ifPresent(
        p -> {
          try {
            Files.deleteIfExists(p);
          } catch (IOException e) {
            Reporter.warn("diagnostics.token.delete", "Deleting the token file failed: " + e, null);
          } finally {
            TOKEN_FILES.remove(p.toAbsolutePath().normalize());
          }
        });
  }

  /** Answers one request on a worker thread; never throws. */
  private HttpAnswer serve(HttpRequestHead req) {
    String method = req.method();
    if (!tokenCheck.matchesAuthorization(req.header("Authorization").orElse(null))) {
      Diagnostics.refused("unauthorized").increment();
      return error(401, "bearer token required")
          .header("WWW-Authenticate", "Bearer realm=\"cairn\"");
    }
    if (!"GET".equals(method) && !"POST".equals(method)) {
      Diagnostics.refused("method").increment();
      return error(405, "GET or POST only").header("Allow", "GET, POST");
    }
    URI uri;
    try {
      uri = new URI(req.target());
    } catch (URISyntaxException e) {
      Diagnostics.refused("bad_request").increment();
      return error(400, "malformed request target");
    }
    String path = uri.getRawPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    Map<String, String> query;
    try {
      query = query(uri.getRawQuery());
    } catch (IllegalArgumentException e) {
      Diagnostics.refused("bad_request").increment();
      return error(400, "malformed query");
    }
    Diagnostics.Reply reply = diagnostics.handle(DiagnosticsRequest.of(method, path, query));
    DiagnosticsResponse r = reply.response();
    // The reply ends an exclusive operation: the server releases it before the answer's last
    // byte, so a client that waits for each answer never finds its own previous request running.
    HttpAnswer a = answer(r).onRelease(reply::close);
    Optional<Path> file = r.file();
    if (file.isPresent()) {
      a.file(file.get());
      r.fileName().ifPresent(n -> a.header("Content-Disposition", "attachment; filename=\"" + n + "\""));
    } else {
      a.body(reply.bodyBytes());
    }
    return a;
  }

  private static HttpAnswer answer(DiagnosticsResponse r) {
    return HttpAnswer.status(r.status()).header("Content-Type", r.contentType());
  }

  private static HttpAnswer error(int status, String message) {
    DiagnosticsResponse r = DiagnosticsResponse.error(status, message);
    return answer(r).body(r.body());
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
    OwnerOnlyFiles.createDirectories(dir); // a directory it makes for the token is 0700 from creation
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
