package dev.cairn.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cairn.Cairn;
import dev.cairn.export.otlp.OtlpSpanExporter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13 item 10 / RELIABILITY H35: a closed {@code Cairn} with an HTTP exporter leaves no
 * thread behind, the JDK client's selector thread included, on JDK 17 (where that thread ends only
 * once the client is unreachable) and on 21+ (where the transport shuts the client down). The
 * closed instances stay referenced by the test, as an application holding a closed instance in a
 * field would.
 */
@Timeout(120)
class HttpTransportThreadsTest {
  private HttpServer server;
  private String url;

  @BeforeEach
  void startBackend() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
  }

  @AfterEach
  void stopBackend() {
    server.stop(0);
  }

  private static boolean httpThread(Thread t) {
    return t.getName().startsWith("HttpClient-") || t.getName().startsWith("cairn-");
  }

  private static Set<Thread> httpThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(HttpTransportThreadsTest::httpThread)
        .collect(Collectors.toSet());
  }

  @Test
  void close_afterExporting_leavesNoHttpClientOrCairnThread() throws Exception {
    Set<Thread> before = httpThreads();
    List<Cairn> closed = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Cairn cairn =
          Cairn.builder()
              .serviceName("threads")
              .shutdownHook(false)
              .addSpanExporter(OtlpSpanExporter.builder().endpoint(url).build())
              .build();
      cairn.tracer().startSpan("s" + i).end();
      assertThat(cairn.flush(Duration.ofSeconds(10))).isTrue();
      cairn.close();
      closed.add(cairn);
    }

    // On JDK 17 the selector thread polls for its client's reachability every few seconds; the
    // bound is generous for a loaded 2-core machine and is not the behaviour under test.
    Set<Thread> left = httpThreads();
    left.removeAll(before);
    for (int i = 0; i < 150 && !left.isEmpty(); i++) {
      System.gc();
      Thread.sleep(200);
      left = httpThreads();
      left.removeAll(before);
    }
    assertThat(left.stream().map(Thread::getName)).isEmpty();
    assertThat(closed).allMatch(Cairn::isClosed);
  }
}
