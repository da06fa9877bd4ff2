package dev.cairn.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.diagnostics.Redactor;
import dev.cairn.jfr.internal.ThreadNameScrubber;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadNameScrubberTest {
  @TempDir Path tmp;

  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  /** Records threads with these names alive, dumps, and returns the file. */
  private Path recordingWithThreads(String... names) throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    Path file = tmp.resolve("rec.jfr");
    try (Recording r = new Recording()) {
      r.enable("jdk.ThreadStart");
      r.enable("jdk.ThreadEnd");
      r.start();
      Thread[] threads = new Thread[names.length];
      for (int i = 0; i < names.length; i++) {
        threads[i] = new Thread(() -> awaitQuietly(stop), names[i]);
        threads[i].start();
      }
      stop.countDown();
      for (Thread t : threads) {
        t.join();
      }
      r.stop();
      r.dump(file);
    }
    return file;
  }

  private static void awaitQuietly(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Set<String> threadNames(Path file) throws IOException {
    Set<String> names = new HashSet<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      RecordedThread t = e.getThread("thread");
      if (t != null) {
        names.add(t.getJavaName());
        names.add(t.getOSName());
      }
    }
    return names;
  }

  @Test
  void scrub_whenAThreadNameHoldsASecret_redactsItAndKeepsTheFileReadable() throws Exception {
    Path file = recordingWithThreads("db-sync password=hunter2" + RUN);
    assertThat(threadNames(file)).anyMatch(n -> n.contains("hunter2" + RUN)); // the problem

    int changed = ThreadNameScrubber.scrub(file, Redactor.defaults()::redactValue);

    assertThat(changed).isPositive();
    assertThat(threadNames(file))
        .noneMatch(n -> n.contains("hunter2"))
        .anyMatch(n -> n.startsWith("db-sync password=[REDACTED]"));
  }

  @Test
  void scrub_whenANameHasNonAsciiCharacters_stillRemovesTheSecret() throws Exception {
    // Non-Latin-1 characters make the JDK choose another string encoding than plain bytes.
    Path file = recordingWithThreads("Übertragung € token=s\u00e9cr\u00e8t\u20ac" + RUN);

    ThreadNameScrubber.scrub(file, Redactor.defaults()::redactValue);

    assertThat(threadNames(file)).noneMatch(n -> n.contains(RUN)).anyMatch(n -> n.contains("token=[REDACTED]"));
  }

  @Test
  void scrub_whenNoNameHoldsASecret_changesNothing() throws Exception {
    Path file = recordingWithThreads("http-nio-8080-exec-" + RUN);
    byte[] before = Files.readAllBytes(file);

    int changed = ThreadNameScrubber.scrub(file, Redactor.defaults()::redactValue);

    assertThat(changed).isZero();
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(threadNames(file)).contains("http-nio-8080-exec-" + RUN);
  }

  @Test
  void scrub_whenTheFileIsNotARecording_throwsSoTheCallerDoesNotPublishIt() throws Exception {
    Path file = Files.write(tmp.resolve("junk.jfr"), new byte[] {'F', 'L', 'R', 0, 0, 2, 0, 1, 9, 9});

    assertThatThrownBy(() -> ThreadNameScrubber.scrub(file, s -> s)).isInstanceOf(IOException.class);
  }
}
