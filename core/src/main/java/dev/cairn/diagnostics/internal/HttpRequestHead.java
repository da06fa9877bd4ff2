package dev.cairn.diagnostics.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The request line and headers of one HTTP/1.0 or HTTP/1.1 request, parsed strictly (RFC 9112):
 * a malformed line is refused rather than guessed at, since the server sits next to secrets.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class HttpRequestHead {
  /** At most this many header lines; more is answered 431 like too many bytes. */
  static final int MAX_HEADERS = 100;

  private final String method;
  private final String target;
  private final boolean http11;
  private final Map<String, String> headers;
  private final long contentLength;

  private HttpRequestHead(
      String method, String target, boolean http11, Map<String, String> headers, long contentLength) {
    this.method = method;
    this.target = target;
    this.http11 = http11;
    this.headers = headers;
    this.contentLength = contentLength;
  }

  /** A request the server refuses before any handler sees it; the status says why. */
  public static final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String reason;

    /**
     * @param status the answer, e.g. 400
     * @param reason the {@code cairn.diagnostics.refused} reason tag
     * @param message what the client is told
     */
    HttpError(int status, String reason, String message) {
      super(message, null, false, false);
      this.status = status;
      this.reason = reason;
    }

    public int status() {
      return status;
    }

    public String reason() {
      return reason;
    }
  }

  /** The method token as sent, e.g. {@code GET}. */
  public String method() {
    return method;
  }

  /** The request target as sent, e.g. {@code /threads?x=1}. */
  public String target() {
    return target;
  }

  /** Whether the request is HTTP/1.1 (else 1.0). */
  public boolean http11() {
    return http11;
  }

  /** A header by name (case-insensitive); repeated headers are joined with {@code ", "}. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The body length from {@code Content-Length}, 0 when absent. */
  public long contentLength() {
    return contentLength;
  }

  /** Whether the connection stays open after the answer (HTTP/1.1 without {@code close}). */
  public boolean keepAlive() {
    String c = headers.get("connection");
    if (c != null && hasToken(c, "close")) {
      return false;
    }
    // HTTP/1.0 keep-alive is an old extension; one request per connection is always correct.
    return http11;
  }

  /** Whether the client waits for {@code 100 Continue} before sending the body. */
  public boolean expectsContinue() {
    String e = headers.get("expect");
    return http11 && e != null && e.trim().equalsIgnoreCase("100-continue");
  }

  private static boolean hasToken(String list, String token) {
    for (String t : list.split(",")) {
      if (t.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The index just past the empty line that ends a head in {@code b[0, len)}, or -1 while it is
   * incomplete. Empty lines before the request line are skipped (RFC 9112 §2.2).
   *
   * @param from where scanning may resume: bytes before it held no end
   */
  static int headEnd(byte[] b, int from, int len) {
    int start = leadingEmptyLines(b, len);
    for (int i = Math.max(from, start); i < len; i++) {
      if (b[i] != '\n') {
        continue;
      }
      if (i + 1 < len && b[i + 1] == '\n') {
        return i + 2;
      }
      if (i + 2 < len && b[i + 1] == '\r' && b[i + 2] == '\n') {
        return i + 3;
      }
    }
    return -1;
  }

  /** Where scanning for the end may resume next time, given {@code len} bytes had no end. */
  static int resumeFrom(int len) {
    return Math.max(0, len - 2);
  }

  private static int leadingEmptyLines(byte[] b, int len) {
    int i = 0;
    while (i < len && (b[i] == '\r' || b[i] == '\n')) {
      i++;
    }
    return i;
  }

  /** Parses {@code b[0, end)}, where {@code end} came from {@link #headEnd}. */
  static HttpRequestHead parse(byte[] b, int end) throws HttpError {
    int start = leadingEmptyLines(b, end);
    // ISO-8859-1 keeps every byte as one char, so obs-text in values survives unchanged.
    String text = new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\n", -1);
    String requestLine = stripCr(lines[0]);
    int sp1 = requestLine.indexOf(' ');
    int sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 <= sp1 + 1 || requestLine.indexOf(' ', sp2 + 1) >= 0) {
      throw bad("malformed request line");
    }
    String method = requestLine.substring(0, sp1);
    String target = requestLine.substring(sp1 + 1, sp2);
    String version = requestLine.substring(sp2 + 1);
    if (!isToken(method)) {
      throw bad("malformed method");
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw bad("malformed request target");
      }
    }
    boolean http11;
    if (version.equals("HTTP/1.1")) {
      http11 = true;
    } else if (version.equals("HTTP/1.0")) {
      http11 = false;
    } else if (version.length() == 8 && version.startsWith("HTTP/")
        && isDigit(version.charAt(5)) && version.charAt(6) == '.' && isDigit(version.charAt(7))) {
      throw new HttpError(505, "bad_request", "HTTP/1.1 or HTTP/1.0 only");
    } else {
      throw bad("malformed HTTP version");
    }
    Map<String, String> headers = new HashMap<>();
    String contentLength = null;
    int count = 0;
    // The last element is what follows the final newline: empty.
    for (int n = 1; n < lines.length - 1; n++) {
      String line = stripCr(lines[n]);
      if (line.isEmpty()) {
        break;
      }
      if (++count > MAX_HEADERS) {
        throw new HttpError(431, "header_too_large", "more than " + MAX_HEADERS + " header fields");
      }
      int colon = line.indexOf(':');
      // A leading space is an obsolete line folding; a space before the colon is forbidden.
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        throw bad("malformed header field");
      }
      String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if ((c < ' ' && c != '\t') || c == 0x7f) {
          throw bad("control character in header field " + name);
        }
      }
      if (name.equals("content-length")) {
        if (contentLength != null && !contentLength.equals(value)) {
          throw bad("conflicting Content-Length");
        }
        contentLength = value;
      }
      headers.merge(name, value, (a, v) -> a + ", " + v);
    }
    String te = headers.get("transfer-encoding");
    if (te != null) {
      // Every endpoint reads no body; a length up front lets the server bound and skip it.
      if (hasToken(te, "chunked")) {
        throw new HttpError(411, "length_required", "send the body with a Content-Length");
      }
      throw new HttpError(501, "bad_request", "unsupported Transfer-Encoding");
    }
    long length = 0;
    if (contentLength != null) {
      if (contentLength.isEmpty() || contentLength.length() > 18) {
        throw bad("malformed Content-Length");
      }
      for (int i = 0; i < contentLength.length(); i++) {
        if (!isDigit(contentLength.charAt(i))) {
          throw bad("malformed Content-Length");
        }
      }
      length = Long.parseLong(contentLength);
    }
    return new HttpRequestHead(method, target, http11, headers, length);
  }

  private static HttpError bad(String message) {
    return new HttpError(400, "bad_request", message);
  }

  private static String stripCr(String line) throws HttpError {
    String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    if (l.indexOf('\r') >= 0) {
      // A bare CR could make another parser on the way see a different line (RFC 9112 §2.2).
      throw bad("bare CR in the request head");
    }
    return l;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** RFC 9110 token: one or more tchar. */
  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean tchar =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c)
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!tchar) {
        return false;
      }
    }
    return true;
  }
}
