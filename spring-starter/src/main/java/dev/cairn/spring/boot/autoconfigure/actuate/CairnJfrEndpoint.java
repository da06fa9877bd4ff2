package dev.cairn.spring.boot.autoconfigure.actuate;

import dev.cairn.internal.OwnerOnlyFiles;
import dev.cairn.jfr.CairnJfr;
import dev.cairn.jfr.internal.SafeDump;
import dev.cairn.jfr.internal.SensitiveEvents;
import dev.cairn.spring.boot.autoconfigure.CairnProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jdk.jfr.Configuration;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * JDK Flight Recorder recordings as the Actuator web endpoint {@code /actuator/jfr}:
 *
 * <ul>
 *   <li>{@code GET /actuator/jfr}: every recording of the JVM (id, name, state, size,
 *       destination, limits, whether this endpoint started it) and the dumps this endpoint wrote;
 *   <li>{@code POST /actuator/jfr} with optional {@code name}, {@code settings} ({@code cairn} or
 *       {@code cairn-detailed}), {@code maxAge}, {@code maxSize}, {@code duration}: starts a
 *       recording with Cairn's settings on top of the JDK's, bounded by {@code
 *       cairn.jfr.endpoint.*};
 *   <li>{@code POST /actuator/jfr/{id}/dump}: writes what the recording holds to a file, and it
 *       goes on; {@code POST /actuator/jfr/{id}/stop}: stops it, writes the file, closes it;
 *   <li>{@code DELETE /actuator/jfr/{id}}: closes it without writing anything;
 *   <li>{@code GET /actuator/jfr/{file}}: downloads a dump file, only one this endpoint wrote.
 * </ul>
 *
 * <p>Only recordings this endpoint started can be dumped, stopped or closed through it (the black
 * box and {@code jcmd} recordings are listed, never touched). Recordings it starts leave out the
 * event types that copy secrets (environment variables, system properties, JVM and program
 * arguments, process command lines: the black box's list), its dump files are owner-only
 * ({@code rw-------}, in a {@code rwx------} directory when it creates one) and have thread names
 * redacted; every recording is closed when the endpoint closes with its application context.
 *
 * <p>Off unless granted: its default access is {@code none}; {@code read-only} allows listing and
 * downloading, {@code unrestricted} starting and stopping. A web endpoint only, like Boot's heap
 * dump endpoint: JMX clients have the JDK's own {@code FlightRecorderMXBean}.
 */
@WebEndpoint(id = "jfr", defaultAccess = Access.NONE)
public class CairnJfrEndpoint implements AutoCloseable {
  /** Settings names {@code start} accepts: Cairn's settings files without {@code .jfc}. */
  static final List<String> SETTINGS = names();

  /**
   * Events left off in recordings this endpoint starts: their values (environment, system
   * properties, command lines) often carry credentials, and a dump is meant to be downloaded. The
   * same list as the black box's.
   */
  static final List<String> SENSITIVE_EVENTS = SensitiveEvents.TYPES;

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

  private final @Nullable Path configuredDirectory;
  private final Duration maxAge;
  private final DataSize maxSize;
  private final Duration maxDuration;
  private final int maxRecordings;
  private final int maxDumps;

  // Guarded by this: the recordings this endpoint started and the files it wrote, oldest first.
  private final Map<Long, Recording> started = new LinkedHashMap<>();
  private final Deque<String> dumps = new ArrayDeque<>();
  private @Nullable Path directory;
  private boolean closed;

  /**
   * An endpoint with the limits of {@code cairn.jfr.endpoint.*}.
   *
   * @throws IllegalArgumentException naming the property when a limit is not positive
   */
  public CairnJfrEndpoint(CairnProperties.Jfr.Endpoint limits) {
    String dir = limits.getDirectory();
    this.configuredDirectory = dir == null || dir.isBlank() ? null : Path.of(dir.trim()).toAbsolutePath().normalize();
    this.maxAge = positive(limits.getMaxAge(), "cairn.jfr.endpoint.max-age");
    this.maxDuration = positive(limits.getMaxDuration(), "cairn.jfr.endpoint.max-duration");
    this.maxSize = Objects.requireNonNull(limits.getMaxSize(), "cairn.jfr.endpoint.max-size");
    if (maxSize.toBytes() <= 0) {
      throw new IllegalArgumentException("cairn.jfr.endpoint.max-size must be positive, was " + maxSize);
    }
    if (limits.getMaxRecordings() < 1) {
      throw new IllegalArgumentException("cairn.jfr.endpoint.max-recordings must be at least 1, was " + limits.getMaxRecordings());
    }
    if (limits.getMaxDumps() < 1) {
      throw new IllegalArgumentException("cairn.jfr.endpoint.max-dumps must be at least 1, was " + limits.getMaxDumps());
    }
    this.maxRecordings = limits.getMaxRecordings();
    this.maxDumps = limits.getMaxDumps();
  }

  /** Every recording of this JVM and the dump files this endpoint wrote. */
  @ReadOperation
  public Map<String, Object> recordings() {
    Map<String, Object> out = new LinkedHashMap<>();
    boolean available = FlightRecorder.isAvailable();
    out.put("available", available);
    List<Map<String, Object>> list = new ArrayList<>();
    synchronized (this) {
      if (available) {
        for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
          list.add(describe(r));
        }
      }
      out.put("recordings", list);
      List<Map<String, Object>> files = new ArrayList<>();
      for (String name : dumps) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("file", name);
        f.put("size", size(name));
        files.add(f);
      }
      out.put("dumps", files);
    }
    return out;
  }

  /**
   * Starts a recording with Cairn's settings. Every argument is optional; limits above the
   * configured ones are lowered to them.
   *
   * @param name the recording's name (letters, digits, {@code .-_}; others become {@code _})
   * @param settings {@code cairn} (default) or {@code cairn-detailed}
   * @param maxAge history kept, e.g. {@code 5m}
   * @param maxSize disk kept, e.g. {@code 50MB}
   * @param duration time after which it stops by itself, e.g. {@code 10m}
   */
  @WriteOperation
  public WebEndpointResponse<Map<String, Object>> start(
      @Nullable String name,
      @Nullable String settings,
      @Nullable Duration maxAge,
      @Nullable DataSize maxSize,
      @Nullable Duration duration) {
    if (!FlightRecorder.isAvailable()) {
      return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, "JFR is not available in this JVM");
    }
    String s = settings == null || settings.isBlank() ? SETTINGS.get(0) : settings.trim();
    if (!SETTINGS.contains(s)) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, "unknown settings '" + s + "'; valid: " + String.join(", ", SETTINGS));
    }
    if ((maxAge != null && !positive(maxAge))
        || (duration != null && !positive(duration))
        || (maxSize != null && maxSize.toBytes() <= 0)) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, "maxAge, maxSize and duration must be positive");
    }
    synchronized (this) {
      if (closed) {
        return error(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE, "closed");
      }
      forgetClosed();
      if (started.size() >= maxRecordings) {
        return error(409, "already " + started.size() + " recordings open (cairn.jfr.endpoint.max-recordings); stop or delete one first");
      }
      Recording r = new Recording(settings(s));
      try {
        r.setName(name == null || name.isBlank() ? "cairn-actuator" : sanitize(name.trim()));
        r.setToDisk(true);
        r.setMaxAge(min(maxAge, this.maxAge));
        r.setMaxSize(Math.min(maxSize == null ? Long.MAX_VALUE : maxSize.toBytes(), this.maxSize.toBytes()));
        r.setDuration(min(duration, maxDuration));
        r.start();
      } catch (RuntimeException e) {
        r.close();
        return error(WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR, "cannot start the recording: " + e.getMessage());
      }
      started.put(r.getId(), r);
      return new WebEndpointResponse<>(describe(r), WebEndpointResponse.STATUS_OK);
    }
  }

  /**
   * {@code dump}: writes what the recording holds so far to a new file in the dump directory;
   * {@code stop}: stops it, writes the file and closes it.
   */
  @WriteOperation
  public WebEndpointResponse<Map<String, Object>> act(@Selector long id, @Selector String action) {
    synchronized (this) {
      Recording r = started.get(id);
      if (r == null || r.getState() == RecordingState.CLOSED) {
        started.remove(id);
        return error(WebEndpointResponse.STATUS_NOT_FOUND, "no recording " + id + " started by this endpoint");
      }
      if (!action.equals("dump") && !action.equals("stop")) {
        return error(WebEndpointResponse.STATUS_BAD_REQUEST, "unknown action '" + action + "'; valid: dump, stop");
      }
      try {
        if (action.equals("stop") && r.getState() == RecordingState.RUNNING) {
          r.stop();
        }
        String file = dump(r);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("recording", describe(r));
        out.put("file", file);
        out.put("size", size(file));
        if (action.equals("stop")) {
          r.close();
          started.remove(id);
          out.put("recording", describe(r));
        }
        return new WebEndpointResponse<>(out, WebEndpointResponse.STATUS_OK);
      } catch (IOException | RuntimeException e) {
        return error(WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR, "cannot " + action + " recording " + id + ": " + e.getMessage());
      }
    }
  }

  /** Closes a recording this endpoint started, writing nothing. */
  @DeleteOperation
  public WebEndpointResponse<Map<String, Object>> discard(@Selector long id) {
    synchronized (this) {
      Recording r = started.remove(id);
      if (r == null) {
        return error(WebEndpointResponse.STATUS_NOT_FOUND, "no recording " + id + " started by this endpoint");
      }
      r.close();
      return new WebEndpointResponse<>(describe(r), WebEndpointResponse.STATUS_OK);
    }
  }

  /** Downloads a dump file this endpoint wrote; any other name answers 404. */
  @ReadOperation(produces = "application/octet-stream")
  public WebEndpointResponse<Resource> download(@Selector String file) {
    synchronized (this) {
      // Only names this endpoint produced are served; they never hold a separator or "..".
      if (!dumps.contains(file) || directory == null) {
        return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
      }
      Path path = directory.resolve(file).normalize();
      if (!directory.equals(path.getParent()) || !Files.isRegularFile(path)) {
        return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
      }
      return new WebEndpointResponse<>(new FileSystemResource(path), WebEndpointResponse.STATUS_OK);
    }
  }

  /** Closes every recording this endpoint started; the dump files stay. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    for (Recording r : started.values()) {
      try {
        r.close();
      } catch (RuntimeException e) {
        // Closing is best effort: the JVM may be shutting the recorder down already.
      }
    }
    started.clear();
  }

  /** The directory dumps go to, once the first dump created it. */
  synchronized @Nullable Path directory() {
    return directory;
  }

  private String dump(Recording r) throws IOException {
    Path dir = directory;
    if (dir == null) {
      if (configuredDirectory != null) {
        dir = OwnerOnlyFiles.createDirectories(configuredDirectory);
      } else {
        // A fresh directory only this user can read (POSIX rwx------): dumps hold stack traces and more.
        dir = Files.createTempDirectory("cairn-jfr-").toAbsolutePath().normalize();
      }
      directory = dir;
    }
    String base = sanitize(r.getName()) + "-" + r.getId() + "-" + STAMP.format(LocalDateTime.now());
    String name = base + ".jfr";
    for (int i = 2; dumps.contains(name) || Files.exists(dir.resolve(name)); i++) {
      name = base + "-" + i + ".jfr";
    }
    // Owner-only from creation (rw-------), thread names redacted: the black box's way.
    SafeDump.write(r, dir.resolve(name));
    dumps.addLast(name);
    while (dumps.size() > maxDumps) {
      Files.deleteIfExists(dir.resolve(dumps.removeFirst()));
    }
    return name;
  }

  private long size(String file) {
    try {
      return directory == null ? 0 : Files.size(directory.resolve(file));
    } catch (IOException e) {
      return 0;
    }
  }

  private void forgetClosed() {
    started.values().removeIf(r -> r.getState() == RecordingState.CLOSED);
  }

  private Map<String, Object> describe(Recording r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.getId());
    m.put("name", r.getName());
    m.put("state", r.getState().name());
    m.put("size", r.getSize());
    Path dest = r.getDestination();
    if (dest != null) {
      m.put("destination", dest.toString());
    }
    if (r.getMaxAge() != null) {
      m.put("maxAge", r.getMaxAge().toString());
    }
    m.put("maxSize", r.getMaxSize());
    if (r.getDuration() != null) {
      m.put("duration", r.getDuration().toString());
    }
    if (r.getStartTime() != null) {
      m.put("startTime", r.getStartTime().toString());
    }
    m.put("startedByEndpoint", started.containsKey(r.getId()));
    return m;
  }

  private static Map<String, String> settings(String name) {
    Map<String, String> s = new HashMap<>();
    try {
      // cairn: the JDK's "default" (about 1% overhead) plus cairn.jfc; cairn-detailed: "profile"
      // plus cairn-detailed.jfc, for a troubleshooting session.
      s.putAll(Configuration.getConfiguration(name.equals("cairn") ? "default" : "profile").getSettings());
      try (InputStream in = CairnJfr.class.getResourceAsStream(name + ".jfc")) {
        if (in != null) {
          s.putAll(Configuration.create(new InputStreamReader(in, StandardCharsets.UTF_8)).getSettings());
        }
      }
    } catch (IOException | ParseException e) {
      throw new IllegalStateException("cannot read JFR settings " + name, e);
    }
    return SensitiveEvents.disable(s);
  }

  private static List<String> names() {
    List<String> out = new ArrayList<>();
    for (String f : CairnJfr.SETTINGS_FILES) {
      out.add(f.endsWith(".jfc") ? f.substring(0, f.length() - 4) : f);
    }
    return List.copyOf(out);
  }

  static String sanitize(String name) {
    StringBuilder b = new StringBuilder(Math.min(name.length(), 64));
    for (int i = 0; i < name.length() && b.length() < 64; i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      b.append(ok ? c : '_');
    }
    return b.length() == 0 ? "recording" : b.toString();
  }

  private static Duration min(@Nullable Duration requested, Duration limit) {
    return requested == null || requested.compareTo(limit) > 0 ? limit : requested;
  }

  private static Duration positive(Duration d, String property) {
    if (d == null || !positive(d)) {
      throw new IllegalArgumentException(property + " must be positive, was " + d);
    }
    return d;
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static WebEndpointResponse<Map<String, Object>> error(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    return new WebEndpointResponse<>(body, status);
  }
}
