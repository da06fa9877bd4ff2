package dev.cairn.diagnostics;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Exactly what differs between two fingerprints: every key whose value differs or that only one
 * side has, in both sections, sorted by section then key. The capture time and the hash are not
 * compared (the hash follows from the environment section).
 *
 * <p>From the command line:
 *
 * <pre>
 * java -cp cairn-core.jar dev.cairn.diagnostics.FingerprintDiff a.json b.json
 * </pre>
 *
 * prints one line per difference and exits 0 when the fingerprints are the same, 1 when they
 * differ, 2 on a usage error or an unreadable file.
 */
public final class FingerprintDiff {
  /** The maximum fingerprint file size the command line reads. */
  public static final long MAX_FILE_BYTES = 8L * 1024 * 1024;

  /** One differing key. */
  public static final class Difference {
    private final String section;
    private final String key;
    private final Optional<String> left;
    private final Optional<String> right;

    Difference(String section, String key, Optional<String> left, Optional<String> right) {
      this.section = section;
      this.key = key;
      this.left = left;
      this.right = right;
    }

    /** {@code environment} or {@code instance}. */
    public String section() {
      return section;
    }

    public String key() {
      return key;
    }

    /** The first fingerprint's value; empty when it lacks the key. */
    public Optional<String> left() {
      return left;
    }

    /** The second fingerprint's value; empty when it lacks the key. */
    public Optional<String> right() {
      return right;
    }

    @Override
    public String toString() {
      if (left.isEmpty()) {
        return "+ " + section + " " + key + " = " + right.get();
      }
      if (right.isEmpty()) {
        return "- " + section + " " + key + " = " + left.get();
      }
      return "~ " + section + " " + key + ": " + left.get() + " -> " + right.get();
    }
  }

  private final List<Difference> differences;

  private FingerprintDiff(List<Difference> differences) {
    this.differences = List.copyOf(differences);
  }

  /** Compares {@code a} (left) with {@code b} (right). */
  public static FingerprintDiff between(Fingerprint a, Fingerprint b) {
    List<Difference> out = new ArrayList<>();
    compare("environment", a.environment(), b.environment(), out);
    compare("instance", a.instance(), b.instance(), out);
    return new FingerprintDiff(out);
  }

  private static void compare(
      String section, SortedMap<String, String> a, SortedMap<String, String> b, List<Difference> out) {
    TreeSet<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    for (String k : keys) {
      String l = a.get(k);
      String r = b.get(k);
      if (l == null || !l.equals(r)) {
        out.add(new Difference(section, k, Optional.ofNullable(l), Optional.ofNullable(r)));
      }
    }
  }

  /** Whether the two fingerprints are the same. */
  public boolean same() {
    return differences.isEmpty();
  }

  /** The differences, sorted by section ({@code environment} first) then key. */
  public List<Difference> differences() {
    return differences;
  }

  /** The differing keys of one section. */
  public List<String> keys(String section) {
    List<String> out = new ArrayList<>();
    for (Difference d : differences) {
      if (d.section.equals(section)) {
        out.add(d.key);
      }
    }
    return out;
  }

  /** One line per difference ({@code ~} changed, {@code -} only left, {@code +} only right). */
  public String render() {
    StringBuilder sb = new StringBuilder();
    for (Difference d : differences) {
      sb.append(d).append('\n');
    }
    return sb.toString();
  }

  /** Command line: {@code FingerprintDiff a.json b.json}; exit 0 same, 1 differ, 2 error. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 2) {
      err.println("usage: java -cp cairn-core.jar dev.cairn.diagnostics.FingerprintDiff a.json b.json");
      err.println("exit status: 0 same, 1 different, 2 error");
      return 2;
    }
    Fingerprint a;
    Fingerprint b;
    try {
      a = load(Paths.get(args[0]));
      b = load(Paths.get(args[1]));
    } catch (IOException | IllegalArgumentException e) {
      err.println("fingerprint diff: " + e.getMessage());
      return 2;
    }
    FingerprintDiff d = between(a, b);
    if (d.same()) {
      out.println("same (" + a.hash() + ")");
      return 0;
    }
    out.println(args[0] + " " + a.hash());
    out.println(args[1] + " " + b.hash());
    out.print(d.render());
    out.println(d.differences.size() + (d.differences.size() == 1 ? " difference" : " differences"));
    return 1;
  }

  private static Fingerprint load(Path p) throws IOException {
    long size = Files.size(p);
    if (size > MAX_FILE_BYTES) {
      throw new IOException(p + " is " + size + " bytes, more than " + MAX_FILE_BYTES);
    }
    try {
      return Fingerprint.parse(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(p + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return render();
  }
}
