package dev.cairn.export.otlp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A backend on loopback that accepts every connection and then never reads nor answers: the
 * shape of a hung collector. Closing it closes what it accepted, so no socket outlives the test.
 */
final class BlackholeBackend implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  BlackholeBackend() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  accepted.add(server.accept()); // never read, never answer
                } catch (IOException e) {
                  return;
                }
              }
            },
            "blackhole-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The OTLP traces URL of this backend. */
  URI tracesEndpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/traces");
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : accepted) {
      s.close();
    }
  }
}
