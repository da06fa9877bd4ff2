package dev.cairn.internal;

import dev.cairn.export.NdjsonExporter;
import dev.cairn.journal.Codec;
import dev.cairn.journal.FsyncPolicy;
import dev.cairn.journal.Journal;
import dev.cairn.journal.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run by {@link OwnerOnlyUmaskTest} under {@code umask 022}: writes a journal (several segments and
 * a snapshot) and rotated NDJSON files below {@code args[0]}, and a control file and directory
 * created the plain way in {@code args[1]}.
 */
public final class OwnerOnlyUmaskChild {
  private OwnerOnlyUmaskChild() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Path control = Path.of(args[1]);
    Files.createDirectories(control.resolve("dir"));
    Files.createFile(control.resolve("file"));

    Path journalDir = root.resolve("journal/orders");
    try (Journal j = Journal.builder(journalDir).segmentBytes(4096).fsync(FsyncPolicy.never()).build()) {
      for (int i = 0; i < 200; i++) {
        j.append("OrderPlaced", "order-" + i, ("payload " + i).getBytes(StandardCharsets.UTF_8));
      }
    }
    new Snapshot<>(200, "state").save(journalDir.resolve("orders.snapshot"), Codec.utf8());

    NdjsonExporter<String> ndjson =
        NdjsonExporter.<String>builder((s, out) -> out.append("{\"v\":\"").append(s).append("\"}"))
            .file(root.resolve("ndjson/spans/spans.ndjson"))
            .maxFileBytes(1024)
            .maxFiles(2)
            .build();
    String line = "x".repeat(400);
    for (int i = 0; i < 6; i++) {
      ndjson.export(List.of(line));
    }
    ndjson.close();
    System.out.println("done");
  }
}
