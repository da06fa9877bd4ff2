package dev.cairn.diagnostics.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link LoopbackHttpServer.Handler} answers: a status, headers and a body of bytes or a
 * file to stream. {@link #onRelease} runs exactly once, <em>before</em> the last byte of the
 * answer is written (or when sending fails), so whatever it frees (an exclusive permit) is free by
 * the time a client sees the answer end.
 *
 * <p>Built on a worker thread, then handed to the server's I/O thread; not shared otherwise.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class HttpAnswer {
  private final int status;
  private final List<String[]> headers = new ArrayList<>();
  private byte[] body = new byte[0];
  private Path file;
  private FileChannel channel;
  private long fileSize;
  private Runnable release = () -> {};
  private boolean released;

  private HttpAnswer(int status) {
    this.status = status;
  }

  /** An answer with this status and an empty body. */
  public static HttpAnswer status(int status) {
    return new HttpAnswer(status);
  }

  /** {@code {"error": message}} as JSON with this status. */
  public static HttpAnswer error(int status, String message) {
    return status(status)
        .header("Content-Type", "application/json; charset=utf-8")
        .body(("{\"error\":" + JsonOut.quote(message) + "}").getBytes(StandardCharsets.UTF_8));
  }

  /** Adds a header; CR and LF in a value become spaces (a value never starts a new header). */
  public HttpAnswer header(String name, String value) {
    headers.add(new String[] {name, value.replace('\r', ' ').replace('\n', ' ')});
    return this;
  }

  /** The body; not copied. */
  public HttpAnswer body(byte[] bytes) {
    this.body = bytes;
    this.file = null;
    return this;
  }

  /** Streams this file as the body. */
  public HttpAnswer file(Path path) {
    this.file = path;
    this.body = new byte[0];
    return this;
  }

  /** Runs before the last byte is written, or when the answer is dropped; exactly once. */
  public HttpAnswer onRelease(Runnable r) {
    this.release = r;
    return this;
  }

  int statusCode() {
    return status;
  }

  List<String[]> headers() {
    return headers;
  }

  byte[] bodyBytes() {
    return body;
  }

  /** The open file to stream, once {@link #openFile()} ran. */
  FileChannel channel() {
    return channel;
  }

  boolean hasFile() {
    return file != null;
  }

  /** Opens the file on the worker, so the I/O thread never waits for the file system to open. */
  void openFile() throws IOException {
    if (file != null && channel == null) {
      channel = FileChannel.open(file, StandardOpenOption.READ);
      fileSize = channel.size();
    }
  }

  /** Body bytes: the file's size when streaming one. */
  long contentLength() {
    return file != null ? fileSize : body.length;
  }

  /** Runs {@link #onRelease} once; never throws. */
  void release() {
    if (released) {
      return;
    }
    released = true;
    try {
      release.run();
    } catch (RuntimeException e) {
      // The owner's clean-up reports its own failures; the answer goes on regardless.
    }
  }

  /** Releases and closes the file; for answers that will not be (fully) sent. */
  void discard() {
    release();
    closeFile();
  }

  void closeFile() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // read-only channel: nothing was lost
      }
      channel = null;
    }
  }
}
