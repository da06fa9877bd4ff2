package dev.cairn.internal;

/**
 * Errors that Cairn must never swallow while containing failures of sinks and user code.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class Fatal {
  private Fatal() {}

  /**
   * Rethrows errors the JVM cannot recover from. {@link StackOverflowError} is deliberately
   * contained: it is a bug in one sink, not a broken VM, and the thread survives it.
   */
  public static void rethrowIfFatal(Throwable t) {
    if (t instanceof StackOverflowError) {
      return;
    }
    if (t instanceof VirtualMachineError) {
      throw (VirtualMachineError) t;
    }
    if (t instanceof LinkageError) {
      throw (LinkageError) t;
    }
  }
}
