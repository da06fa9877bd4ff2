package dev.cairn.examples.storefront;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A minimal HTTP/1.1 reader and writer over plain sockets, for tests that must see (or choose) the
 * bytes on the wire: header names as sent, repeated headers, whitespace around values, chunked
 * bodies. Written for the test, not for general use: no line folding, no trailers kept, bounded.
 */
final class RawHttp {
  private static final int MAX_HEAD = 64 * 1024;
  private static final int MAX_BODY = 1024 * 1024;

  private RawHttp() {}

  record Header(String name, String value) {}

  /** One request or response as read: start line, headers in order, and the decoded body. */
  record Message(String startLine, List<Header> headers, byte[] body) {
    List<String> all(String name) {
      List<String> out = new ArrayList<>();
      for (Header h : headers) {
        if (h.name().equalsIgnoreCase(name)) {
          out.add(h.value());
        }
      }
      return out;
    }

    Optional<String> first(String name) {
      List<String> all = all(name);
      return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The status code of a response. */
    int status() {
      String[] parts = startLine.split(" ", 3);
      return Integer.parseInt(parts[1]);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(startLine).append('\n');
      headers.forEach(h -> sb.append(h.name()).append(": ").append(h.value()).append('\n'));
      return sb.append('\n').append(bodyText()).toString();
    }
  }

  /**
   * Reads one message. The body is framed by {@code Transfer-Encoding: chunked} or {@code
   * Content-Length}; without either a request has none and a response runs to the end of the
   * stream (the peer was asked to close).
   */
  static Message read(InputStream in, boolean isResponse) throws IOException {
    int[] budget = {MAX_HEAD};
    String start = line(in, budget);
    List<Header> headers = new ArrayList<>();
    for (String l = line(in, budget); !l.isEmpty(); l = line(in, budget)) {
      int colon = l.indexOf(':');
      if (colon <= 0 || l.charAt(0) == ' ' || l.charAt(0) == '\t') {
        throw new IOException("malformed header line: " + l);
      }
      headers.add(new Header(l.substring(0, colon), trimOws(l.substring(colon + 1))));
    }
    Message head = new Message(start, headers, new byte[0]);
    byte[] body;
    if (head.all("Transfer-Encoding").stream()
        .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
      body = chunked(in, budget);
    } else if (head.first("Content-Length").isPresent()) {
      int n = Integer.parseInt(head.first("Content-Length").get().trim());
      if (n > MAX_BODY) {
        throw new IOException("body too large: " + n);
      }
      body = in.readNBytes(n);
      if (body.length != n) {
        throw new EOFException("body ended after " + body.length + " of " + n + " bytes");
      }
    } else if (isResponse) {
      body = in.readNBytes(MAX_BODY);
    } else {
      body = new byte[0];
    }
    return new Message(start, headers, body);
  }

  private static byte[] chunked(InputStream in, int[] budget) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in, budget);
      int semicolon = sizeLine.indexOf(';');
      int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!line(in, budget).isEmpty()) {
          // trailer fields: read and ignored
        }
        return out.toByteArray();
      }
      if (out.size() + size > MAX_BODY) {
        throw new IOException("body too large");
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length != size) {
        throw new EOFException("chunk ended early");
      }
      out.write(chunk);
      if (!line(in, budget).isEmpty()) {
        throw new IOException("chunk not followed by CRLF");
      }
    }
  }

  /** One line without its CRLF (a bare LF is accepted), ISO-8859-1 as HTTP defines field bytes. */
  private static String line(InputStream in, int[] budget) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside the message head");
      }
      if (--budget[0] < 0) {
        throw new IOException("message head over " + MAX_HEAD + " bytes");
      }
      if (b == '\n') {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
      }
      sb.append((char) b);
    }
  }

  private static String trimOws(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return s.substring(from, to);
  }

  static void writeResponse(OutputStream out, int status, String reason, String json)
      throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
        + "Content-Type: application/json; charset=utf-8\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Connection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /**
   * Sends one request to 127.0.0.1:{@code port} exactly as given (header names, order, repeats
   * and whitespace untouched), asks the server to close, and reads the response.
   */
  static Message exchange(int port, String method, String target, List<Header> headers, String json)
      throws IOException {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder()
        .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n");
    for (Header h : headers) {
      head.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    if (json != null) {
      head.append("Content-Type: application/json\r\n");
    }
    head.append("Content-Length: ").append(body.length).append("\r\n")
        .append("Connection: close\r\n\r\n");
    try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
      // Generous: a loaded two-core machine may take seconds to answer the first requests.
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return read(s.getInputStream(), true);
    }
  }
}
