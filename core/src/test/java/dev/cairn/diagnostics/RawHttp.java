package dev.cairn.diagnostics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client that speaks HTTP/1.1 bytes over a plain {@link Socket} on 127.0.0.1, so a test can send
 * exactly what a slow or broken client sends and see exactly what comes back.
 */
final class RawHttp implements AutoCloseable {
  /** One answer as read off the wire. */
  record Answer(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(int port) throws IOException {
    // Generous: a read that waits this long has found a hang, not a slow machine.
    this(port, 20_000);
  }

  RawHttp(int port, int readTimeoutMillis) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(readTimeoutMillis);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  static String get(String path, String token) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n";
  }

  RawHttp send(String ascii) throws IOException {
    out.write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** Reads one answer; {@code bodyExpected} false for answers to HEAD. */
  Answer read(boolean bodyExpected) throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("connection closed before an answer");
    }
    int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    String l;
    while ((l = line()) != null && !l.isEmpty()) {
      int c = l.indexOf(':');
      headers.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
    }
    byte[] body = new byte[0];
    String length = headers.get("content-length");
    if (bodyExpected && length != null) {
      body = in.readNBytes(Integer.parseInt(length));
    }
    return new Answer(status, headers, body);
  }

  Answer read() throws IOException {
    return read(true);
  }

  /** Whether the server closed the connection (end of stream or reset), waiting up to the read timeout. */
  boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset
    }
  }

  /** Everything until the server closes, as text. */
  String readToEnd() throws IOException {
    try {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (SocketException e) {
      return "";
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
