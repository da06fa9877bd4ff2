package dev.cairn.jfr;

import dev.cairn.internal.OwnerOnlyFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Cairn's settings files written for this process, so that an operator who can reach only the
 * running process (a shell in its container, no jar to unpack) can start a recording with them:
 *
 * <pre>{@code
 * try (JcmdSettings s = JcmdSettings.writeForThisProcess()) {
 *   log.info("record Cairn's events with: {}", s.startCommand());
 * }
 * }</pre>
 *
 * <p>The files ({@link CairnJfr#SETTINGS_FILES}) are written to a new directory {@code
 * <java.io.tmpdir>/cairn-jfr-<pid>-<random>}, created {@code rwx------} in one step (so no other
 * user can have made it first or plant a file in it), each file {@code rw-------}. {@link #close()}
 * deletes them and the directory; they are also deleted when the JVM exits normally, in case
 * nothing closes this.
 */
public final class JcmdSettings implements AutoCloseable {
  private final Path directory;
  private final List<Path> files;
  private final long pid;

  private JcmdSettings(Path directory, List<Path> files, long pid) {
    this.directory = directory;
    this.files = files;
    this.pid = pid;
  }

  /**
   * Writes the settings files to a new owner-only directory under {@code java.io.tmpdir}.
   *
   * @throws UncheckedIOException when the directory or a file cannot be written
   */
  public static JcmdSettings writeForThisProcess() {
    return writeForThisProcess(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * Writes the settings files to a new owner-only directory {@code cairn-jfr-<pid>-<random>} under
   * {@code parent} (created owner-only when missing).
   *
   * @throws UncheckedIOException when the directory or a file cannot be written
   */
  public static JcmdSettings writeForThisProcess(Path parent) {
    long pid = ProcessHandle.current().pid();
    Path dir;
    try {
      OwnerOnlyFiles.createDirectories(parent);
      dir = Files.createTempDirectory(parent, "cairn-jfr-" + pid + "-", ownerOnlyDirectory(parent));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for Cairn's JFR settings in " + parent, e);
    }
    // Registered before the files: the JVM deletes in reverse order, files first, then the directory.
    dir.toFile().deleteOnExit();
    for (String name : CairnJfr.SETTINGS_FILES) {
      dir.resolve(name).toFile().deleteOnExit();
    }
    List<Path> files;
    try {
      files = CairnJfr.writeSettings(dir);
    } catch (UncheckedIOException e) {
      deleteQuietly(dir, CairnJfr.SETTINGS_FILES.stream().map(dir::resolve).toList());
      throw e;
    }
    return new JcmdSettings(dir, files, pid);
  }

  private static FileAttribute<?>[] ownerOnlyDirectory(Path parent) {
    if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OwnerOnlyFiles.DIRECTORY)};
    }
    return new FileAttribute<?>[0];
  }

  /** The directory holding the files. */
  public Path directory() {
    return directory;
  }

  /** The files written, in the order of {@link CairnJfr#SETTINGS_FILES}. */
  public List<Path> files() {
    return files;
  }

  /** {@code cairn.jfc}: production settings, used with the JDK's {@code default}. */
  public Path production() {
    return files.get(0);
  }

  /** {@code cairn-detailed.jfc}: every Cairn event plus the JDK's waits at 1 ms. */
  public Path detailed() {
    return files.get(1);
  }

  /**
   * The command that starts a recording of Cairn's events on top of the JDK's defaults in this
   * process: {@code jcmd <pid> JFR.start name=cairn settings=default settings=<dir>/cairn.jfc}.
   */
  public String startCommand() {
    return "jcmd " + pid + " JFR.start name=cairn settings=default settings=" + production();
  }

  /** The command that writes what the recording {@link #startCommand()} started holds so far. */
  public String dumpCommand(String file) {
    return "jcmd " + pid + " JFR.dump name=cairn filename=" + file;
  }

  /** Deletes the files and the directory. Idempotent; never throws. */
  @Override
  public void close() {
    deleteQuietly(directory, files);
  }

  private static void deleteQuietly(Path dir, List<Path> files) {
    for (Path f : files) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException | RuntimeException ignored) {
        // Best effort: the JVM's exit hook tries again.
      }
    }
    try {
      Files.deleteIfExists(dir);
    } catch (IOException | RuntimeException ignored) {
      // Best effort, as above; a directory an operator added files to stays.
    }
  }

  @Override
  public String toString() {
    return "JcmdSettings[" + directory + File.separator + "]";
  }
}
