package dev.cairn.diagnostics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpRequestHeadTest {
  private static HttpRequestHead parse(String head) throws HttpRequestHead.HttpError {
    byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
    int end = HttpRequestHead.headEnd(b, 0, b.length);
    assertThat(end).as("end of head").isEqualTo(b.length);
    return HttpRequestHead.parse(b, end);
  }

  private static int status(String head) {
    try {
      parse(head);
      return 0;
    } catch (HttpRequestHead.HttpError e) {
      return e.status();
    }
  }

  @Test
  void parse_readsMethodTargetHeadersAndLength() throws Exception {
    HttpRequestHead h = parse("POST /a?b=c HTTP/1.1\r\nHost: x\r\ncontent-length:  12 \r\nX-A: 1\r\nx-a: 2\r\n\r\n");

    assertThat(h.method()).isEqualTo("POST");
    assertThat(h.target()).isEqualTo("/a?b=c");
    assertThat(h.contentLength()).isEqualTo(12);
    assertThat(h.header("X-A")).hasValue("1, 2");
    assertThat(h.keepAlive()).isTrue();
  }

  @Test
  void headEnd_acceptsBareLineFeedsAndWaitsForTheEmptyLine() {
    byte[] partial = "GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] lf = "GET / HTTP/1.1\nHost: x\n\n".getBytes(StandardCharsets.ISO_8859_1);

    assertThat(HttpRequestHead.headEnd(partial, 0, partial.length)).isEqualTo(-1);
    assertThat(HttpRequestHead.headEnd(lf, 0, lf.length)).isEqualTo(lf.length);
  }

  @Test
  void connectionClose_andHttp10_endKeepAlive() throws Exception {
    assertThat(parse("GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n").keepAlive()).isFalse();
    assertThat(parse("GET / HTTP/1.0\r\n\r\n").keepAlive()).isFalse();
  }

  @Test
  void malformedHeads_areRefusedWithTheirStatus() {
    assertThat(status("GET  / HTTP/1.1\r\n\r\n")).isEqualTo(400);
    assertThat(status("GET / HTTP/1.1\r\nHost : x\r\n\r\n")).isEqualTo(400);
    assertThat(status("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n")).isEqualTo(400);
    assertThat(status("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n")).isEqualTo(400);
    assertThat(status("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")).isEqualTo(400);
    assertThat(status("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n")).isEqualTo(400);
    assertThat(status("GET / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")).isEqualTo(411);
    assertThat(status("GET / HTTP/3.0\r\n\r\n")).isEqualTo(505);
    assertThat(status("GET / HTTX/1.1\r\n\r\n")).isEqualTo(400);
  }

  @Test
  void tooManyHeaderFields_areRefused431() {
    StringBuilder b = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i <= HttpRequestHead.MAX_HEADERS; i++) {
      b.append("X-").append(i).append(": v\r\n");
    }
    assertThat(status(b.append("\r\n").toString())).isEqualTo(431);
  }
}
