package dev.cairn.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jcmd recipe with only what a running container has: the process writes its settings files
 * and prints the command; the test runs exactly that command with the JDK's own {@code jcmd}
 * (of the JDK running the tests: run on 17 and on 25).
 */
class JcmdSettingsTest {
  @TempDir Path work;
  @TempDir Path tmp;

  @Test
  void printedJcmdCommand_startsARecordingThatHoldsCairnSpans() throws Exception {
    Path file = work.resolve("app.jfr");
    List<String> logged;
    try (ForkedJvm app = ForkedJvm.start(work, tmp, "jcmd-settings")) {
      String line = app.readLine();
      assertThat(line).startsWith("JCMD jcmd " + app.pid + " JFR.start ");
      List<String> cmd = new ArrayList<>(Arrays.asList(line.substring(5).split(" ")));
      cmd.set(0, ForkedJvm.tool("jcmd"));
      ForkedJvm.runCommand(cmd);
      logged = app.requests(3);
      app.jcmd("JFR.dump", "name=cairn", "filename=" + file);
    }
    List<String> recorded = new ArrayList<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (e.getEventType().getName().equals("cairn.Span")) {
        recorded.add(e.getString("traceId"));
      }
    }
    assertThat(recorded).containsExactlyInAnyOrderElementsOf(logged);
  }

  @Test
  void settingsDirectory_isRemovedWhenTheAppClosesIt() throws Exception {
    try (ForkedJvm app = ForkedJvm.start(work, tmp, "jcmd-settings")) {
      app.readLine();
      assertThat(cairnDirectories()).hasSize(1);
    }
    assertThat(cairnDirectories()).isEmpty();
  }

  @Test
  void settingsDirectory_isRemovedAtExitWhenNothingClosesIt() throws Exception {
    try (ForkedJvm app = ForkedJvm.start(work, tmp, "jcmd-settings", "leave-to-exit")) {
      app.readLine();
      assertThat(cairnDirectories()).hasSize(1);
    }
    assertThat(cairnDirectories()).isEmpty();
  }

  @Test
  void writeForThisProcess_createsAnOwnerOnlyDirectoryPerProcess() throws Exception {
    try (JcmdSettings s = JcmdSettings.writeForThisProcess(tmp)) {
      assertThat(s.directory().getParent()).isEqualTo(tmp);
      assertThat(s.directory().getFileName().toString())
          .startsWith("cairn-jfr-" + ProcessHandle.current().pid() + "-");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.directory())))
          .isEqualTo("rwx------");
      assertThat(s.files()).hasSize(2).allSatisfy(f -> {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(f.getParent()).isEqualTo(s.directory());
      });
      assertThat(s.startCommand())
          .isEqualTo("jcmd " + ProcessHandle.current().pid()
              + " JFR.start name=cairn settings=default settings=" + s.directory().resolve("cairn.jfc"));
    }
    assertThat(cairnDirectories()).isEmpty();
  }

  private List<Path> cairnDirectories() throws Exception {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().startsWith("cairn-jfr-")).toList();
    }
  }
}
