package dev.cairn.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELIABILITY F26, bounded: a forked JVM appending is killed with SIGKILL a few times at random
 * moments; after each kill every record it was told is durable is present and intact, and no record
 * fails its checksum. (The full figure, 100 kills at 50,000 rec/s, is the same test with
 * -Dcairn.journal.kills=100.)
 */
class JournalKillTest {
  @TempDir Path dir;

  private static final int KILLS = Integer.getInteger("cairn.journal.kills", 4);

  @Test
  void everyRecordAcknowledgedDurableSurvivesKillMinus9() throws Exception {
    Random random = new Random(26);
    Map<Long, Long> acknowledged = new HashMap<>(); // position -> id
    long maxDurable = -1;
    for (int round = 0; round < KILLS; round++) {
      boolean always = round % 2 == 0;
      Process p =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "-Xshare:auto",
                  "-Dcairn.internal.verbosity=off",
                  JournalKillChild.class.getName(),
                  dir.toString(),
                  always ? "always" : "interval")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String ready = out.readLine();
        assertThat(ready).startsWith("ready ");
        int killAfter = 50 + random.nextInt(400);
        int lines = 0;
        String line;
        while ((line = out.readLine()) != null) {
          String[] f = line.split(" ");
          if (f[0].equals("ack")) {
            acknowledged.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
          } else if (f[0].equals("durable")) {
            maxDurable = Math.max(maxDurable, Long.parseLong(f[1]));
          }
          if (++lines == killAfter) {
            // SIGKILL: no shutdown hooks, no close(). Sent with kill(1) so the pipe stays open and
            // the acknowledgements already printed are still read.
            new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor();
          }
        }
      } finally {
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }

      JournalReader reader = JournalReader.open(dir);
      assertThat(reader.corruptions()).as("round %d", round).isEmpty();
      Map<Long, Long> present = new HashMap<>();
      long previous = -1;
      try (EventIterator it = reader.read(0)) {
        while (it.hasNext()) {
          Event e = it.next();
          assertThat(e.position()).isEqualTo(previous + 1);
          previous = e.position();
          present.put(e.position(), e.id());
        }
        assertThat(it.corruptions()).isEmpty();
      }
      for (Map.Entry<Long, Long> ack : acknowledged.entrySet()) {
        assertThat(present.get(ack.getKey())).as("acknowledged position %d", ack.getKey()).isEqualTo(ack.getValue());
      }
      assertThat(previous).isGreaterThanOrEqualTo(maxDurable);
      // Recovery (cuts any torn tail) before the next round appends after it.
      try (Journal j = Journal.builder(dir).nodeId("child").build()) {
        assertThat(j.stats().corruptions()).isZero();
      }
    }
    assertThat(acknowledged).isNotEmpty();
    assertThat(new File(dir.toFile(), "00000000000000000000.cjnl")).exists();
  }
}
