package dev.cairn.jfr.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * The jar's command line; needs nothing but this jar on the class path.
 *
 * <ul>
 *   <li>{@code settings <dir>}: writes the shipped {@code .jfc} files to disk.
 *   <li>{@code analyze <recording.jfr> [--json] [--min-duration <ms>]}: for every {@code
 *       cairn.Span} in any recording (for example from {@code jcmd JFR.dump}), the stall breakdown
 *       and its CPU samples by top frame.
 * </ul>
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class Cli {
  static final String[] FILES = {"cairn.jfc", "cairn-detailed.jfc"};

  private Cli() {}

  /** Entry point of the jar. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 2 && args[0].equals("settings")) {
      try {
        Path dir = Paths.get(args[1]);
        Files.createDirectories(dir);
        for (String f : FILES) {
          try (InputStream in = Cli.class.getResourceAsStream("/dev/cairn/jfr/" + f)) {
            if (in == null) {
              err.println("missing resource " + f);
              return 1;
            }
            Path p = dir.resolve(f);
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            out.println(p.toAbsolutePath());
          }
        }
        return 0;
      } catch (IOException e) {
        err.println("cannot write settings: " + e);
        return 1;
      }
    }
    if (args.length >= 2 && args[0].equals("analyze")) {
      boolean json = false;
      long minMillis = 0;
      for (int i = 2; i < args.length; i++) {
        if (args[i].equals("--json")) {
          json = true;
        } else if (args[i].equals("--min-duration") && i + 1 < args.length) {
          try {
            minMillis = Long.parseLong(args[++i]);
          } catch (NumberFormatException e) {
            err.println("--min-duration takes milliseconds, got " + args[i]);
            return 2;
          }
        } else {
          err.println("unknown option " + args[i]);
          return 2;
        }
      }
      try {
        List<Analyzer.Result> results =
            Analyzer.analyze(Paths.get(args[1]), Duration.ofMillis(minMillis));
        out.print(json ? Analyzer.toJson(results) : Analyzer.toText(results));
        out.flush();
        return 0;
      } catch (IOException e) {
        err.println("cannot read " + args[1] + ": " + e);
        return 1;
      }
    }
    err.println("usage: java -jar cairn-jfr.jar settings <directory>");
    err.println("       java -jar cairn-jfr.jar analyze <recording.jfr> [--json] [--min-duration <ms>]");
    return 2;
  }
}
