package dev.cairn.jfr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Records JFR events while a test runs, for assertions with {@link JfrAssertions}: every Cairn
 * event ({@code cairn.*}) with no threshold and no rate limit, plus the JDK events a test names.
 * Works on JDK 17 (a plain {@link Recording}, no streaming API needed).
 *
 * <pre>{@code
 * try (JfrCapture jfr = JfrCapture.start("jdk.JavaMonitorEnter")) {
 *   // ... the code under test ...
 *   JfrAssertions.assertThat(jfr.stop()).hasEvent("cairn.Span");
 * }
 * }</pre>
 *
 * <p>Not thread-safe; one capture per test.
 */
public final class JfrCapture implements AutoCloseable {
  /** The Cairn event types a capture always enables. */
  public static final List<String> CAIRN_EVENTS =
      List.of("cairn.Span", "cairn.Scope", "cairn.Log", "cairn.ScopeMisuse", "cairn.ExportDropped",
          "cairn.ExporterHealth", "cairn.Metric", "cairn.BlackBoxDump", "cairn.SlowSpan",
          "cairn.JournalAppend");

  private final Recording recording;
  private List<RecordedEvent> events;

  private JfrCapture(Set<String> jdkEvents) {
    recording = new Recording();
    recording.setName("cairn-test-capture");
    for (String name : CAIRN_EVENTS) {
      recording.enable(name).withoutThreshold().withoutStackTrace();
    }
    // Cairn's own rate setting (JDK 17) and the JDK's throttle (25+): a test wants every event.
    var settings = new java.util.HashMap<>(recording.getSettings());
    for (String name : CAIRN_EVENTS) {
      settings.put(name + "#rate", "off");
      settings.put(name + "#throttle", "off");
    }
    recording.setSettings(settings);
    for (String name : jdkEvents) {
      recording.enable(name).withoutThreshold().withStackTrace();
    }
    recording.start();
  }

  /** Starts recording Cairn's events and the given JDK events (e.g. {@code jdk.ThreadSleep}). */
  public static JfrCapture start(String... jdkEvents) {
    Set<String> names = new LinkedHashSet<>();
    Collections.addAll(names, jdkEvents);
    return new JfrCapture(names);
  }

  /**
   * Stops recording (once) and returns everything recorded, in the order JFR wrote it. Later calls
   * return the same list.
   */
  public List<RecordedEvent> stop() {
    if (events == null) {
      recording.stop();
      events = read(recording);
    }
    return events;
  }

  /** The recorded events; stops the capture first if it is still running. */
  public List<RecordedEvent> events() {
    return stop();
  }

  private static List<RecordedEvent> read(Recording recording) {
    Path file = null;
    try {
      file = Files.createTempFile("cairn-capture", ".jfr");
      recording.dump(file);
      return Collections.unmodifiableList(new ArrayList<>(RecordingFile.readAllEvents(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the captured recording", e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  /** Stops and discards the recording. */
  @Override
  public void close() {
    try {
      stop();
    } finally {
      recording.close();
    }
  }
}
