package dev.cairn.journal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Command-line reader for journal directories; prints JSON lines and never modifies the files.
 *
 * <pre>
 * java -cp cairn-core.jar dev.cairn.journal.JournalTool dump   [--from N] DIR
 * java -cp cairn-core.jar dev.cairn.journal.JournalTool verify DIR
 * java -cp cairn-core.jar dev.cairn.journal.JournalTool replay [--from N] [--to N] DIR
 * java -cp cairn-core.jar dev.cairn.journal.JournalTool merge  DIR DIR...
 * </pre>
 *
 * Exit status: 0 success, 1 damage found (verify) or a read failed, 2 usage error.
 */
public final class JournalTool {
  private JournalTool() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs a command, printing to {@code out}; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2) {
      return usage(err, "missing command or directory");
    }
    String command = args[0];
    long from = 0;
    long to = Long.MAX_VALUE;
    List<Path> dirs = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      try {
        if (a.equals("--from") && i + 1 < args.length) {
          from = Long.parseLong(args[++i]);
        } else if (a.equals("--to") && i + 1 < args.length) {
          to = Long.parseLong(args[++i]);
        } else if (a.startsWith("--")) {
          return usage(err, "unknown option " + a);
        } else {
          dirs.add(Path.of(a));
        }
      } catch (NumberFormatException e) {
        return usage(err, "not a position: " + args[i]);
      }
    }
    if (dirs.isEmpty() || (!command.equals("merge") && dirs.size() != 1)) {
      return usage(err, "expected one directory (merge takes several)");
    }
    try {
      switch (command) {
        case "dump":
          return dump(dirs.get(0), from, out);
        case "verify":
          return verify(dirs.get(0), out);
        case "replay":
          return replay(dirs.get(0), from, to, out);
        case "merge":
          return merge(dirs, out);
        default:
          return usage(err, "unknown command " + command);
      }
    } catch (IOException | UncheckedIOException e) {
      err.println("journal: " + e.getMessage());
      return 1;
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println("journal: " + problem);
    err.println("usage: JournalTool dump [--from N] DIR | verify DIR | replay [--from N] [--to N] DIR | merge DIR DIR...");
    return 2;
  }

  private static int dump(Path dir, long from, PrintStream out) throws IOException {
    JournalReader reader = JournalReader.open(dir);
    try (EventIterator it = reader.read(from)) {
      while (it.hasNext()) {
        out.println(eventJson(it.next(), -1));
      }
      printDamage(it.corruptions(), out);
    }
    return 0;
  }

  private static int verify(Path dir, PrintStream out) throws IOException {
    JournalReader reader = JournalReader.open(dir);
    printDamage(reader.corruptions(), out);
    reader.tornTail().ifPresent(t -> out.println("{\"tornTail\":" + damageJson(t) + "}"));
    boolean ok = reader.corruptions().isEmpty();
    StringBuilder sb = new StringBuilder("{\"verify\":{\"directory\":");
    Json.string(sb, dir.toString());
    sb.append(",\"segments\":").append(reader.segments().size());
    sb.append(",\"records\":").append(reader.records());
    sb.append(",\"firstPosition\":").append(reader.firstPosition());
    sb.append(",\"nextPosition\":").append(reader.nextPosition());
    sb.append(",\"corruptions\":").append(reader.corruptions().size());
    sb.append(",\"tornTail\":").append(reader.tornTail().isPresent());
    sb.append(",\"ok\":").append(ok).append("}}");
    out.println(sb);
    return ok ? 0 : 1;
  }

  private static int replay(Path dir, long from, long to, PrintStream out) throws IOException {
    JournalReader reader = JournalReader.open(dir);
    Map<String, Long> versions = new HashMap<>();
    long count = 0;
    try (EventIterator it = reader.read(from)) {
      while (it.hasNext()) {
        Event e = it.next();
        if (e.position() > to) {
          break;
        }
        long version = -1;
        if (!e.key().isEmpty()) {
          version = versions.merge(e.key(), 1L, Long::sum);
        }
        out.println(eventJson(e, version));
        count++;
      }
      printDamage(it.corruptions(), out);
    }
    List<LostUpdate> lost = Replay.lostUpdates(reader.read(from));
    for (LostUpdate l : lost) {
      if (l.lost().position() > to) {
        continue;
      }
      StringBuilder sb = new StringBuilder("{\"lostUpdate\":{\"key\":");
      Json.string(sb, l.key());
      sb.append(",\"readVersion\":").append(l.readVersion());
      sb.append(",\"actualVersion\":").append(l.actualVersion());
      sb.append(",\"firstPosition\":").append(l.first().position());
      sb.append(",\"firstId\":\"").append(l.first().idHex()).append('"');
      sb.append(",\"lostPosition\":").append(l.lost().position());
      sb.append(",\"lostId\":\"").append(l.lost().idHex()).append("\"}}");
      out.println(sb);
    }
    out.println("{\"replay\":{\"events\":" + count + ",\"lostUpdates\":" + lost.size() + "}}");
    return 0;
  }

  /** Merges several journals into one order by HLC (physical, logical, node): causal order. */
  private static int merge(List<Path> dirs, PrintStream out) throws IOException {
    List<EventIterator> its = new ArrayList<>();
    PriorityQueue<Object[]> heads = new PriorityQueue<>((a, b) -> ((Event) a[0]).hlc().compareTo(((Event) b[0]).hlc()));
    try {
      for (Path d : dirs) {
        EventIterator it = JournalReader.open(d).read(0);
        its.add(it);
        if (it.hasNext()) {
          heads.add(new Object[] {it.next(), it});
        }
      }
      while (!heads.isEmpty()) {
        Object[] h = heads.poll();
        out.println(eventJson((Event) h[0], -1));
        EventIterator it = (EventIterator) h[1];
        if (it.hasNext()) {
          heads.add(new Object[] {it.next(), it});
        }
      }
      for (EventIterator it : its) {
        printDamage(it.corruptions(), out);
      }
    } finally {
      for (EventIterator it : its) {
        it.close();
      }
    }
    return 0;
  }

  private static void printDamage(List<Corruption> list, PrintStream out) {
    for (Corruption c : list) {
      out.println("{\"corruption\":" + damageJson(c) + "}");
    }
  }

  private static String damageJson(Corruption c) {
    StringBuilder sb = new StringBuilder("{\"segment\":");
    Json.string(sb, c.segment());
    sb.append(",\"offset\":").append(c.offset()).append(",\"length\":").append(c.length()).append(",\"reason\":");
    Json.string(sb, c.reason());
    return sb.append('}').toString();
  }

  /** One event as a JSON object; {@code version} below zero is left out. */
  static String eventJson(Event e, long version) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"position\":").append(e.position());
    sb.append(",\"id\":\"").append(e.idHex()).append('"');
    sb.append(",\"hlc\":");
    Json.string(sb, e.hlc().toString());
    sb.append(",\"type\":");
    Json.string(sb, e.type());
    if (!e.key().isEmpty()) {
      sb.append(",\"key\":");
      Json.string(sb, e.key());
    }
    if (version >= 0) {
      sb.append(",\"version\":").append(version);
    }
    if (e.expectedVersion() >= 0) {
      sb.append(",\"expectedVersion\":").append(e.expectedVersion());
    }
    long[] causes = e.causedBy();
    if (causes.length > 0) {
      sb.append(",\"causedBy\":[");
      for (int i = 0; i < causes.length; i++) {
        sb.append(i > 0 ? ",\"" : "\"").append(Event.hex(causes[i])).append('"');
      }
      sb.append(']');
    }
    if (e.hasTrace()) {
      sb.append(",\"traceId\":\"").append(e.traceIdHex()).append('"');
      sb.append(",\"spanId\":\"").append(e.spanIdHex()).append('"');
    }
    if (!e.correlationId().isEmpty()) {
      sb.append(",\"correlationId\":");
      Json.string(sb, e.correlationId());
    }
    switch (e.format()) {
      case JSON:
        String text = e.payloadText();
        if (JsonCheck.isValid(text)) {
          sb.append(",\"payload\":").append(text);
        } else {
          sb.append(",\"payloadText\":");
          Json.string(sb, text);
        }
        break;
      case TEXT:
        sb.append(",\"payloadText\":");
        Json.string(sb, new String(e.payloadUnsafe(), StandardCharsets.UTF_8));
        break;
      default:
        sb.append(",\"payloadBase64\":\"").append(Base64.getEncoder().encodeToString(e.payloadUnsafe())).append('"');
    }
    sb.append(",\"segment\":");
    Json.string(sb, e.segment());
    sb.append(",\"offset\":").append(e.offset());
    return sb.append('}').toString();
  }
}
