package dev.cairn.jfr.internal;

import dev.cairn.diagnostics.Redactor;
import dev.cairn.internal.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.Recording;

/**
 * How Cairn writes a recording to a file (the black box, the Spring starter's {@code jfr}
 * endpoint): owner-only from creation, and with thread names redacted.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class SafeDump {
  private static final Redactor REDACTOR = Redactor.defaults();

  private SafeDump() {}

  /**
   * Writes what {@code recording} holds to {@code file}, a new {@code rw-------} file, and redacts
   * the thread names in it ({@link ThreadNameScrubber}, with the rules of {@link
   * Redactor#defaults()}). On any failure the file is deleted, so a dump that could not be scrubbed
   * is never left behind.
   *
   * @throws IOException if the file exists or cannot be written or scrubbed
   */
  public static void write(Recording recording, Path file) throws IOException {
    // rw------- before JFR writes a byte: Recording.dump writes into an existing file and keeps
    // its mode, where a file it created itself would follow the umask.
    OwnerOnlyFiles.createFile(file);
    boolean done = false;
    try {
      recording.dump(file);
      // No JFR setting keeps thread names out of a recording: redact them in the file.
      ThreadNameScrubber.scrub(file, REDACTOR::redactValue);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(file);
      }
    }
  }
}
