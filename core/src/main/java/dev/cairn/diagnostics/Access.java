package dev.cairn.diagnostics;

/** What a diagnostics endpoint may do, and so which switch must be on before it answers. */
public enum Access {
  /** Reads state; allowed whenever the surface is enabled. */
  READ,
  /** Changes state (e.g. starts a recording); needs {@code cairn.diagnostics.write.enabled=true}. */
  WRITE,
  /**
   * Writes a heap or flight-recording dump, which may hold any data of the process; needs {@code
   * cairn.diagnostics.dumps.enabled=true}, runs one at a time and is size-capped.
   */
  DUMP
}
