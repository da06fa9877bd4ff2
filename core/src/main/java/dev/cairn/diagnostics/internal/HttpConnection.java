package dev.cairn.diagnostics.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One connection of {@link LoopbackHttpServer}, driven by its I/O thread only: reads the head and
 * body without blocking under a deadline, hands the request to a worker, writes the answer, then
 * waits for the next request (keep-alive, under the idle deadline) or closes.
 */
final class HttpConnection {
  enum State {
    /** Waiting for (the rest of) a request head; the head deadline runs. */
    HEAD,
    /** Reading and discarding the body; the body deadline runs. */
    BODY,
    /** A worker answers; no deadline, nothing read. */
    DISPATCHED,
    /** Writing the answer; the write deadline runs from the last progress. */
    WRITING,
    /** Keep-alive, no byte of the next request yet; the idle deadline runs. */
    IDLE,
    /** Answered and half-closed; reading what the client still sends so it sees the answer. */
    LINGER,
    CLOSED
  }

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final long LINGER_MAX_BYTES = 1 << 20;
  private static final int FILE_CHUNK = 64 * 1024;

  private final LoopbackHttpServer server;
  private final HttpLimits limits;
  final SocketChannel channel;
  final SelectionKey key;
  State state = State.HEAD;
  /** {@link System#nanoTime()} when the current state's deadline passes (unused while DISPATCHED). */
  long deadline;

  private final byte[] in;
  private int inLen;
  private int scanFrom;
  private HttpRequestHead head;
  private long bodyLeft;
  private boolean closeAfter;
  private long lingered;

  private HttpAnswer answer;
  private ByteBuffer[] out;
  private ByteBuffer fileBuf;
  private long filePos;
  private long fileUnread;

  HttpConnection(LoopbackHttpServer server, SocketChannel channel, SelectionKey key, long now) {
    this.server = server;
    this.limits = server.limits();
    this.channel = channel;
    this.key = key;
    this.in = new byte[limits.maxHeaderBytes()];
    this.deadline = now + limits.headTimeout().toNanos();
  }

  /** Whether a closed connection would cut a request or answer in progress. */
  boolean busy() {
    return state == State.DISPATCHED || state == State.WRITING;
  }

  void onReadable() throws IOException {
    switch (state) {
      case HEAD:
      case IDLE:
        readHead();
        break;
      case BODY:
        readBody();
        break;
      case LINGER:
        drainLinger();
        break;
      default:
        break;
    }
  }

  void onWritable() throws IOException {
    if (state == State.WRITING) {
      write();
    }
  }

  /** The deadline of the current state passed. */
  void expire() {
    switch (state) {
      case HEAD:
        server.refused("timeout");
        if (inLen > 0) {
          tryOnce(HttpAnswer.error(408, "request head not received within the deadline"));
        }
        close();
        break;
      case BODY:
        server.refused("timeout");
        tryOnce(HttpAnswer.error(408, "request body not received within the deadline"));
        close();
        break;
      case WRITING:
        server.refused("write_timeout");
        close();
        break;
      case IDLE:
      case LINGER:
        close();
        break;
      default:
        break;
    }
  }

  private void readHead() throws IOException {
    int n = channel.read(ByteBuffer.wrap(in, inLen, in.length - inLen));
    if (n < 0) {
      // Gone before (or between) requests: nothing to answer.
      close();
      return;
    }
    if (n > 0 && state == State.IDLE) {
      state = State.HEAD;
      deadline = System.nanoTime() + limits.headTimeout().toNanos();
    }
    inLen += n;
    parseHead();
  }

  private void parseHead() throws IOException {
    int end = HttpRequestHead.headEnd(in, scanFrom, inLen);
    if (end < 0) {
      if (inLen == in.length) {
        refuse(new HttpRequestHead.HttpError(
            431, "header_too_large", "request head larger than cairn.diagnostics.max-header-bytes"));
      } else {
        scanFrom = HttpRequestHead.resumeFrom(inLen);
      }
      return;
    }
    try {
      head = HttpRequestHead.parse(in, end);
    } catch (HttpRequestHead.HttpError e) {
      refuse(e);
      return;
    }
    consume(end);
    if (head.contentLength() > limits.maxRequestBytes()) {
      refuse(new HttpRequestHead.HttpError(
          413, "request_too_large", "request body larger than cairn.diagnostics.max-request-bytes"));
      return;
    }
    bodyLeft = head.contentLength();
    closeAfter = !head.keepAlive();
    if (bodyLeft > 0 && head.expectsContinue() && inLen == 0) {
      // The send buffer is empty between answers: 25 bytes go at once or the peer is broken.
      ByteBuffer b = ByteBuffer.wrap(CONTINUE);
      channel.write(b);
      if (b.hasRemaining()) {
        close();
        return;
      }
    }
    takeBody();
  }

  private void readBody() throws IOException {
    int n = channel.read(ByteBuffer.wrap(in, inLen, in.length - inLen));
    if (n < 0) {
      server.refused("io");
      close();
      return;
    }
    inLen += n;
    takeBody();
  }

  /** Discards body bytes from the buffer (no endpoint reads a body); dispatches once all came. */
  private void takeBody() {
    int take = (int) Math.min(bodyLeft, inLen);
    consume(take);
    bodyLeft -= take;
    if (bodyLeft > 0) {
      if (state != State.BODY) {
        state = State.BODY;
        deadline = System.nanoTime() + limits.bodyTimeout().toNanos();
      }
      return;
    }
    state = State.DISPATCHED;
    key.interestOps(0);
    server.dispatch(this, head);
  }

  private void consume(int n) {
    System.arraycopy(in, n, in, 0, inLen - n);
    inLen -= n;
    scanFrom = 0;
  }

  /** A request refused before any handler: answered, then the connection closes. */
  private void refuse(HttpRequestHead.HttpError e) throws IOException {
    server.refused(e.reason());
    head = null;
    inLen = 0;
    startWrite(HttpAnswer.error(e.status(), e.getMessage()), true);
  }

  /** Starts writing an answer (on the I/O thread); the connection must be DISPATCHED or reading. */
  void startWrite(HttpAnswer a, boolean close) throws IOException {
    answer = a;
    closeAfter |= close;
    boolean headRequest = head != null && head.method().equals("HEAD");
    long length = a.contentLength();
    out = new ByteBuffer[] {
      ByteBuffer.wrap(headBytes(a, length)),
      ByteBuffer.wrap(headRequest || a.hasFile() ? new byte[0] : a.bodyBytes())
    };
    fileUnread = headRequest || !a.hasFile() ? 0 : length;
    filePos = 0;
    state = State.WRITING;
    deadline = System.nanoTime() + limits.writeTimeout().toNanos();
    write();
  }

  private byte[] headBytes(HttpAnswer a, long length) {
    StringBuilder b = new StringBuilder(256);
    b.append("HTTP/1.1 ").append(a.statusCode()).append(' ').append(reason(a.statusCode())).append("\r\n");
    b.append("Date: ").append(DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
    b.append("Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n");
    for (String[] h : a.headers()) {
      b.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    b.append("Content-Length: ").append(length).append("\r\n");
    if (closeAfter) {
      b.append("Connection: close\r\n");
    }
    b.append("\r\n");
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private void write() throws IOException {
    if (out[0].hasRemaining() || out[1].hasRemaining()) {
      if (fileUnread == 0) {
        // This write may end the answer: free what the answer held before the client can see it.
        answer.release();
      }
      if (channel.write(out) > 0) {
        deadline = System.nanoTime() + limits.writeTimeout().toNanos();
      }
      if (out[0].hasRemaining() || out[1].hasRemaining()) {
        key.interestOps(SelectionKey.OP_WRITE);
        return;
      }
    }
    while (fileUnread > 0 || (fileBuf != null && fileBuf.hasRemaining())) {
      if (fileBuf == null || !fileBuf.hasRemaining()) {
        if (fileBuf == null) {
          fileBuf = ByteBuffer.allocate((int) Math.min(FILE_CHUNK, fileUnread));
        }
        fileBuf.clear();
        // The last byte is read on its own, so the release can run just before it is written.
        fileBuf.limit((int) (fileUnread > 1 ? Math.min(fileBuf.capacity(), fileUnread - 1) : 1));
        int r = answer.channel().read(fileBuf, filePos);
        if (r <= 0) {
          throw new IOException("the file being sent became shorter");
        }
        filePos += r;
        fileUnread -= r;
        fileBuf.flip();
      }
      if (fileUnread == 0) {
        answer.release();
      }
      if (channel.write(fileBuf) > 0) {
        deadline = System.nanoTime() + limits.writeTimeout().toNanos();
      }
      if (fileBuf.hasRemaining()) {
        key.interestOps(SelectionKey.OP_WRITE);
        return;
      }
    }
    finished();
  }

  private void finished() throws IOException {
    answer.discard();
    answer = null;
    out = null;
    fileBuf = null;
    head = null;
    if (closeAfter || server.closing()) {
      linger();
      return;
    }
    state = State.IDLE;
    deadline = System.nanoTime() + limits.idleTimeout().toNanos();
    key.interestOps(SelectionKey.OP_READ);
    if (inLen > 0) {
      // A pipelined request arrived with the previous one.
      state = State.HEAD;
      deadline = System.nanoTime() + limits.headTimeout().toNanos();
      parseHead();
    }
  }

  /**
   * Half-closes and reads what the client still sends (a refused body, say) for a moment: closing
   * with unread bytes would make the kernel reset the connection, and the client could lose the
   * answer it was just sent.
   */
  private void linger() throws IOException {
    state = State.LINGER;
    inLen = 0;
    deadline = System.nanoTime() + Math.min(LINGER_NANOS, limits.idleTimeout().toNanos());
    channel.shutdownOutput();
    key.interestOps(SelectionKey.OP_READ);
  }

  private void drainLinger() throws IOException {
    int n = channel.read(ByteBuffer.wrap(in));
    if (n < 0 || (lingered += n) > LINGER_MAX_BYTES) {
      close();
    }
  }

  /** One non-blocking attempt at a short answer, for a connection about to be closed anyway. */
  private void tryOnce(HttpAnswer a) {
    closeAfter = true;
    try {
      channel.write(ByteBuffer.wrap(headBytes(a, a.contentLength())));
      channel.write(ByteBuffer.wrap(a.bodyBytes()));
    } catch (IOException e) {
      // the client is gone; closing is all that is left
    }
  }

  void close() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    key.cancel();
    try {
      channel.close();
    } catch (IOException e) {
      // nothing to do
    }
    if (answer != null) {
      answer.discard();
      answer = null;
    }
    server.forget(this);
  }

  static String reason(int status) {
    switch (status) {
      case 200: return "OK";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 408: return "Request Timeout";
      case 411: return "Length Required";
      case 413: return "Content Too Large";
      case 429: return "Too Many Requests";
      case 431: return "Request Header Fields Too Large";
      case 500: return "Internal Server Error";
      case 501: return "Not Implemented";
      case 503: return "Service Unavailable";
      case 505: return "HTTP Version Not Supported";
      default: return "Status";
    }
  }
}
