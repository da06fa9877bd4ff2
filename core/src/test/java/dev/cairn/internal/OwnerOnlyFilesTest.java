package dev.cairn.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The helper itself, in the test JVM. These tests assert the exact modes, so under a umask that
 * leaves group/other bits (022, the common one) they fail without the helper; {@code
 * OwnerOnlyUmaskTest} forks a JVM under {@code umask 022} so that the proof does not depend on the
 * umask of whoever runs the build.
 */
class OwnerOnlyFilesTest {
  @TempDir Path tmp;

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void createDirectories_makesEveryMissingDirectoryOwnerOnly() throws Exception {
    Path deep = tmp.resolve("a/b/c");

    OwnerOnlyFiles.createDirectories(deep);

    assertThat(mode(tmp.resolve("a"))).isEqualTo("rwx------");
    assertThat(mode(tmp.resolve("a/b"))).isEqualTo("rwx------");
    assertThat(mode(deep)).isEqualTo("rwx------");
  }

  @Test
  void createDirectories_whenTheDirectoryExists_leavesItAsItIs() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("mine"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));

    OwnerOnlyFiles.createDirectories(dir);

    assertThat(mode(dir)).isEqualTo("rwxr-x---");
  }

  @Test
  void open_whenItCreatesTheFile_makesItOwnerOnly() throws Exception {
    Path file = tmp.resolve("segment");

    try (FileChannel ch =
        OwnerOnlyFiles.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
      assertThat(mode(file)).isEqualTo("rw-------");
    }
  }

  @Test
  void newOutputStream_withoutOptions_createsOwnerOnlyAndTruncates() throws Exception {
    Path file = tmp.resolve("out");
    try (OutputStream out = OwnerOnlyFiles.newOutputStream(file)) {
      out.write(new byte[] {1, 2, 3});
    }
    try (OutputStream out = OwnerOnlyFiles.newOutputStream(file)) {
      out.write(new byte[] {4});
    }

    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(Files.readAllBytes(file)).containsExactly(4);
  }

  @Test
  void createFile_makesAnEmptyOwnerOnlyFile() throws Exception {
    Path file = OwnerOnlyFiles.createFile(tmp.resolve("dump.jfr"));

    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(Files.size(file)).isZero();
  }

  @Test
  void writeNew_whenTheFileExists_refusesRatherThanKeepItsMode() throws Exception {
    Path file = Files.createFile(tmp.resolve("snapshot.tmp"));

    assertThatThrownBy(() -> OwnerOnlyFiles.writeNew(file, new byte[] {1}))
        .isInstanceOf(FileAlreadyExistsException.class);
  }
}
