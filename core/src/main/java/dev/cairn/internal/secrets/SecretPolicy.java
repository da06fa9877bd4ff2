package dev.cairn.internal.secrets;

import dev.cairn.internal.SelfCounter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Cairn's one secrets policy: which names hide their value, and which parts of free text are
 * secrets. Log masking ({@code dev.cairn.logback.Masker}) and diagnostics redaction ({@code
 * dev.cairn.diagnostics.Redactor}) both use it, so a form caught in one is caught in the other;
 * only the replacement text differs.
 *
 * <p>Every rule is a hand-written forward scanner: no regular expressions, no backtracking. The
 * main loop never moves backwards, and each rule that looks ahead either consumes what it looked
 * at or looks at a bounded number of characters, so the work is linear in the input. {@code
 * SecretPolicyTest} counts the characters read to prove it.
 *
 * <p>Rules ({@link #RULES}, each can be switched off by name):
 *
 * <ul>
 *   <li>{@code key-value}: a secret word (see {@link #isSecretName}) ending a name, then {@code =},
 *       {@code :}, {@code %3D} or {@code %3A} (blanks and quotes around them allowed), then the
 *       value: a quoted value up to its closing quote (so {@code password="a b c"} masks all of
 *       {@code a b c}), an unquoted one up to whitespace or a delimiter ({@code & , ; ) ] } > <},
 *       quotes, or their percent-encoded forms). With only blanks between the word and the value
 *       ({@code password hunter2}), the value is masked when it looks like a secret (six or more
 *       characters with letters and digits), so prose such as {@code password reset} stays. For
 *       {@code authorization}/{@code auth}, a scheme word ({@code Basic}) is kept.
 *   <li>{@code bearer}: {@code Bearer} or {@code Basic} at a word start, any whitespace (tab
 *       included), {@code %20} or {@code +}, then a credential of at least 8 characters that is
 *       not a plain lower-case word.
 *   <li>{@code url-userinfo}: the user-info of {@code scheme://user:password@host} (the password;
 *       a user-info without {@code :} is masked whole, as it is often a token).
 *   <li>{@code aws-key}: AWS access key ids, {@code AKIA}/{@code ASIA} + 16 upper-case letters or
 *       digits (the prefix is kept).
 *   <li>{@code jwt}: three base64url segments separated by dots, the first starting {@code eyJ}.
 *   <li>{@code pan}: 13–19 digits (single spaces or dashes allowed between them) with a card network
 *       prefix and a valid Luhn check digit; all but the last four digits are masked.
 * </ul>
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class SecretPolicy {
  /** The rule names, as accepted by {@link #of}. */
  public static final List<String> RULES =
      List.of("key-value", "bearer", "url-userinfo", "aws-key", "jwt", "pan");

  /**
   * Secret words, lower case, written without separators: in text and names, {@code _ - .} may
   * stand between their letters ({@code api_key}, {@code X-Api-Key}, {@code signing.key}).
   */
  static final List<String> WORDS =
      List.of(
          "password", "passwords", "passwd", "pwd", "passphrase", "secret", "secrets", "token",
          "credential", "credentials", "apikey", "accesskey", "privatekey", "signingkey",
          "encryptionkey", "masterkey", "private", "authorization", "auth", "bearer", "cookie",
          "cookies", "session", "sessionid", "signature");

  private static final SecretPolicy DEFAULTS = new SecretPolicy(List.of(), List.of());

  private final char[][] words;
  /** For each lower-cased ASCII two-letter prefix, the indices of the words starting with it. */
  private final int[][] byPrefix = new int[128 * 128][];
  /** The same prefixes as bits (2 KiB, stays in cache): the test run at almost every character. */
  private final long[] prefixBits = new long[128 * 128 / 64];

  private final boolean keyValue;
  private final boolean bearer;
  private final boolean userinfo;
  private final boolean awsKey;
  private final boolean jwt;
  private final boolean pan;

  private SecretPolicy(Collection<String> extraWords, Collection<String> disabledRules) {
    List<String> all = new ArrayList<>(WORDS);
    for (String w : extraWords) {
      String t = normalize(w);
      if (t.length() >= 2 && !all.contains(t)) {
        all.add(t);
      }
    }
    words = new char[all.size()][];
    for (int i = 0; i < all.size(); i++) {
      words[i] = all.get(i).toCharArray();
      char[] w = words[i];
      if (w[0] < 128 && w[1] < 128) {
        int p = w[0] * 128 + w[1];
        int[] old = byPrefix[p];
        int[] grown = old == null ? new int[1] : java.util.Arrays.copyOf(old, old.length + 1);
        grown[grown.length - 1] = i;
        byPrefix[p] = grown;
        prefixBits[p >>> 6] |= 1L << p;
      }
    }
    keyValue = !disabledRules.contains("key-value");
    bearer = !disabledRules.contains("bearer");
    userinfo = !disabledRules.contains("url-userinfo");
    awsKey = !disabledRules.contains("aws-key");
    jwt = !disabledRules.contains("jwt");
    pan = !disabledRules.contains("pan");
  }

  /** The built-in words and rules. */
  public static SecretPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * The built-in words plus {@code extraWords} (matched like the built-in ones), without the rules
   * named in {@code disabledRules}.
   */
  public static SecretPolicy of(Collection<String> extraWords, Collection<String> disabledRules) {
    if (extraWords.isEmpty() && disabledRules.isEmpty()) {
      return DEFAULTS;
    }
    return new SecretPolicy(extraWords, disabledRules);
  }

  /** Lower case without {@code _ - .} and blanks: how words are stored. */
  private static String normalize(String w) {
    StringBuilder sb = new StringBuilder(w.length());
    String lower = w.trim().toLowerCase(Locale.ROOT);
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (!isNameSeparator(c) && c > ' ') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------ names

  /**
   * Whether a name (property, environment variable, MDC or key-value key, map key) hides its whole
   * value: it contains a secret word that ends at a word boundary ({@code DB_PASSWORD}, {@code
   * authToken}, {@code X-Api-Key}, {@code github.token}, but not {@code tokenizer}, {@code author}
   * or {@code keyboard.layout}), or it has a segment that is exactly {@code key} ({@code
   * signing.key}, {@code AWS_ACCESS_KEY}). Names are looked at up to 256 characters.
   */
  public boolean isSecretName(CharSequence name) {
    int n = Math.min(name.length(), 256);
    for (int i = 0; i + 1 < n; i++) {
      if (wordAt(name, i, n) > 0) {
        return true;
      }
    }
    // "key" as a whole segment: for names only; in free text "key=orders:42" is too common.
    int segStart = 0;
    for (int i = 0; i <= n; i++) {
      if (i == n || isNameSeparator(name.charAt(i))) {
        if (i - segStart == 3
            && lower(name.charAt(segStart)) == 'k'
            && lower(name.charAt(segStart + 1)) == 'e'
            && lower(name.charAt(segStart + 2)) == 'y') {
          return true;
        }
        segStart = i + 1;
      }
    }
    return false;
  }

  /** Whether two characters start a secret word: the cheap test inlined at every character. */
  private boolean isPrefix(char a, char b) {
    int c0 = a | 0x20; // lower case for letters; the table has letters and digits only
    int c1 = b | 0x20;
    if ((c0 | c1) >= 128) {
      return false;
    }
    int p = c0 * 128 + c1;
    return (prefixBits[p >>> 6] & (1L << p)) != 0;
  }

  /**
   * A secret word starting at {@code i} and ending at a word boundary; returns its end or -1.
   * Looks at no more than twice the longest word's length.
   */
  private int wordAt(CharSequence s, int i, int n) {
    char c0 = lower(s.charAt(i));
    char c1 = lower(s.charAt(i + 1));
    if ((c0 | c1) >= 128) {
      return -1;
    }
    int p = c0 * 128 + c1;
    if ((prefixBits[p >>> 6] & (1L << p)) == 0) {
      return -1;
    }
    int[] candidates = byPrefix[p];
    for (int idx : candidates) {
      int end = matchWord(s, i, n, words[idx]);
      if (end > 0) {
        return end;
      }
    }
    return -1;
  }

  private static int matchWord(CharSequence s, int i, int n, char[] w) {
    int k = i;
    int j = 0;
    while (j < w.length) {
      if (k >= n) {
        return -1;
      }
      char c = s.charAt(k);
      if (lower(c) == w[j]) {
        k++;
        j++;
      } else if (j > 0 && isNameSeparator(c) && k + 1 < n && lower(s.charAt(k + 1)) == w[j]) {
        k++; // one separator between letters: api_key, X-Api-Key, signing.key
      } else {
        return -1;
      }
    }
    if (k < n) {
      // The word must end a word: "tokenizer" and "author" are not secrets, "authToken" is.
      char next = s.charAt(k);
      char last = s.charAt(k - 1);
      if ((next >= 'a' && next <= 'z') || (isUpper(next) && isUpper(last))) {
        return -1;
      }
    }
    return k;
  }

  // ------------------------------------------------------------------ text

  /**
   * {@code s} with every secret replaced by {@code replacement} (card numbers keep their last four
   * digits, AWS key ids their prefix); the same instance when nothing matched. {@code counter},
   * when not null, counts the masked values.
   */
  public String mask(String s, String replacement, SelfCounter counter) {
    if (s == null || s.isEmpty()) {
      return s;
    }
    Spans spans = scan(s);
    if (spans == null) {
      return s;
    }
    if (counter != null) {
      counter.add(spans.size);
    }
    return spans.apply(s, replacement);
  }

  /** The masked ranges of {@code s}, or null. Package-private: tests count the reads. */
  Spans scan(CharSequence s) {
    int n = s.length();
    Spans spans = null; // allocated on the first match only
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (pan && (i == 0 || !isDigit(s.charAt(i - 1)))) {
          int r = scanPan(s, i);
          if (r < 0) {
            spans = Spans.add(spans, i, -r, Spans.CARD);
            i = -r;
          } else {
            i = Math.max(r, i + 1);
          }
        } else {
          i++;
        }
        continue;
      }
      if (c == ':') {
        if (userinfo && i + 2 < n && s.charAt(i + 1) == '/' && s.charAt(i + 2) == '/') {
          long span = scanUserinfo(s, i + 3);
          if (span >= 0) {
            spans = Spans.add(spans, (int) (span >>> 32), (int) span, Spans.PLAIN);
          }
          // Past the authority: "auth.internal:5432" is a host and a port, not a key and value.
          i = authorityEnd(s, span >= 0 ? (int) span : i + 3);
          continue;
        }
        i++;
        continue;
      }
      int end;
      if (jwt && c == 'e' && (i == 0 || !isB64Url(s.charAt(i - 1)))) {
        end = scanJwt(s, i);
        if (end > 0) {
          spans = Spans.add(spans, i, end, Spans.PLAIN);
          i = end;
          continue;
        }
        // No JWT here; a later start inside this run is not at a boundary, so each run is
        // scanned once. Fall through to the word rules.
      }
      if (awsKey && c == 'A') {
        end = scanAws(s, i);
        if (end > 0) {
          spans = Spans.add(spans, i + 4, end, Spans.PLAIN);
          i = end;
          continue;
        }
      }
      if (bearer && (c == 'B' || c == 'b') && (i == 0 || !isWordChar(s.charAt(i - 1)))) {
        long span = scanBearer(s, i);
        if (span >= 0) {
          int to = (int) span;
          spans = Spans.add(spans, (int) (span >>> 32), to, Spans.PLAIN);
          i = to;
          continue;
        }
      }
      if (keyValue && i + 1 < n && isPrefix(c, s.charAt(i + 1))) {
        // Anywhere, not only at a word start: "mpassword=x" after an ANSI code still masks.
        int wordEnd = wordAt(s, i, n);
        if (wordEnd > 0) {
          long span = valueSpan(s, i, wordEnd);
          if (span >= 0) {
            int to = (int) span;
            spans = Spans.add(spans, (int) (span >>> 32), to, Spans.PLAIN);
            i = to;
            continue;
          }
          i = wordEnd;
          continue;
        }
      }
      i++;
    }
    return spans;
  }

  /**
   * After a secret word ending at {@code wordEnd}: the rest of the name, separators, and the
   * value's span packed as {@code from << 32 | to}, or -1.
   */
  private static long valueSpan(CharSequence s, int wordStart, int wordEnd) {
    int n = s.length();
    int k = wordEnd;
    int cap = Math.min(n, k + 64);
    while (k < cap && isNameChar(s.charAt(k))) {
      k++; // the word may start a longer name: password_hash, tokenValue
    }
    boolean quotedName = false;
    if (k < n && (s.charAt(k) == '"' || s.charAt(k) == '\'')) {
      k++;
      quotedName = true;
    } else if (k + 1 < n && s.charAt(k) == '\\' && s.charAt(k + 1) == '"') {
      k += 2; // JSON inside a JSON string: {\"password\":\"x\"}
      quotedName = true;
    }
    int afterName = k;
    k = skipBlanks(s, k, n);
    int sep = separatorLength(s, k, n);
    if (sep == 0) {
      if (k == afterName || quotedName || k >= n) {
        return -1;
      }
      // "password hunter2": only blanks; mask the next word if it looks like a secret.
      int end = unquotedEnd(s, k, n);
      return looksLikeSecret(s, k, end) ? ((long) k << 32) | end : -1;
    }
    k = skipBlanks(s, k + sep, n);
    if (k >= n) {
      return -1;
    }
    int quote = quoteLength(s, k, n);
    int start = k + quote;
    if (isAuthorizationWord(s, wordStart, wordEnd)) {
      // "Basic xyz", "Digest a=b": keep the scheme word, mask what follows it.
      int w = start;
      while (w < n && isAsciiLetter(s.charAt(w))) {
        w++;
      }
      if (w > start && w < n) {
        char gap = s.charAt(w);
        if (gap == ' ' || gap == '\t') {
          start = skipBlanks(s, w, n);
        } else if (gap == '+') {
          start = w + 1; // form-encoded space
        } else if (gap == '%' && w + 2 < n && s.charAt(w + 1) == '2' && s.charAt(w + 2) == '0') {
          start = w + 3;
        }
      }
    }
    int end = quote == 0 ? unquotedEnd(s, start, n) : quotedEnd(s, start, n, s.charAt(k), quote);
    if (end <= start) {
      return -1;
    }
    return ((long) start << 32) | end;
  }

  private static boolean isAuthorizationWord(CharSequence s, int from, int to) {
    return to - from >= 4
        && lower(s.charAt(from)) == 'a'
        && lower(s.charAt(from + 1)) == 'u'
        && lower(s.charAt(from + 2)) == 't'
        && lower(s.charAt(from + 3)) == 'h';
  }

  private static int skipBlanks(CharSequence s, int k, int n) {
    while (k < n && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) {
      k++;
    }
    return k;
  }

  /** {@code =} (or {@code =>}), {@code :}, {@code %3D} or {@code %3A} at k: its length, else 0. */
  private static int separatorLength(CharSequence s, int k, int n) {
    if (k >= n) {
      return 0;
    }
    char c = s.charAt(k);
    if (c == '=') {
      return k + 1 < n && s.charAt(k + 1) == '>' ? 2 : 1;
    }
    if (c == ':') {
      return 1;
    }
    if (c == '%' && k + 2 < n && s.charAt(k + 1) == '3') {
      char d = s.charAt(k + 2);
      if (d == 'D' || d == 'd' || d == 'A' || d == 'a') {
        return 3;
      }
    }
    return 0;
  }

  /** An opening quote at k ({@code "}, {@code '}, {@code \"} or {@code %22}): its length, else 0. */
  private static int quoteLength(CharSequence s, int k, int n) {
    char c = s.charAt(k);
    if (c == '"' || c == '\'') {
      return 1;
    }
    if (c == '\\' && k + 1 < n && s.charAt(k + 1) == '"') {
      return 2;
    }
    if (c == '%' && k + 2 < n && s.charAt(k + 1) == '2' && s.charAt(k + 2) == '2') {
      return 3;
    }
    return 0;
  }

  /** The end of a quoted value: its closing quote, or the end of the line when there is none. */
  private static int quotedEnd(CharSequence s, int k, int n, char open, int quoteLength) {
    while (k < n) {
      char c = s.charAt(k);
      if (c == '\n' || c == '\r') {
        return k;
      }
      if (quoteLength == 1) {
        if (c == open) {
          return k;
        }
        if (c == '\\' && open == '"' && k + 1 < n) {
          k += 2; // an escaped quote inside a JSON string does not end it
          continue;
        }
      } else if (quoteLength == 2) {
        if (c == '\\' && k + 1 < n && s.charAt(k + 1) == '"') {
          return k;
        }
      } else if (c == '%' && k + 2 < n && s.charAt(k + 1) == '2' && s.charAt(k + 2) == '2') {
        return k;
      }
      k++;
    }
    return n;
  }

  /** The end of an unquoted value: whitespace, a delimiter, or a percent-encoded delimiter. */
  private static int unquotedEnd(CharSequence s, int k, int n) {
    while (k < n) {
      char c = s.charAt(k);
      if (isValueDelimiter(c)) {
        return k;
      }
      if (c == '\\' && k + 1 < n && s.charAt(k + 1) == '"') {
        return k;
      }
      if (c == '%' && k + 2 < n && isEncodedDelimiter(s.charAt(k + 1), s.charAt(k + 2))) {
        return k;
      }
      k++;
    }
    return n;
  }

  private static boolean isValueDelimiter(char c) {
    return c <= ' '
        || (c >= 0x7f && c <= 0x9f)
        || c == 0x2028
        || c == 0x2029
        || c == '&'
        || c == ','
        || c == ';'
        || c == '"'
        || c == '\''
        || c == ')'
        || c == '}'
        || c == ']'
        || c == '>'
        || c == '<';
  }

  /** %20 space, %22 quote, %26 &, %27 ', %2C comma, %3B semicolon. */
  private static boolean isEncodedDelimiter(char a, char b) {
    char d = (char) (b | 0x20);
    if (a == '2') {
      return b == '0' || b == '2' || b == '6' || b == '7' || d == 'c';
    }
    return a == '3' && d == 'b';
  }

  /** Six or more characters with both letters and digits: an id or a password, not a word. */
  private static boolean looksLikeSecret(CharSequence s, int from, int to) {
    if (to - from < 6) {
      return false;
    }
    boolean letter = false;
    boolean digit = false;
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      letter |= isAsciiLetter(c);
      digit |= isDigit(c);
    }
    return letter && digit;
  }

  /**
   * The password of {@code scheme://user:password@host} (or the whole user-info when it has no
   * {@code :}), as {@code from << 32 | to}, or -1. {@code k} is just after {@code ://}. The
   * authority ends at the first {@code /}, so the authorities of two URLs never overlap and each
   * character is looked at once by this rule.
   */
  private static long scanUserinfo(CharSequence s, int k) {
    int start = k;
    int end = authorityEnd(s, k);
    int at = -1;
    for (int j = start; j < end; j++) {
      if (s.charAt(j) == '@') {
        at = j; // the last '@' ends the user-info: "user:p@ss@host"
      }
    }
    if (at <= start) {
      return -1;
    }
    int colon = -1;
    for (int j = start; j < at; j++) {
      if (s.charAt(j) == ':') {
        colon = j;
        break;
      }
    }
    int from = colon >= 0 ? colon + 1 : start;
    return from < at ? ((long) from << 32) | at : -1;
  }

  /** The end of a URL's authority starting at {@code k}: the first {@code / ? #}, blank or quote. */
  private static int authorityEnd(CharSequence s, int k) {
    int n = s.length();
    while (k < n) {
      char c = s.charAt(k);
      if (c == '/' || c == '?' || c == '#' || c <= ' ' || c == '"' || c == '\'' || c == '<'
          || c == '>' || c == '\\' || c == '`') {
        return k;
      }
      k++;
    }
    return n;
  }

  /**
   * {@code Bearer} or {@code Basic}, a gap of whitespace, {@code %20} or {@code +}, then a
   * credential; its span as {@code from << 32 | to}, or -1.
   */
  private static long scanBearer(CharSequence s, int i) {
    int n = s.length();
    int k;
    if (regionMatchesLower(s, i, n, "bearer")) {
      k = i + 6;
    } else if (regionMatchesLower(s, i, n, "basic")) {
      k = i + 5;
    } else {
      return -1;
    }
    int gapStart = k;
    while (k < n) {
      char c = s.charAt(k);
      if (c <= ' ' || c == '+' || c == 0x85 || c == 0xa0) {
        k++;
      } else if (c == '%' && k + 2 < n && s.charAt(k + 1) == '2' && s.charAt(k + 2) == '0') {
        k += 3;
      } else {
        break;
      }
      if (k - gapStart > 16) {
        return -1;
      }
    }
    if (k == gapStart) {
      return -1;
    }
    int start = k;
    boolean digit = false;
    boolean upper = false;
    boolean symbol = false;
    while (k < n && isTokenChar(s.charAt(k))) {
      char c = s.charAt(k);
      digit |= isDigit(c);
      upper |= isUpper(c) && k > start;
      symbol |= !isAsciiLetter(c) && !isDigit(c);
      k++;
    }
    // "Bearer authentication" is prose; a credential has digits, symbols or mixed case.
    return k - start >= 8 && (digit || upper || symbol) ? ((long) start << 32) | k : -1;
  }

  private static boolean regionMatchesLower(CharSequence s, int i, int n, String lower) {
    if (i + lower.length() > n) {
      return false;
    }
    for (int k = 0; k < lower.length(); k++) {
      if (lower(s.charAt(i + k)) != lower.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** AKIA/ASIA + 16 [A-Z0-9]; returns end or -1. */
  private static int scanAws(CharSequence s, int i) {
    int n = s.length();
    if (i + 20 > n || s.charAt(i + 2) != 'I' || s.charAt(i + 3) != 'A') {
      return -1;
    }
    char c1 = s.charAt(i + 1);
    if (c1 != 'K' && c1 != 'S') {
      return -1;
    }
    for (int k = i + 4; k < i + 20; k++) {
      char c = s.charAt(k);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return -1;
      }
    }
    return i + 20;
  }

  /** eyJ… . … . … (signature may be empty); returns end or -1. */
  private static int scanJwt(CharSequence s, int i) {
    int n = s.length();
    if (i + 3 > n || s.charAt(i + 1) != 'y' || s.charAt(i + 2) != 'J') {
      return -1;
    }
    int k = skipB64Url(s, i);
    if (k - i < 10 || k >= n || s.charAt(k) != '.') {
      return -1;
    }
    int p2 = k + 1;
    k = skipB64Url(s, p2);
    if (k - p2 < 2 || k >= n || s.charAt(k) != '.') {
      return -1;
    }
    return skipB64Url(s, k + 1);
  }

  private static int skipB64Url(CharSequence s, int i) {
    int n = s.length();
    while (i < n && isB64Url(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * A card number starting at i. Returns -end when a valid PAN spans [i, end), otherwise the index
   * to continue scanning from (past this digit run, so each digit is looked at a bounded number of
   * times).
   */
  private static int scanPan(CharSequence s, int i) {
    int n = s.length();
    int digits = 0;
    int k = i;
    int lastDigitEnd = i;
    char sep = 0;
    while (k < n) {
      char c = s.charAt(k);
      if (c >= '0' && c <= '9') {
        digits++;
        k++;
        lastDigitEnd = k;
        if (digits > 19) {
          return skipDigitsAndSeparators(s, k);
        }
      } else if ((c == ' ' || c == '-')
          && (sep == 0 || sep == c)
          && k + 1 < n
          && isDigit(s.charAt(k + 1))) {
        sep = c;
        k++;
      } else {
        break;
      }
    }
    if (digits < 13 || !hasNetworkPrefix(s, i) || !luhn(s, i, lastDigitEnd)) {
      return lastDigitEnd;
    }
    return -lastDigitEnd;
  }

  private static int skipDigitsAndSeparators(CharSequence s, int k) {
    int n = s.length();
    while (k < n) {
      char c = s.charAt(k);
      if ((c >= '0' && c <= '9') || c == ' ' || c == '-') {
        k++;
      } else {
        break;
      }
    }
    return k;
  }

  private static boolean hasNetworkPrefix(CharSequence s, int i) {
    int p = 0;
    int got = 0;
    for (int k = i; k < s.length() && got < 4; k++) {
      char c = s.charAt(k);
      if (c >= '0' && c <= '9') {
        p = p * 10 + (c - '0');
        got++;
      }
    }
    int d2 = p / 100;
    int d3 = p / 10;
    return p / 1000 == 4 // Visa
        || (d2 >= 51 && d2 <= 55) // Mastercard
        || (p >= 2221 && p <= 2720) // Mastercard 2-series
        || d2 == 34 || d2 == 37 // American Express
        || (d3 >= 300 && d3 <= 305) || d2 == 36 || d2 == 38 || d2 == 39 // Diners
        || p == 6011 || d2 == 65 || (d3 >= 644 && d3 <= 649) // Discover
        || d2 == 62 // UnionPay
        || (p >= 3528 && p <= 3589); // JCB
  }

  private static boolean luhn(CharSequence s, int from, int to) {
    int sum = 0;
    boolean dbl = false;
    for (int k = to - 1; k >= from; k--) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }

  // ------------------------------------------------------------------ characters

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isWordChar(char c) {
    return isAsciiLetter(c) || isDigit(c) || c == '_';
  }

  private static boolean isNameSeparator(char c) {
    return c == '-' || c == '_' || c == '.';
  }

  private static boolean isNameChar(char c) {
    return isWordChar(c) || c == '-' || c == '.';
  }

  private static boolean isB64Url(char c) {
    return isAsciiLetter(c) || isDigit(c) || c == '_' || c == '-';
  }

  private static boolean isTokenChar(char c) {
    return isB64Url(c) || c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
  }

  /** Masked ranges in order; card ranges keep their last four digits. */
  static final class Spans {
    static final boolean CARD = true;
    static final boolean PLAIN = false;

    private int[] from = new int[4];
    private int[] to = new int[4];
    private boolean[] card = new boolean[4];
    int size;

    static Spans add(Spans sp, int f, int t, boolean isCard) {
      Spans s = sp == null ? new Spans() : sp;
      if (f >= t) {
        return s;
      }
      if (s.size == s.from.length) {
        s.from = java.util.Arrays.copyOf(s.from, s.size * 2);
        s.to = java.util.Arrays.copyOf(s.to, s.size * 2);
        s.card = java.util.Arrays.copyOf(s.card, s.size * 2);
      }
      s.from[s.size] = f;
      s.to[s.size] = t;
      s.card[s.size] = isCard;
      s.size++;
      return s;
    }

    String apply(String s, String replacement) {
      if (size == 0) {
        return s;
      }
      StringBuilder sb = new StringBuilder(s.length());
      int at = 0;
      for (int k = 0; k < size; k++) {
        sb.append(s, at, from[k]);
        if (card[k]) {
          appendMaskedPan(sb, s, from[k], to[k]);
        } else {
          sb.append(replacement);
        }
        at = to[k];
      }
      sb.append(s, at, s.length());
      return sb.toString();
    }

    private static void appendMaskedPan(StringBuilder sb, String s, int from, int to) {
      int digitsLeft = 0;
      for (int k = from; k < to; k++) {
        if (isDigit(s.charAt(k))) {
          digitsLeft++;
        }
      }
      for (int k = from; k < to; k++) {
        char c = s.charAt(k);
        if (isDigit(c)) {
          sb.append(digitsLeft > 4 ? '*' : c);
          digitsLeft--;
        } else {
          sb.append(c);
        }
      }
    }
  }
}
