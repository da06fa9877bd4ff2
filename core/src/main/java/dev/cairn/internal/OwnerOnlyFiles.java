package dev.cairn.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the directories and files Cairn writes (journal segments, black-box and endpoint dumps,
 * NDJSON output, snapshots) readable by the owner only: directories {@code rwx------}, files
 * {@code rw-------}.
 *
 * <p>The permissions are passed to the system call that creates the file, so there is no moment
 * in which another user could open it; the process umask can only remove bits, and none of these
 * modes has a group or other bit for it to remove, so the result is the same under any umask. A
 * file or directory that already exists is left as it is. On a file system without POSIX
 * permissions (Windows) the platform's default access control applies instead.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class OwnerOnlyFiles {
  /** {@code rwx------}. */
  public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

  /** {@code rw-------}. */
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_ATTRIBUTE =
      PosixFilePermissions.asFileAttribute(DIRECTORY);
  private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTRIBUTE =
      PosixFilePermissions.asFileAttribute(FILE);

  private OwnerOnlyFiles() {}

  /**
   * Like {@link Files#createDirectories}: every directory it creates is {@code rwx------}; those
   * that exist are not changed.
   */
  public static Path createDirectories(Path dir) throws IOException {
    try {
      return Files.createDirectories(dir, DIRECTORY_ATTRIBUTE);
    } catch (UnsupportedOperationException notPosix) {
      return Files.createDirectories(dir);
    }
  }

  /**
   * Like {@link FileChannel#open(Path, Set, FileAttribute[])}: a file the call creates is {@code
   * rw-------}.
   */
  public static FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
    try {
      return FileChannel.open(file, options, FILE_ATTRIBUTE);
    } catch (UnsupportedOperationException notPosix) {
      return FileChannel.open(file, options);
    }
  }

  /**
   * Like {@link Files#newOutputStream}: a file the call creates is {@code rw-------}. Without
   * options it creates or truncates, as {@code Files.newOutputStream} does.
   */
  public static OutputStream newOutputStream(Path file, OpenOption... options) throws IOException {
    Set<OpenOption> set =
        options.length == 0
            ? Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)
            : Set.of(options);
    if (!set.contains(StandardOpenOption.WRITE) && !set.contains(StandardOpenOption.APPEND)) {
      set = with(set, StandardOpenOption.WRITE);
    }
    return Channels.newOutputStream(open(file, set));
  }

  /**
   * A new empty {@code rw-------} file.
   *
   * @throws FileAlreadyExistsException if {@code file} exists: its permissions would be unknown
   */
  public static Path createFile(Path file) throws IOException {
    try {
      return Files.createFile(file, FILE_ATTRIBUTE);
    } catch (UnsupportedOperationException notPosix) {
      return Files.createFile(file);
    }
  }

  /**
   * Writes {@code bytes} to a new {@code rw-------} file.
   *
   * @throws FileAlreadyExistsException if {@code file} exists
   */
  public static void writeNew(Path file, byte[] bytes) throws IOException {
    try (OutputStream out = newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      out.write(bytes);
    }
  }

  private static Set<OpenOption> with(Set<OpenOption> set, OpenOption extra) {
    OpenOption[] all = set.toArray(new OpenOption[set.size() + 1]);
    all[set.size()] = extra;
    return Set.of(all);
  }
}
