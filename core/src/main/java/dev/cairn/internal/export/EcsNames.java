package dev.cairn.internal.export;

/**
 * The field names Elasticsearch accepts in a document, shared by the two ECS renderings (the
 * Logback encoder's {@code ecs} format and {@link LogJson} for the log exporters) so that both
 * apply one rule.
 *
 * <p>Elasticsearch reads a dot in a field name as an object path ({@code a.b} is {@code b} inside
 * {@code a}) and refuses a document with: an empty name; a name with an empty path segment (a
 * leading or trailing dot, {@code ..}, a name of dots only: "object field starting or ending with a
 * [.] makes object resolution ambiguous"); at the top level, a metadata field ({@code _id}, {@code
 * _index}, {@code _source}, {@code _routing}, {@code _type}, {@code _version}, {@code _seq_no},
 * {@code _ignored}, … — the list grows between versions, so every top-level name starting with
 * {@code _} is treated as one); and two fields of which one is a value and the other an object
 * under it ({@code a} and {@code a.b}), which dynamic mapping cannot hold at once.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class EcsNames {
  private EcsNames() {}

  /** True when {@code name} is a path Elasticsearch accepts: not empty, no empty segment. */
  public static boolean isValidPath(String name) {
    int n = name.length();
    if (n == 0 || name.charAt(0) == '.' || name.charAt(n - 1) == '.') {
      return false;
    }
    return name.indexOf("..") < 0;
  }

  /** {@link #isValidPath} and not starting with {@code _} (metadata fields live there). */
  public static boolean isValidTopLevel(String name) {
    return isValidPath(name) && name.charAt(0) != '_';
  }

  /** {@code name} as one path segment: each {@code .} becomes {@code _}, and "" becomes "_". */
  public static String flat(String name) {
    return name.isEmpty() ? "_" : name.replace('.', '_');
  }

  /**
   * True when fields named {@code a} and {@code b} cannot be in one document: the same name, or
   * one is an object path above the other ({@code log.level} and {@code log.level.x}).
   */
  public static boolean clash(String a, String b) {
    int la = a.length();
    int lb = b.length();
    if (la == lb) {
      return a.equals(b);
    }
    return la < lb
        ? b.charAt(la) == '.' && b.startsWith(a)
        : a.charAt(lb) == '.' && a.startsWith(b);
  }
}
