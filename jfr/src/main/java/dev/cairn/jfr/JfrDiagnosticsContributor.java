package dev.cairn.jfr;

import dev.cairn.diagnostics.Access;
import dev.cairn.diagnostics.DiagnosticsContributor;
import dev.cairn.diagnostics.DiagnosticsEndpoint;
import dev.cairn.diagnostics.DiagnosticsRequest;
import dev.cairn.diagnostics.DiagnosticsResponse;
import dev.cairn.internal.json.JsonWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Adds the JFR module to the diagnostics surface: the black box (list, dump, download) and stall
 * breakdowns. Found through {@link java.util.ServiceLoader} (it serves the active {@link
 * CairnJfr}) or registered with {@code Diagnostics.builder().contributor(new
 * JfrDiagnosticsContributor(jfr))}.
 *
 * <ul>
 *   <li>{@code GET /jfr/blackbox}: whether it is on, its directory and dump files (READ).
 *   <li>{@code POST /jfr/blackbox/dump}: a dump now, subject to the black box's rate limit (DUMP).
 *   <li>{@code GET /jfr/blackbox/file?name=…}: one dump file, by a name from the list (DUMP).
 *   <li>{@code GET /jfr/stalls}: recent stall breakdowns; {@code ?spanId=…} for one (READ).
 * </ul>
 */
public final class JfrDiagnosticsContributor implements DiagnosticsContributor {
  private final Supplier<CairnJfr> jfr;

  /** Serves whichever {@link CairnJfr} is active when a request arrives (for ServiceLoader). */
  public JfrDiagnosticsContributor() {
    this.jfr = CairnJfr::active;
  }

  /** Serves {@code jfr}. */
  public JfrDiagnosticsContributor(CairnJfr jfr) {
    this.jfr = () -> jfr;
  }

  @Override
  public String name() {
    return "jfr";
  }

  @Override
  public List<DiagnosticsEndpoint> endpoints() {
    return List.of(
        DiagnosticsEndpoint.of(
            "/jfr/blackbox", "GET", Access.READ, "Black box state and dump files", r -> list()),
        DiagnosticsEndpoint.of(
            "/jfr/blackbox/dump",
            "POST",
            Access.DUMP,
            "Dump the black box now (rate-limited)",
            r -> dump()),
        DiagnosticsEndpoint.of(
            "/jfr/blackbox/file",
            "GET",
            Access.DUMP,
            "Download one black box dump (?name=)",
            this::file),
        DiagnosticsEndpoint.of(
            "/jfr/stalls",
            "GET",
            Access.READ,
            "Recent slow-span stall breakdowns (?spanId= for one)",
            this::stalls));
  }

  private Optional<BlackBox> box() {
    CairnJfr j = jfr.get();
    return j == null ? Optional.empty() : j.blackBox();
  }

  private DiagnosticsResponse list() throws IOException {
    Optional<BlackBox> box = box();
    JsonWriter w = new JsonWriter().beginObject();
    w.name("enabled").value(box.isPresent());
    if (box.isPresent()) {
      w.field("directory", box.get().directory().toString());
      w.name("files").beginArray();
      for (Path p : box.get().files()) {
        w.beginObject();
        w.field("name", p.getFileName().toString());
        w.field("size", Files.size(p));
        w.field("modified", Files.getLastModifiedTime(p).toString());
        w.endObject();
      }
      w.endArray();
    }
    return DiagnosticsResponse.json(w.endObject().toByteArray());
  }

  private DiagnosticsResponse dump() throws Exception {
    Optional<BlackBox> box = box();
    if (box.isEmpty()) {
      return DiagnosticsResponse.error(404, "the black box is not enabled");
    }
    Optional<Path> file = box.get().dump("diagnostics").get(2, TimeUnit.MINUTES);
    if (file.isEmpty()) {
      return DiagnosticsResponse.error(429, "dump skipped: rate limit, one pending, or failed");
    }
    JsonWriter w = new JsonWriter().beginObject();
    w.field("name", file.get().getFileName().toString());
    w.field("size", Files.size(file.get()));
    return DiagnosticsResponse.json(w.endObject().toByteArray());
  }

  private DiagnosticsResponse file(DiagnosticsRequest r) {
    Optional<BlackBox> box = box();
    if (box.isEmpty()) {
      return DiagnosticsResponse.error(404, "the black box is not enabled");
    }
    Optional<String> name = r.param("name");
    if (name.isEmpty()) {
      return DiagnosticsResponse.error(400, "name is required");
    }
    // Only names the black box lists: never a path from the request.
    for (Path p : box.get().files()) {
      if (p.getFileName().toString().equals(name.get())) {
        return DiagnosticsResponse.file(p, "application/octet-stream", name.get(), false);
      }
    }
    return DiagnosticsResponse.error(404, "no such dump: " + name.get());
  }

  private DiagnosticsResponse stalls(DiagnosticsRequest r) {
    CairnJfr j = jfr.get();
    Optional<StallAttribution> s = j == null ? Optional.empty() : j.stallAttribution();
    JsonWriter w = new JsonWriter().beginObject();
    w.name("enabled").value(s.isPresent());
    w.name("breakdowns").beginArray();
    if (s.isPresent()) {
      Optional<String> spanId = r.param("spanId");
      List<StallBreakdown> list =
          spanId.isPresent()
              ? s.get().breakdown(spanId.get()).map(List::of).orElse(List.of())
              : s.get().recent();
      for (StallBreakdown b : list) {
        w.beginObject();
        w.field("traceId", b.traceId());
        w.field("spanId", b.spanId());
        w.field("name", b.name());
        w.field("thread", b.thread());
        w.field("durationNanos", b.duration().toNanos());
        w.field("gcPauseNanos", b.gcPause().toNanos());
        w.field("lockWaitNanos", b.lockWait().toNanos());
        w.field("parkNanos", b.park().toNanos());
        w.field("sleepNanos", b.sleep().toNanos());
        w.field("socketIoNanos", b.socketIo().toNanos());
        w.field("fileIoNanos", b.fileIo().toNanos());
        w.field("unattributedNanos", b.unattributed().toNanos());
        w.name("causes").beginArray();
        for (StallBreakdown.Cause c : b.causes()) {
          w.beginObject();
          w.field("kind", c.kind().name());
          w.field("detail", c.detail());
          w.field("timeNanos", c.time().toNanos());
          w.field("count", c.count());
          w.endObject();
        }
        w.endArray();
        w.endObject();
      }
    }
    w.endArray();
    return DiagnosticsResponse.json(w.endObject().toByteArray());
  }
}
