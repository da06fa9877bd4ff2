package dev.cairn.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY I40 and G32 for the black box, end to end: a forked JVM, started under {@code umask
 * 022} with secrets planted where a real process keeps them, runs the black box and dumps it. The
 * real dump is read back with the JDK's {@link RecordingFile}; no string anywhere in any event
 * (fields walked recursively: threads, stack frames, classes) holds a planted secret, and the
 * directory and file are owner-only.
 */
class BlackBoxSecretsTest {
  @TempDir static Path tmp;

  static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  static final Map<String, String> SECRETS = new LinkedHashMap<>();
  static Path dump;
  static Path boxDir;

  static {
    SECRETS.put("environment variable", "envsecret" + RUN);
    SECRETS.put("-D system property", "dpropsecret" + RUN);
    SECRETS.put("JAVA_TOOL_OPTIONS", "jtosecret" + RUN);
    SECRETS.put("program argument", "argsecret" + RUN);
    SECRETS.put("thread name", "threadsecret" + RUN);
    SECRETS.put("child process argument", "procsecret" + RUN);
  }

  @BeforeAll
  static void runTheBlackBoxInAJvmFullOfSecrets() throws Exception {
    boxDir = tmp.resolve("box");
    Path work = Files.createDirectories(tmp.resolve("work"));
    String out =
        ForkedJvm.runMainUnderUmask022(
            work,
            Map.of(
                "CAIRN_TEST_SECRET", SECRETS.get("environment variable"),
                "JAVA_TOOL_OPTIONS", "-Dcairn.test.tool.password=" + SECRETS.get("JAVA_TOOL_OPTIONS")),
            List.of("-Xmx128m", "-Dpassword=" + SECRETS.get("-D system property")),
            BlackBoxSecretsChild.class,
            List.of(
                boxDir.toString(),
                "db-sync password=" + SECRETS.get("thread name"),
                SECRETS.get("child process argument"),
                "--api-token=" + SECRETS.get("program argument")));
    String line = out.lines().filter(l -> l.startsWith("DUMP ")).findFirst().orElse("DUMP none");
    assertThat(line).as(out).isNotEqualTo("DUMP none");
    dump = Path.of(line.substring(5));
  }

  @Test
  void dump_readWithRecordingFile_holdsNoPlantedSecretInAnyStringOfAnyEvent() throws Exception {
    List<RecordedEvent> events = RecordingFile.readAllEvents(dump);
    assertThat(events).hasSizeGreaterThan(100); // a real recording, not an empty file

    Map<String, List<String>> found = new LinkedHashMap<>();
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (RecordedEvent e : events) {
      List<String> strings = new ArrayList<>();
      walk(e, strings, seen, 0);
      for (String s : strings) {
        SECRETS.forEach(
            (where, secret) -> {
              if (s.contains(secret)) {
                found.computeIfAbsent(where, k -> new ArrayList<>()).add(e.getEventType().getName());
              }
            });
      }
    }

    assertThat(found).as("planted secrets found, by where they were planted -> event types").isEmpty();
  }

  @Test
  void dump_rawBytes_holdNoPlantedSecret() throws Exception {
    // A second, parser-independent look: Latin-1 and UTF-8 strings are stored as plain bytes.
    String bytes = new String(Files.readAllBytes(dump), StandardCharsets.ISO_8859_1);

    SECRETS.forEach((where, secret) -> assertThat(bytes.contains(secret)).as(where).isFalse());
  }

  @Test
  void dump_underUmask022_isOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
    assertThat(dump.getParent()).isEqualTo(boxDir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(boxDir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dump))).isEqualTo("rw-------");
  }

  /** Every string reachable from {@code o}: fields of objects, elements of arrays and lists. */
  private static void walk(Object o, List<String> out, Set<Object> seen, int depth) {
    if (o == null || depth > 32) {
      return;
    }
    if (o instanceof String) {
      out.add((String) o);
    } else if (o instanceof RecordedObject) {
      if (!(o instanceof RecordedEvent) && !seen.add(o)) {
        return; // constants are shared between events: each is walked once
      }
      RecordedObject r = (RecordedObject) o;
      for (ValueDescriptor f : r.getFields()) {
        walk(r.getValue(f.getName()), out, seen, depth + 1);
      }
    } else if (o instanceof List) {
      for (Object x : (List<?>) o) {
        walk(x, out, seen, depth + 1);
      }
    } else if (o.getClass().isArray()) {
      for (int i = 0; i < Array.getLength(o); i++) {
        walk(Array.get(o, i), out, seen, depth + 1);
      }
    }
  }
}
