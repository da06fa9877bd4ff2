package dev.cairn.diagnostics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The JDK client against a {@link DiagnosticsServer} on loopback. */
final class Http {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String token;

  Http(DiagnosticsServer server, String token) {
    this.base = server.uri();
    this.token = token;
  }

  HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, token);
  }

  HttpResponse<String> post(String path) throws Exception {
    return send("POST", path, token);
  }

  HttpResponse<String> send(String method, String path, String bearer) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path.substring(1)))
            .timeout(Duration.ofSeconds(60))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String method, String path) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(base.resolve(path.substring(1)))
            .timeout(Duration.ofSeconds(120))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header("Authorization", "Bearer " + token)
            .build();
    return client.send(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpClient client() {
    return client;
  }

  URI uri(String path) {
    return base.resolve(path.substring(1));
  }
}
