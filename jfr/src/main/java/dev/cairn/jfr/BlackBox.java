package dev.cairn.jfr;

import dev.cairn.internal.Fatal;
import dev.cairn.internal.OwnerOnlyFiles;
import dev.cairn.internal.Reporter;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.jfr.internal.BlackBoxDumpEvent;
import dev.cairn.jfr.internal.SafeDump;
import dev.cairn.jfr.internal.SensitiveEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The black box: an always-on JFR recording bounded by age and size, dumped to a directory when
 * something goes wrong (an ERROR log, a slow span, an uncaught exception, or {@link #dump}).
 *
 * <p>Dumps run on one background thread, so the thread that triggers a dump never waits. At most
 * one dump is written per {@linkplain CairnJfr.Builder#blackBoxMinInterval interval} (triggers in
 * between are counted as {@code cairn.jfr.blackbox.dumps{result=rate_limited}} and ignored), and
 * only the newest {@linkplain CairnJfr.Builder#blackBoxMaxFiles files} are kept. Each dump is
 * reported as one log line ({@code dev.cairn.jfr.BlackBox}, INFO), a {@code cairn.BlackBoxDump}
 * JFR event and the {@code cairn.jfr.blackbox.dumps} counter.
 */
public final class BlackBox implements AutoCloseable {
  /** File names of dumps start with this. */
  public static final String FILE_PREFIX = "cairn-blackbox-";

  private static final Logger LOG = LoggerFactory.getLogger(BlackBox.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Path directory;
  private final long minIntervalNanos;
  private final int maxFiles;
  private final Recording recording;
  private final ThreadPoolExecutor worker;
  private final AtomicLong lastDump = new AtomicLong(Long.MIN_VALUE);
  private final Map<String, SelfCounter> counters = new HashMap<>();
  private volatile boolean closed;

  BlackBox(
      Path directory, Duration maxAge, long maxSizeBytes, Duration minInterval, int maxFiles) {
    this.directory = directory;
    this.minIntervalNanos = minInterval.toNanos();
    this.maxFiles = maxFiles;
    this.recording = new Recording(settings());
    recording.setName("cairn-blackbox");
    recording.setToDisk(true);
    recording.setMaxAge(maxAge);
    recording.setMaxSize(maxSizeBytes);
    // One thread, one waiting task: a storm of triggers cannot queue work.
    this.worker =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1),
            r -> {
              Thread t = new Thread(r, "cairn-blackbox");
              t.setDaemon(true);
              return t;
            });
    worker.allowCoreThreadTimeOut(true);
    recording.start();
  }

  /**
   * JDK "default" settings plus Cairn's production settings, without the event types that copy
   * the process's secrets ({@link SensitiveEvents}).
   */
  static Map<String, String> settings() {
    Map<String, String> s = new HashMap<>();
    try {
      s.putAll(Configuration.getConfiguration("default").getSettings());
      try (InputStream in = BlackBox.class.getResourceAsStream("cairn.jfc")) {
        if (in != null) {
          s.putAll(
              Configuration.create(new InputStreamReader(in, StandardCharsets.UTF_8))
                  .getSettings());
        }
      }
    } catch (IOException | ParseException e) {
      Reporter.warn("jfr.blackbox.settings", "cairn: black box settings incomplete", e);
    }
    return SensitiveEvents.disable(s);
  }

  /** The directory dumps are written to. */
  public Path directory() {
    return directory;
  }

  /**
   * Asks for a dump; returns at once. The future completes with the file written, or empty when
   * the dump was skipped (rate limit, a dump already pending, closed) or failed (reported).
   *
   * @param reason why, recorded in the file name, the log line and the event (e.g. {@code api})
   */
  public CompletableFuture<Optional<Path>> dump(String reason) {
    String why = reason == null || reason.isEmpty() ? "api" : reason;
    CompletableFuture<Optional<Path>> result = new CompletableFuture<>();
    try {
      if (closed) {
        count(why, "closed");
        result.complete(Optional.empty());
        return result;
      }
      long now = System.nanoTime();
      long last = lastDump.get();
      if ((last != Long.MIN_VALUE && now - last < minIntervalNanos)
          || !lastDump.compareAndSet(last, now)) {
        count(why, "rate_limited");
        result.complete(Optional.empty());
        return result;
      }
      worker.execute(() -> result.complete(write(why)));
    } catch (RejectedExecutionException e) {
      count(why, "busy");
      result.complete(Optional.empty());
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      result.complete(Optional.empty());
    }
    return result;
  }

  /** Dump files in the directory, oldest first. */
  public List<Path> files() {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, FILE_PREFIX + "*.jfr")) {
      for (Path p : ds) {
        out.add(p);
      }
    } catch (IOException e) {
      Reporter.warn("jfr.blackbox.list", "cairn: cannot list black box dumps in " + directory, e);
    }
    // Names start with a UTC timestamp, so name order is time order.
    Collections.sort(out);
    return out;
  }

  private Optional<Path> write(String reason) {
    BlackBoxDumpEvent event = new BlackBoxDumpEvent();
    event.reason = reason;
    String name = FILE_PREFIX + STAMP.format(Instant.now()) + "-" + safe(reason) + ".jfr";
    Path file = directory.resolve(name);
    // Written under a name files() does not list, then renamed: a listing never shows half a dump.
    Path part = directory.resolve("." + name + ".part");
    try {
      OwnerOnlyFiles.createDirectories(directory);
      Files.deleteIfExists(part);
      // Owner-only from creation, thread names redacted; a dump that cannot be scrubbed fails.
      SafeDump.write(recording, part);
      Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
      long size = Files.size(file);
      event.path = file.toString();
      event.size = size;
      event.succeeded = true;
      event.commit();
      count(reason, "written");
      LOG.info("cairn black box dumped {} ({} bytes), reason {}", file, size, reason);
      prune();
      return Optional.of(file);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      deleteQuietly(part);
      event.path = file.toString();
      event.succeeded = false;
      event.commit();
      count(reason, "failed");
      Reporter.warn("jfr.blackbox.dump", "cairn: black box dump to " + file + " failed", t);
      return Optional.empty();
    }
  }

  private void prune() {
    List<Path> files = files();
    for (int i = 0; i < files.size() - maxFiles; i++) {
      try {
        Files.deleteIfExists(files.get(i));
      } catch (IOException e) {
        Reporter.warn("jfr.blackbox.prune", "cairn: cannot delete old dump " + files.get(i), e);
      }
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException | RuntimeException e) {
      // the next dump of the same name replaces it
    }
  }

  private static String safe(String reason) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < reason.length() && b.length() < 40; i++) {
      char c = reason.charAt(i);
      b.append(Character.isLetterOrDigit(c) && c < 128 ? c : '_');
    }
    return b.toString();
  }

  private void count(String reason, String result) {
    // The reason's kind (before ':') keeps the tag set small whatever callers pass.
    int colon = reason.indexOf(':');
    String kind = colon < 0 ? reason : reason.substring(0, colon);
    String key = kind + '|' + result;
    SelfCounter c;
    synchronized (counters) {
      c = counters.get(key);
      if (c == null) {
        c =
            SelfCounters.GLOBAL.counter(
                "cairn.jfr.blackbox.dumps",
                "Black box dump requests by trigger and result",
                "dumps",
                "reason",
                kind,
                "result",
                result);
        counters.put(key, c);
      }
    }
    c.increment();
  }

  /** Stops the recording and the dump thread (a dump in progress finishes). Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    recording.close();
  }
}
