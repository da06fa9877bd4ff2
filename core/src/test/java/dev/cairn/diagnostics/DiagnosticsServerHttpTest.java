package dev.cairn.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/1.1 as the diagnostics server speaks it, byte by byte over a raw socket. */
class DiagnosticsServerHttpTest {
  private static final String TOKEN = "test-token-0123456789abcdef";
  private static final String AUTH = "Authorization: Bearer " + TOKEN + "\r\n";
  private static final String UTF8_TEXT = "grüße, 世界";

  @TempDir Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private DiagnosticsServer start(DiagnosticsSettings.Builder settings) throws IOException {
    DiagnosticsContributor c =
        new DiagnosticsContributor() {
          @Override
          public String name() {
            return "test";
          }

          @Override
          public List<DiagnosticsEndpoint> endpoints() {
            return List.of(
                DiagnosticsEndpoint.of("/test/ping", "GET", Access.READ, "pong", r -> DiagnosticsResponse.text("pong")),
                DiagnosticsEndpoint.of("/test/utf8", "GET", Access.READ, "text", r -> DiagnosticsResponse.text(UTF8_TEXT)),
                DiagnosticsEndpoint.of("/test/post", "POST", Access.READ, "post", r -> DiagnosticsResponse.text("posted")));
          }
        };
    DiagnosticsServer s =
        DiagnosticsServer.start(
            Diagnostics.builder()
                .settings(settings.token(TOKEN).dumpDirectory(dir.resolve("dumps")).build())
                .contributor(c)
                .discoverContributors(false)
                .build());
    closeables.add(s);
    return s;
  }

  private RawHttp connect() throws IOException {
    RawHttp c = new RawHttp(start(DiagnosticsSettings.builder()).port());
    closeables.add(c);
    return c;
  }

  private RawHttp connect(DiagnosticsServer s) throws IOException {
    RawHttp c = new RawHttp(s.port());
    closeables.add(c);
    return c;
  }

  @Test
  void contentLength_isTheBodysLengthInBytes() throws Exception {
    RawHttp.Answer a = connect().send(RawHttp.get("/test/utf8", TOKEN)).read();

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("Content-Length")).isEqualTo(String.valueOf(UTF8_TEXT.getBytes(StandardCharsets.UTF_8).length));
    assertThat(a.text()).isEqualTo(UTF8_TEXT);
    assertThat(a.header("Cache-Control")).isEqualTo("no-store");
    assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(a.header("Date")).endsWith("GMT");
  }

  @Test
  void keepAlive_servesSeveralRequestsOnOneConnection() throws Exception {
    RawHttp c = connect();

    for (int i = 0; i < 5; i++) {
      assertThat(c.send(RawHttp.get("/test/ping", TOKEN)).read().text()).isEqualTo("pong");
    }
  }

  @Test
  void pipelinedRequests_areAnsweredInOrder() throws Exception {
    RawHttp c = connect().send(RawHttp.get("/test/ping", TOKEN) + RawHttp.get("/test/utf8", TOKEN));

    assertThat(c.read().text()).isEqualTo("pong");
    assertThat(c.read().text()).isEqualTo(UTF8_TEXT);
  }

  @Test
  void connectionClose_isAnsweredThenTheServerCloses() throws Exception {
    RawHttp c = connect().send("GET /test/ping HTTP/1.1\r\nHost: x\r\n" + AUTH + "Connection: close\r\n\r\n");

    RawHttp.Answer a = c.read();

    assertThat(a.text()).isEqualTo("pong");
    assertThat(a.header("Connection")).isEqualTo("close");
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void http10Request_isAnsweredAndClosed() throws Exception {
    RawHttp c = connect().send("GET /test/ping HTTP/1.0\r\n" + AUTH + "\r\n");

    assertThat(c.read().text()).isEqualTo("pong");
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void head_isAnsweredWithoutABodyAndTheConnectionStaysUsable() throws Exception {
    RawHttp c = connect().send("HEAD /test/ping HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");

    RawHttp.Answer head = c.read(false);

    assertThat(head.status()).isEqualTo(405);
    assertThat(head.header("Allow")).isEqualTo("GET, POST");
    assertThat(Integer.parseInt(head.header("Content-Length"))).isPositive();
    // Had the server sent body bytes after the HEAD answer, they would be read as this status line.
    assertThat(c.send(RawHttp.get("/test/ping", TOKEN)).read().text()).isEqualTo("pong");
  }

  @Test
  void unknownMethod_is401WithoutTokenAnd405WithIt() throws Exception {
    RawHttp c = connect();

    assertThat(c.send("PATCH /test/ping HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read().status()).isEqualTo(401);
    assertThat(c.send("PATCH /test/ping HTTP/1.1\r\nHost: x\r\n" + AUTH + "Content-Length: 0\r\n\r\n").read().status())
        .isEqualTo(405);
  }

  @Test
  void malformedRequestLine_isAnswered400AndClosed() throws Exception {
    long before = Diagnostics.refused("bad_request").count();
    RawHttp c = connect().send("NOT A REQUEST LINE AT ALL\r\n\r\n");

    RawHttp.Answer a = c.read();

    assertThat(a.status()).isEqualTo(400);
    assertThat(c.closedByServer()).isTrue();
    assertThat(Diagnostics.refused("bad_request").count()).isGreaterThan(before);
  }

  @Test
  void controlCharactersInAHeader_areAnswered400() throws Exception {
    RawHttp c = connect().send("GET /test/ping HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n" + AUTH + "\r\n");

    assertThat(c.read().status()).isEqualTo(400);
  }

  @Test
  void headLargerThanMaxHeaderBytes_isAnswered431() throws Exception {
    DiagnosticsServer s = start(DiagnosticsSettings.builder().maxHeaderBytes(1024));
    RawHttp c = connect(s).send("GET /test/ping HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(2000) + "\r\n" + AUTH + "\r\n");

    assertThat(c.read().status()).isEqualTo(431);
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void chunkedBody_isAnswered411() throws Exception {
    RawHttp c =
        connect().send("POST /test/post HTTP/1.1\r\nHost: x\r\n" + AUTH + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");

    assertThat(c.read().status()).isEqualTo(411);
  }

  @Test
  void unknownTransferCoding_isAnswered501() throws Exception {
    RawHttp c = connect().send("POST /test/post HTTP/1.1\r\nHost: x\r\n" + AUTH + "Transfer-Encoding: gzip\r\n\r\n");

    assertThat(c.read().status()).isEqualTo(501);
  }

  @Test
  void otherHttpVersion_isAnswered505() throws Exception {
    RawHttp c = connect().send("GET /test/ping HTTP/2.0\r\nHost: x\r\n" + AUTH + "\r\n");

    assertThat(c.read().status()).isEqualTo(505);
  }

  @Test
  void bodyWithinTheCap_isReadAndTheConnectionStaysUsable() throws Exception {
    RawHttp c = connect().send("POST /test/post HTTP/1.1\r\nHost: x\r\n" + AUTH + "Content-Length: 5\r\n\r\nhello");

    assertThat(c.read().text()).isEqualTo("posted");
    assertThat(c.send(RawHttp.get("/test/ping", TOKEN)).read().text()).isEqualTo("pong");
  }

  @Test
  void bodyOverTheCap_isAnswered413WithoutWaitingForIt() throws Exception {
    DiagnosticsServer s = start(DiagnosticsSettings.builder().maxRequestBytes(16));
    RawHttp c = connect(s).send("POST /test/post HTTP/1.1\r\nHost: x\r\n" + AUTH + "Content-Length: 100000\r\n\r\nabc");

    RawHttp.Answer a = c.read();

    assertThat(a.status()).isEqualTo(413);
    assertThat(a.text()).contains("cairn.diagnostics.max-request-bytes");
  }

  @Test
  void expectContinue_getsA100BeforeTheBody() throws Exception {
    RawHttp c =
        connect().send("POST /test/post HTTP/1.1\r\nHost: x\r\n" + AUTH + "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n");

    assertThat(c.read(false).status()).isEqualTo(100);
    assertThat(c.send("hello").read().text()).isEqualTo("posted");
  }

  @Test
  void absoluteFormTargetAndLeadingEmptyLines_areAccepted() throws Exception {
    DiagnosticsServer s = start(DiagnosticsSettings.builder());
    RawHttp c = connect(s).send("\r\nGET " + s.uri() + "test/ping HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");

    assertThat(c.read().text()).isEqualTo("pong");
  }

  @Test
  void close_stopsTheServersThreadsAndPort() throws Exception {
    long before = ioThreads();
    DiagnosticsServer s = start(DiagnosticsSettings.builder());
    int port = s.port();
    connect(s).send(RawHttp.get("/test/ping", TOKEN)).read();
    assertThat(ioThreads()).isEqualTo(before + 1);

    s.close();

    assertThat(ioThreads()).isEqualTo(before);
    try (Socket probe = new Socket()) {
      assertThatThrownBy(() -> probe.connect(new InetSocketAddress("127.0.0.1", port), 2000))
          .isInstanceOf(IOException.class);
    }
  }

  private static long ioThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("cairn-diagnostics-io") && t.isAlive())
        .count();
  }
}
