package dev.cairn.jfr.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

/**
 * {@code java -jar cairn-jfr.jar settings <dir>}: writes the shipped {@code .jfc} files to disk.
 * Needs nothing but this jar on the class path.
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

  static int run(String[] args, PrintStream out, PrintStream err) {
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
    err.println("usage: java -jar cairn-jfr.jar settings <directory>");
    return 2;
  }
}
