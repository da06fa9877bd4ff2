package dev.cairn.diagnostics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from what the diagnostics surface shows: system properties, environment
 * variables, JVM arguments, thread names. Two rules:
 *
 * <ul>
 *   <li><b>by name</b>: a property or variable whose name contains a secret-looking word ({@code
 *       password}, {@code passwd}, {@code secret}, {@code token}, {@code credential}, {@code
 *       apikey}/{@code api_key}, {@code private}, {@code auth}, {@code cookie}, {@code session},
 *       {@code signature}, {@code key} as a whole segment, plus words you add) shows {@value
 *       #REDACTED} instead of its value;
 *   <li><b>by pattern</b>: inside any shown value, {@code Authorization: Bearer …}, {@code
 *       password=…}-style pairs, {@code -Dsecret.name=…} JVM arguments, AWS access key ids ({@code
 *       AKIA…}), JSON Web Tokens and the user-info part of URLs ({@code https://user:pw@host}) are
 *       replaced.
 * </ul>
 *
 * <p>All patterns are linear-time and inputs are capped at {@value #MAX_VALUE_CHARS} characters
 * before matching, so hostile values cannot stall a request.
 */
public final class Redactor {
  /** What a redacted value shows. */
  public static final String REDACTED = "[REDACTED]";

  /** Values longer than this are cut (and marked) before patterns run. */
  public static final int MAX_VALUE_CHARS = 8192;

  private static final List<String> DEFAULT_WORDS =
      List.of(
          "password",
          "passwd",
          "pwd",
          "secret",
          "token",
          "credential",
          "apikey",
          "api_key",
          "api-key",
          "private",
          "auth",
          "cookie",
          "session",
          "signature",
          "passphrase");

  private static final Pattern BEARER =
      Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{4,}");
  private static final Pattern AWS_KEY_ID = Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b");
  private static final Pattern JWT =
      Pattern.compile("\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
  private static final Pattern URL_USERINFO = Pattern.compile("://[^/\\s:@]{1,256}:[^/\\s@]{1,256}@");
  // name=value or name: value where the name looks secret; the value runs to a separator.
  private static final Pattern PAIR =
      Pattern.compile(
          "(?i)([A-Za-z0-9_.-]{0,64}(?:password|passwd|pwd|secret|token|credential|api[_-]?key|access[_-]?key|private[_-]?key|passphrase)[A-Za-z0-9_.-]{0,64})(\\s{0,4}[=:]\\s{0,4})(\"[^\"]*+\"|[^\\s,;&\"]++)");

  private final List<String> words;

  private Redactor(List<String> words) {
    this.words = List.copyOf(words);
  }

  /** The built-in rules. */
  public static Redactor defaults() {
    return new Redactor(DEFAULT_WORDS);
  }

  /** The built-in rules plus these name words (matched case-insensitively as substrings). */
  public Redactor withNames(Collection<String> extraWords) {
    List<String> all = new ArrayList<>(words);
    for (String w : extraWords) {
      String t = w.trim().toLowerCase(Locale.ROOT);
      if (!t.isEmpty()) {
        all.add(t);
      }
    }
    return new Redactor(all);
  }

  /** Whether a property or variable with this name hides its value. */
  public boolean isSecretName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (String w : words) {
      if (n.contains(w)) {
        return true;
      }
    }
    // "key" only as a whole segment (AWS_SECRET_ACCESS_KEY, signing.key), not "keyboard.layout".
    for (String seg : n.split("[._\\-]")) {
      if (seg.equals("key") || seg.endsWith("key") && seg.length() > 3 && isKeyCompound(seg)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isKeyCompound(String seg) {
    return seg.equals("accesskey") || seg.equals("secretkey") || seg.equals("privatekey")
        || seg.equals("masterkey") || seg.equals("encryptionkey") || seg.equals("signingkey");
  }

  /** The value to show for the entry {@code name=value}. */
  public String redactEntry(String name, String value) {
    if (isSecretName(name)) {
      return REDACTED;
    }
    return redactValue(value);
  }

  /** {@code value} with every secret-looking part replaced, cut to {@value #MAX_VALUE_CHARS} chars. */
  public String redactValue(String value) {
    if (value == null || value.isEmpty()) {
      return value == null ? "" : value;
    }
    String v = value;
    if (v.length() > MAX_VALUE_CHARS) {
      v = v.substring(0, MAX_VALUE_CHARS) + "...[truncated]";
    }
    return redactText(redactJvmArg(v));
  }

  /**
   * {@code text} (a whole document, e.g. a thread dump) with every secret-looking part replaced by
   * pattern; not cut. The patterns are linear, so the cost grows with the length only.
   */
  public String redactText(String text) {
    String v = text;
    v = BEARER.matcher(v).replaceAll("$1 " + REDACTED);
    v = JWT.matcher(v).replaceAll(REDACTED);
    v = AWS_KEY_ID.matcher(v).replaceAll(REDACTED);
    v = URL_USERINFO.matcher(v).replaceAll("://" + REDACTED + "@");
    Matcher m = PAIR.matcher(v);
    if (m.find()) {
      StringBuilder sb = new StringBuilder(v.length());
      int last = 0;
      do {
        sb.append(v, last, m.start(3)).append(REDACTED);
        last = m.end(3);
      } while (m.find());
      sb.append(v, last, v.length());
      v = sb.toString();
    }
    return v;
  }

  /** {@code -Dname=value} with a secret name keeps the name and loses the value. */
  private String redactJvmArg(String v) {
    if (v.startsWith("-D")) {
      int eq = v.indexOf('=');
      if (eq > 2 && isSecretName(v.substring(2, eq))) {
        return v.substring(0, eq + 1) + REDACTED;
      }
    }
    return v;
  }
}
