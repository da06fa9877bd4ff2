package dev.cairn.examples.storefront;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plays the W3C Trace Context test suite's harness for the callbacks: {@code POST
 * /callback/<scope>.<n>} on 127.0.0.1, recorded with the request line, every header as sent and
 * the body. As strict as the harness's aiohttp server is in effect: a request offering {@code
 * Upgrade:} is refused (aiohttp treats it as an upgrade and reads no body), and so is an empty or
 * non-JSON body (the harness calls {@code request.json()}). Refusals answer 400 and are kept, so a
 * failing test can say what the service sent.
 */
final class SuiteHarnessServer implements AutoCloseable {
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private final ServerSocket socket;
  private final ExecutorService connections;
  private final Thread acceptor;
  private final Map<String, RawHttp.Message> callbacks = new ConcurrentHashMap<>();
  private final List<String> refusals = new ArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  SuiteHarnessServer() throws IOException {
    socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    connections = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "suite-harness-connection");
      t.setDaemon(true);
      return t;
    });
    acceptor = new Thread(this::accept, "suite-harness-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** The URL the suite would give the service for callback {@code n} of one test scope. */
  String callbackUrl(String scope, int n) {
    return "http://127.0.0.1:" + port() + "/callback/" + scope + "." + n;
  }

  Optional<RawHttp.Message> callback(String scope, int n) {
    return Optional.ofNullable(callbacks.get("/callback/" + scope + "." + n));
  }

  synchronized List<String> refusals() {
    return List.copyOf(refusals);
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        open.add(s);
        connections.execute(() -> serve(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** One request per connection, answered with Connection: close, as simple as HTTP allows. */
  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout(30_000);
      RawHttp.Message request = RawHttp.read(s.getInputStream(), false);
      String refusal = refusal(request);
      if (refusal != null) {
        synchronized (this) {
          refusals.add(refusal + ":\n" + request);
        }
        RawHttp.writeResponse(s.getOutputStream(), 400, "Bad Request",
            "{\"error\":\"" + refusal + "\"}");
        return;
      }
      callbacks.put(request.startLine().split(" ")[1], request);
      RawHttp.writeResponse(s.getOutputStream(), 200, "OK", "null");
    } catch (SocketException closed) {
      // the server is closing
    } catch (IOException e) {
      synchronized (this) {
        refusals.add("unreadable request: " + e);
      }
    } finally {
      open.remove(s);
    }
  }

  private static String refusal(RawHttp.Message request) {
    String[] line = request.startLine().split(" ");
    if (line.length != 3 || !line[0].equals("POST") || !line[1].startsWith("/callback/")
        || !line[2].equals("HTTP/1.1")) {
      return "not POST /callback/… HTTP/1.1";
    }
    if (!request.all("Upgrade").isEmpty()) {
      return "Upgrade offered";
    }
    if (request.body().length == 0) {
      return "empty body";
    }
    try {
      JSON.readTree(request.body());
    } catch (JacksonException e) {
      return "body is not JSON";
    }
    return null;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    socket.close();
    acceptor.join(5_000);
    for (Socket s : open) {
      s.close();
    }
    connections.shutdownNow();
    connections.awaitTermination(5, TimeUnit.SECONDS);
  }
}
