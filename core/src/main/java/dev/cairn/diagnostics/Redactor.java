package dev.cairn.diagnostics;

import dev.cairn.internal.secrets.SecretPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Removes secrets from what the diagnostics surface shows: system properties, environment
 * variables, JVM arguments, thread names. It applies Cairn's one secrets policy, the same one log
 * masking uses ({@code dev.cairn.logback}), so a secret hidden in a log line is hidden here too:
 *
 * <ul>
 *   <li><b>by name</b>: a property or variable whose name contains a secret word ending at a word
 *       boundary ({@code password}, {@code passwd}, {@code pwd}, {@code passphrase}, {@code
 *       secret}, {@code token}, {@code credential}, {@code apikey}/{@code api_key}/{@code
 *       api-key}, {@code accesskey}, {@code privatekey}, {@code private}, {@code auth}, {@code
 *       authorization}, {@code bearer}, {@code cookie}, {@code session}, {@code signature}, plus
 *       words you add), or a segment that is exactly {@code key} ({@code signing.key}), shows
 *       {@value #REDACTED} instead of its value; {@code tokenizer}, {@code author} and {@code
 *       keyboard.layout} do not;
 *   <li><b>by pattern</b>: inside any shown value, {@code name=value} pairs with such a name
 *       (separated by {@code =}, {@code :}, {@code %3D}, {@code %3A} or blanks; quoted values up to
 *       their closing quote), {@code Bearer}/{@code Basic} credentials after any whitespace, the
 *       user-info of URLs ({@code jdbc:postgresql://user:pw@host}, {@code redis://:pw@host}), AWS
 *       access key ids ({@code AKIA…}), JSON Web Tokens and Luhn-valid card numbers are replaced.
 * </ul>
 *
 * <p>All rules are hand-written linear-time scanners and values are capped at {@value
 * #MAX_VALUE_CHARS} characters before matching, so hostile values cannot stall a request.
 */
public final class Redactor {
  /** What a redacted value shows. */
  public static final String REDACTED = "[REDACTED]";

  /** Values longer than this are cut (and marked) before patterns run. */
  public static final int MAX_VALUE_CHARS = 8192;

  private static final Redactor DEFAULTS = new Redactor(List.of());

  private final List<String> extraWords;
  private final SecretPolicy policy;

  private Redactor(List<String> extraWords) {
    this.extraWords = List.copyOf(extraWords);
    this.policy = SecretPolicy.of(this.extraWords, List.of());
  }

  /** The built-in rules. */
  public static Redactor defaults() {
    return DEFAULTS;
  }

  /**
   * The built-in rules plus these name words (matched case-insensitively like the built-in ones:
   * anywhere in a name, ending at a word boundary; {@code _ - .} between letters are ignored).
   */
  public Redactor withNames(Collection<String> extraWords) {
    List<String> all = new ArrayList<>(this.extraWords);
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
    return policy.isSecretName(name);
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
    String arg = redactJvmArg(v);
    return arg != v ? arg : redactText(v); // the whole value is already gone
  }

  /**
   * {@code text} (a whole document, e.g. a thread dump) with every secret-looking part replaced by
   * pattern; not cut. The scanners are linear, so the cost grows with the length only.
   */
  public String redactText(String text) {
    return policy.mask(text, REDACTED, null);
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
