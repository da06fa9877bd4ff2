package dev.cairn.jfr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/** Test helper: runs code inside a real in-process recording and reads the file back. */
final class Recordings {
  private Recordings() {}

  static List<RecordedEvent> record(Consumer<Recording> settings, Runnable body) {
    try (Recording r = new Recording()) {
      settings.accept(r);
      r.start();
      body.run();
      r.stop();
      Path file = Files.createTempFile("cairn-test", ".jfr");
      try {
        r.dump(file);
        return RecordingFile.readAllEvents(file);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
    return events.stream()
        .filter(e -> e.getEventType().getName().equals(name))
        .collect(Collectors.toList());
  }

  static void all(Recording r, String... names) {
    for (String n : names) {
      r.enable(n).withThreshold(Duration.ZERO).with("rate", "off");
    }
  }

  @SuppressWarnings("deprecation") // Thread.getId: threadId() exists only from JDK 19
  static long allocatedBy(Runnable body) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(id);
    body.run();
    return mx.getThreadAllocatedBytes(id) - before;
  }
}
