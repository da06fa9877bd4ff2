package dev.cairn.diagnostics;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Main of the forked JVMs: writes this process's fingerprint to the file named by args[0]. */
public final class PrintFingerprint {
  private PrintFingerprint() {}

  public static void main(String[] args) throws Exception {
    Files.writeString(Paths.get(args[0]), Fingerprint.capture().toJson(), StandardCharsets.UTF_8);
  }
}
