package dev.cairn.diagnostics;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a diagnostics endpoint answers: a status, a content type and either bytes or a file (for
 * dumps, streamed and optionally deleted after sending).
 */
public final class DiagnosticsResponse {
  /** {@code application/json}. */
  public static final String JSON = "application/json; charset=utf-8";
  /** {@code text/plain}. */
  public static final String TEXT = "text/plain; charset=utf-8";
  /** Prometheus text exposition 0.0.4. */
  public static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
  /** {@code text/html}. */
  public static final String HTML = "text/html; charset=utf-8";

  private final int status;
  private final String contentType;
  private final byte[] body;
  private final Path file;
  private final boolean deleteFile;
  private final String fileName;

  private DiagnosticsResponse(
      int status, String contentType, byte[] body, Path file, boolean deleteFile, String fileName) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.file = file;
    this.deleteFile = deleteFile;
    this.fileName = fileName;
  }

  /** 200 with a JSON body. */
  public static DiagnosticsResponse json(String json) {
    return of(200, JSON, json);
  }

  /** 200 with a JSON body already encoded as UTF-8. */
  public static DiagnosticsResponse json(byte[] utf8) {
    return new DiagnosticsResponse(200, JSON, utf8.clone(), null, false, null);
  }

  /** 200 with a plain-text body. */
  public static DiagnosticsResponse text(String text) {
    return of(200, TEXT, text);
  }

  /** A body with this status and content type. */
  public static DiagnosticsResponse of(int status, String contentType, String body) {
    return new DiagnosticsResponse(
        status, contentType, body.getBytes(StandardCharsets.UTF_8), null, false, null);
  }

  /** An error as {@code {"error": message}} with this status. */
  public static DiagnosticsResponse error(int status, String message) {
    return of(status, JSON, "{\"error\":" + dev.cairn.diagnostics.internal.JsonOut.quote(message) + "}");
  }

  /**
   * 200 streaming {@code file} as a download named {@code downloadName}.
   *
   * @param deleteAfter delete the file once sent (or once sending failed)
   */
  public static DiagnosticsResponse file(
      Path file, String contentType, String downloadName, boolean deleteAfter) {
    return new DiagnosticsResponse(200, contentType, new byte[0], file, deleteAfter, downloadName);
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  /** The body (empty for file responses). */
  public byte[] body() {
    return body.clone();
  }

  /** The body length without copying. */
  public int bodyLength() {
    return body.length;
  }

  byte[] bodyUnsafe() {
    return body;
  }

  /** The file to stream, for dumps. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** Whether the file is deleted once sent. */
  public boolean deleteFileAfterSending() {
    return deleteFile;
  }

  /** The download name of a file response. */
  public Optional<String> fileName() {
    return Optional.ofNullable(fileName);
  }
}
