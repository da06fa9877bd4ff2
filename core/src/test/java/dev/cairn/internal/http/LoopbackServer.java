package dev.cairn.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A real HTTP receiver on 127.0.0.1 (the JDK's HttpServer) that answers from a script and records
 * every request, decompressing gzip bodies. Shared by the transport and exporter tests.
 */
public final class LoopbackServer implements AutoCloseable {
  /** One scripted reply. */
  public interface Reply {
    void answer(HttpExchange exchange) throws IOException;
  }

  /** A recorded request. */
  public static final class Received {
    public final String method;
    public final String path;
    public final Map<String, List<String>> headers;
    public final byte[] body;

    Received(String method, String path, Map<String, List<String>> headers, byte[] body) {
      this.method = method;
      this.path = path;
      this.headers = headers;
      this.body = body;
    }

    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    public String bodyAsString() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private volatile Reply fallback = status(200, "");
  public final List<Received> received = new CopyOnWriteArrayList<>();

  public LoopbackServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Replies used in order, one per request; afterwards {@link #otherwise(Reply)}. */
  public LoopbackServer then(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  public LoopbackServer otherwise(Reply reply) {
    fallback = reply;
    return this;
  }

  public static Reply status(int code, String body) {
    return status(code, body, Map.of());
  }

  public static Reply status(int code, String body, Map<String, String> headers) {
    return ex -> {
      headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
      if (b.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(b);
        }
      }
      ex.close();
    };
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      byte[] raw;
      try (InputStream in = ex.getRequestBody()) {
        raw = in.readAllBytes();
      }
      if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(raw))) {
          raw = z.readAllBytes();
        }
      }
      received.add(
          new Received(
              ex.getRequestMethod(),
              ex.getRequestURI().getPath(),
              Map.copyOf(ex.getRequestHeaders()),
              raw));
      Reply r = script.poll();
      (r != null ? r : fallback).answer(ex);
    } catch (IOException | RuntimeException e) {
      ex.close(); // the client went away (bombs, timeouts): nothing to answer
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
