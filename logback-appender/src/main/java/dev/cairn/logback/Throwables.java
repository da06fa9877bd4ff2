package dev.cairn.logback;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import dev.cairn.internal.Fatal;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a Logback throwable proxy as bounded text in the JDK's own shape ({@code Caused by:},
 * {@code Suppressed:}, {@code ... n more}) so Error Reporting, Kibana and humans all read it, plus
 * a stable grouping hash.
 *
 * <p>Bounded: at most {@code maxFrames} frames per throwable, {@code maxDepth} throwables in total
 * (causes and suppressed), identity-checked against cycles. Every call into the proxy is guarded:
 * a throwing {@code getMessage()} gives a placeholder.
 */
final class Throwables {
  /** The rendering of one event's throwable. */
  static final class Rendered {
    final String type;
    final String message;
    final String stackTrace;
    final String hash;

    Rendered(String type, String message, String stackTrace, String hash) {
      this.type = type;
      this.message = message;
      this.stackTrace = stackTrace;
      this.hash = hash;
    }
  }

  private final int maxFrames;
  private final int maxDepth;
  private final boolean rootCauseFirst;
  private final int maxChars;
  /** Plain-text mode: every piece is masked and escaped on its own (no raw CR/LF inside). */
  private final boolean plainText;

  Throwables(int maxFrames, int maxDepth, boolean rootCauseFirst, int maxChars) {
    this(maxFrames, maxDepth, rootCauseFirst, maxChars, false);
  }

  Throwables(int maxFrames, int maxDepth, boolean rootCauseFirst, int maxChars, boolean plainText) {
    this.maxFrames = maxFrames;
    this.maxDepth = maxDepth;
    this.rootCauseFirst = rootCauseFirst;
    this.maxChars = maxChars;
    this.plainText = plainText;
  }

  /** A piece of the text: as is (masked later, as a whole) or, in plain-text mode, now. */
  private String piece(String raw, Masker masker) {
    if (!plainText || raw == null) {
      return raw;
    }
    // Capped first: a 2 MiB message must not become a 12 MiB escaped piece.
    return PlainText.escapedAndCapped(raw, masker, Math.max(64, maxChars));
  }

  Rendered render(IThrowableProxy top, Masker masker) {
    List<IThrowableProxy> seen = new ArrayList<>();
    StringBuilder sb = new StringBuilder(1024);
    long[] hash = {0xcbf29ce484222325L}; // FNV-1a 64
    List<IThrowableProxy> chain = new ArrayList<>();
    for (IThrowableProxy t = top; t != null && chain.size() < maxDepth; t = cause(t)) {
      if (containsIdentity(chain, t)) {
        break;
      }
      chain.add(t);
    }
    if (rootCauseFirst) {
      for (int k = chain.size() - 1; k >= 0; k--) {
        IThrowableProxy t = chain.get(k);
        append(sb, t, k == chain.size() - 1 ? "" : "Wrapped by: ", "", masker, seen, hash,
            k != chain.size() - 1);
      }
    } else {
      for (int k = 0; k < chain.size(); k++) {
        append(sb, chain.get(k), k == 0 ? "" : "Caused by: ", "", masker, seen, hash, true);
      }
    }
    IThrowableProxy last = chain.isEmpty() ? null : chain.get(chain.size() - 1);
    if (last != null && cause(last) != null) {
      IThrowableProxy more = cause(last);
      sb.append(containsIdentity(chain, more) ? "[CIRCULAR REFERENCE: " : "[more causes omitted: ")
          .append(piece(className(more), masker))
          .append("]\n");
    }
    String type = className(top);
    String message = message(top, masker);
    // One pass over the whole text: messages of causes and suppressed throwables, and frames
    // (class, method and file names are text a program can choose too).
    String stackTrace = plainText ? sb.toString() : Values.mask(masker, sb.toString());
    return new Rendered(type, message, stackTrace, hex(hash[0]));
  }

  private void append(
      StringBuilder sb,
      IThrowableProxy t,
      String label,
      String indent,
      Masker masker,
      List<IThrowableProxy> seen,
      long[] hash,
      boolean foldCommon) {
    if (sb.length() > maxChars) {
      return;
    }
    seen.add(t);
    if (isCyclic(t)) {
      // Logback's proxy for a cause already printed above.
      sb.append(indent).append("[CIRCULAR REFERENCE: ").append(piece(className(t), masker))
          .append("]\n");
      return;
    }
    String type = className(t);
    hash[0] = fnv(hash[0], type);
    sb.append(indent).append(label).append(piece(type, masker));
    String msg = message(t, null); // the whole text is masked at the end, frames included
    if (msg != null) {
      sb.append(": ").append(piece(msg, masker));
    }
    sb.append('\n');
    StackTraceElementProxy[] frames = frames(t);
    int common = foldCommon ? commonFrames(t, frames.length) : 0;
    int own = frames.length - common;
    int shown = Math.min(own, maxFrames);
    for (int i = 0; i < shown; i++) {
      StackTraceElement e = element(frames[i]);
      if (e == null) {
        continue;
      }
      hash[0] = fnv(hash[0], e.getClassName());
      hash[0] = fnv(hash[0], e.getMethodName());
      sb.append(indent).append("\tat ").append(piece(e.toString(), masker)).append('\n');
      if (sb.length() > maxChars) {
        return;
      }
    }
    if (own > shown) {
      sb.append(indent).append("\t... ").append(own - shown).append(" frames omitted\n");
    }
    if (common > 0) {
      sb.append(indent).append("\t... ").append(common).append(" more\n");
    }
    IThrowableProxy[] suppressed = suppressed(t);
    for (IThrowableProxy s : suppressed) {
      if (s == null) {
        continue;
      }
      if (seen.size() >= maxDepth) {
        sb.append(indent).append("\t[further suppressed omitted]\n");
        return;
      }
      if (containsIdentity(seen, s)) {
        sb.append(indent).append("\t[CIRCULAR REFERENCE: ").append(piece(className(s), masker))
            .append("]\n");
        continue;
      }
      append(sb, s, "Suppressed: ", indent + "\t", masker, seen, hash, true);
    }
  }

  private static boolean containsIdentity(List<IThrowableProxy> list, IThrowableProxy t) {
    for (IThrowableProxy x : list) {
      if (x == t) {
        return true;
      }
    }
    return false;
  }

  private static boolean isCyclic(IThrowableProxy t) {
    try {
      return t.isCyclic();
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      return false;
    }
  }

  private static IThrowableProxy cause(IThrowableProxy t) {
    try {
      return t.getCause();
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      return null;
    }
  }

  private static String className(IThrowableProxy t) {
    try {
      String n = t.getClassName();
      return n == null ? "unknown" : n;
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      return "unknown";
    }
  }

  private static String message(IThrowableProxy t, Masker masker) {
    try {
      String m = t.getMessage();
      return m == null ? null : Values.mask(masker, m);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      return "[getMessage() failed: " + e.getClass().getName() + "]";
    }
  }

  private static StackTraceElementProxy[] frames(IThrowableProxy t) {
    try {
      StackTraceElementProxy[] f = t.getStackTraceElementProxyArray();
      return f == null ? new StackTraceElementProxy[0] : f;
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      return new StackTraceElementProxy[0];
    }
  }

  private static int commonFrames(IThrowableProxy t, int length) {
    try {
      int c = t.getCommonFrames();
      return c < 0 ? 0 : Math.min(c, length);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      return 0;
    }
  }

  private static IThrowableProxy[] suppressed(IThrowableProxy t) {
    try {
      IThrowableProxy[] s = t.getSuppressed();
      return s == null ? new IThrowableProxy[0] : s;
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
      return new IThrowableProxy[0];
    }
  }

  private static StackTraceElement element(StackTraceElementProxy p) {
    return p == null ? null : p.getStackTraceElement();
  }

  private static long fnv(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= 0xff; // separator so ("ab","c") and ("a","bc") differ
    h *= 0x100000001b3L;
    return h;
  }

  private static String hex(long v) {
    String s = Long.toHexString(v);
    return "0000000000000000".substring(s.length()) + s;
  }
}
