package dev.cairn.logback;

import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Redacts secrets from log text with hand-written scanners that each look at every character a
 * bounded number of times: linear in the input, no regular expressions, no backtracking, so a
 * hostile message cannot make masking slow.
 *
 * <p>Built-in rules (each can be switched off by name):
 *
 * <ul>
 *   <li>{@code key-value}: a sensitive word ({@code password}, {@code passwd}, {@code pwd}, {@code
 *       secret}, {@code token}, {@code api_key}/{@code apikey}/{@code api-key}, {@code
 *       access_key}, {@code private_key}, {@code authorization}, {@code cookie}, {@code
 *       credential}, plus configured words) followed by {@code =} or {@code :} (optionally quoted)
 *       masks the value up to the next delimiter; for {@code authorization} a scheme word such as
 *       {@code Basic} is kept and the credential after it is masked.
 *   <li>{@code bearer}: {@code Bearer <token>} anywhere.
 *   <li>{@code aws-key}: AWS access key ids, {@code AKIA}/{@code ASIA} + 16 upper-case letters or
 *       digits, at a word boundary.
 *   <li>{@code jwt}: three base64url segments separated by dots, the first starting {@code eyJ}.
 *   <li>{@code pan}: 13–19 digits (single spaces or dashes allowed between digits) with a card
 *       network prefix and a valid Luhn check digit; all but the last four digits are masked.
 * </ul>
 *
 * Key-based redaction: a key-value, MDC or map key that contains a sensitive word (case and {@code
 * -_.} ignored) has its whole value replaced by {@value #MASK}.
 */
final class Masker {
  static final String MASK = "***";

  private static final String[] DEFAULT_WORDS = {
    "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key", "accesskey",
    "access_key", "privatekey", "private_key", "authorization", "cookie", "credential"
  };

  private final char[][] words; // lower-case, compared case-insensitively
  private final char[][] keyWords; // normalized (no -_.) for key matching
  /** Lower-case first two letters of the sensitive words: a cheap reject for most positions. */
  private final boolean[] prefixes = new boolean[128 * 128];
  /** Verdicts for keys seen before (keys are few and repeat); bounded, beyond it computed. */
  private final java.util.concurrent.ConcurrentHashMap<String, Boolean> keyVerdicts =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentHashMap<String, String> maskedKeys =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final boolean keyValue;
  private final boolean bearer;
  private final boolean awsKey;
  private final boolean jwt;
  private final boolean pan;
  private final SelfCounter masked;

  Masker(List<String> extraWords, List<String> disabledRules) {
    List<String> all = new ArrayList<>(List.of(DEFAULT_WORDS));
    for (String w : extraWords) {
      String t = w.trim().toLowerCase(Locale.ROOT);
      if (!t.isEmpty()) {
        all.add(t);
      }
    }
    words = new char[all.size()][];
    List<String> normalized = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      words[i] = all.get(i).toCharArray();
      String n = normalizeKey(all.get(i));
      if (!normalized.contains(n)) {
        normalized.add(n);
      }
    }
    keyWords = new char[normalized.size()][];
    for (int i = 0; i < normalized.size(); i++) {
      keyWords[i] = normalized.get(i).toCharArray();
    }
    for (char[] w : words) {
      if (w.length > 1 && w[0] < 128 && w[1] < 128) {
        prefixes[w[0] * 128 + w[1]] = true;
      }
    }
    keyValue = !disabledRules.contains("key-value");
    bearer = !disabledRules.contains("bearer");
    awsKey = !disabledRules.contains("aws-key");
    jwt = !disabledRules.contains("jwt");
    pan = !disabledRules.contains("pan");
    masked =
        SelfCounters.GLOBAL.counter(
            "cairn.logback.masked", "Log values in which a secret was masked", "values");
  }

  static Masker defaults() {
    return new Masker(List.of(), List.of());
  }

  private static String normalizeKey(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '-' && c != '_' && c != '.') {
        sb.append(Character.toLowerCase(c));
      }
    }
    return sb.toString();
  }

  /** True when a key names a secret (its value is replaced whole). Linear in the key's length. */
  boolean isSensitiveKey(String key) {
    Boolean known = keyVerdicts.get(key);
    boolean sensitive;
    if (known != null) {
      sensitive = known;
    } else {
      sensitive = computeSensitiveKey(key);
      if (keyVerdicts.size() < 1024) {
        keyVerdicts.put(key, sensitive);
      }
    }
    if (sensitive) {
      masked.increment();
    }
    return sensitive;
  }

  /** {@link #mask} for names (keys repeat, so results are cached, bounded like the verdicts). */
  String maskKey(String key) {
    if (key == null) {
      return null;
    }
    String m = maskedKeys.get(key);
    if (m == null) {
      m = mask(key);
      if (maskedKeys.size() < 1024) {
        maskedKeys.put(key, m);
      }
    }
    return m;
  }

  private boolean computeSensitiveKey(String key) {
    int n = Math.min(key.length(), 256);
    for (char[] w : keyWords) {
      if (containsNormalized(key, n, w)) {
        return true;
      }
    }
    return false;
  }

  private boolean isCandidate(char c0, char c1) {
    if (c0 >= 128 || c1 >= 128) {
      return false;
    }
    int a = (c0 >= 'A' && c0 <= 'Z') ? c0 + 32 : c0;
    int b = (c1 >= 'A' && c1 <= 'Z') ? c1 + 32 : c1;
    return prefixes[a * 128 + b];
  }

  private static boolean containsNormalized(String key, int n, char[] w) {
    // Naive substring search over a key capped at 256 chars and words of a few chars: bounded.
    outer:
    for (int i = 0; i < n; i++) {
      int k = i;
      for (char wc : w) {
        while (k < n && isKeySeparator(key.charAt(k)) && k > i) {
          k++;
        }
        if (k >= n || Character.toLowerCase(key.charAt(k)) != wc) {
          continue outer;
        }
        k++;
      }
      return true;
    }
    return false;
  }

  private static boolean isKeySeparator(char c) {
    return c == '-' || c == '_' || c == '.';
  }

  /** The text with every secret masked; the same instance when nothing matched (no allocation). */
  String mask(String s) {
    if (s == null || s.isEmpty()) {
      return s;
    }
    int n = s.length();
    // One tight pass of necessary conditions: most log text has none, and then the rules below
    // never run. Each flag only enables the rule that needs it.
    boolean pan = false;
    boolean keyValue = false;
    boolean jwt = false;
    boolean awsKey = false;
    boolean bearer = false;
    int run = 0;
    for (int k = 0; k < n; k++) {
      char c = s.charAt(k);
      if (c >= '0' && c <= '9') {
        if (++run >= 13) {
          pan = true;
        }
      } else if (c != ' ' && c != '-') { // card separators do not end a digit run
        run = 0;
        if (c == '=' || c == ':') {
          keyValue = true;
        } else if (c == 'J') {
          jwt |= k >= 2 && s.charAt(k - 1) == 'y' && s.charAt(k - 2) == 'e';
        } else if (c == 'K' || c == 'S') {
          awsKey |= k >= 1 && s.charAt(k - 1) == 'A';
        } else if (c == 'a' || c == 'A') {
          bearer |= k >= 2 && (s.charAt(k - 1) | 0x20) == 'e' && (s.charAt(k - 2) | 0x20) == 'b';
        }
      }
    }
    pan &= this.pan;
    keyValue &= this.keyValue;
    jwt &= this.jwt;
    awsKey &= this.awsKey;
    bearer &= this.bearer;
    if (!(pan || keyValue || jwt || awsKey || bearer)) {
      return s;
    }
    Spans spans = null; // allocated on the first match only
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      int end;
      if (c >= '0' && c <= '9') {
        if (pan && (i == 0 || !isDigit(s.charAt(i - 1)))) {
          int r = scanPan(s, i);
          if (r < 0) {
            spans = Spans.add(spans, i, -r, true);
            masked.increment();
            i = -r;
          } else {
            i = Math.max(r, i + 1);
          }
        } else {
          i = skipDigits(s, i);
        }
        continue;
      }
      if (jwt && c == 'e' && (i == 0 || !isB64Url(s.charAt(i - 1)))) {
        end = scanJwt(s, i);
        if (end > 0) {
          spans = Spans.add(spans, i, end, false);
          masked.increment();
          i = end;
          continue;
        }
        // No JWT here; a later start inside this run is not at a boundary, so each run is
        // scanned once. Fall through to the word rules.
      }
      if (awsKey && c == 'A') {
        end = scanAws(s, i);
        if (end > 0) {
          spans = Spans.add(spans, i + 4, end, false);
          masked.increment();
          i = end;
          continue;
        }
      }
      if (bearer && (c == 'B' || c == 'b') && (i == 0 || !isWordChar(s.charAt(i - 1)))) {
        end = scanBearer(s, i);
        if (end > 0) {
          int tokenStart = i + 6;
          while (tokenStart < n && s.charAt(tokenStart) == ' ') {
            tokenStart++;
          }
          spans = Spans.add(spans, tokenStart, end, false);
          masked.increment();
          i = end;
          continue;
        }
      }
      if (keyValue && i + 1 < n && isCandidate(c, s.charAt(i + 1))) {
        // Anywhere, not only at a word start: "mpassword=x" after an ANSI code still masks.
        int wordEnd = matchWord(s, i);
        if (wordEnd > 0) {
          long span = valueSpan(s, i, wordEnd);
          if (span >= 0) {
            int from = (int) (span >>> 32);
            int to = (int) span;
            spans = Spans.add(spans, from, to, false);
            masked.increment();
            i = to;
            continue;
          }
          i = wordEnd;
          continue;
        }
      }
      i++;
    }
    return spans == null ? s : spans.apply(s);
  }

  /** Masked ranges in order; PAN ranges keep their last four digits. */
  private static final class Spans {
    private int[] from = new int[4];
    private int[] to = new int[4];
    private boolean[] card = new boolean[4];
    private int size;

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

    String apply(String s) {
      StringBuilder sb = new StringBuilder(s.length());
      int at = 0;
      for (int k = 0; k < size; k++) {
        sb.append(s, at, from[k]);
        if (card[k]) {
          appendMaskedPan(sb, s, from[k], to[k]);
        } else {
          sb.append(MASK);
        }
        at = to[k];
      }
      sb.append(s, at, s.length());
      return sb.toString();
    }
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isWordChar(char c) {
    return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isB64Url(char c) {
    return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }

  private static int skipDigits(String s, int i) {
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  private static int skipB64Url(String s, int i) {
    int n = s.length();
    while (i < n && isB64Url(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** A sensitive word starting at i (case-insensitive); returns its end or -1. */
  private int matchWord(String s, int i) {
    int n = s.length();
    for (char[] w : words) {
      if (i + w.length > n) {
        continue;
      }
      boolean ok = true;
      for (int k = 0; k < w.length; k++) {
        if (Character.toLowerCase(s.charAt(i + k)) != w[k]) {
          ok = false;
          break;
        }
      }
      if (ok) {
        // The word may be the tail of a longer key ("db_password"): allow letters/_ after it up to
        // the separator, e.g. "password_hash=" still masks; stop at 64 chars.
        int e = i + w.length;
        int cap = Math.min(n, e + 64);
        while (e < cap && (isWordChar(s.charAt(e)) || s.charAt(e) == '-' || s.charAt(e) == '.')) {
          e++;
        }
        return e;
      }
    }
    return -1;
  }

  /** After a sensitive word: optional quote, spaces, then = or :, then the value's span. */
  private static long valueSpan(String s, int wordStart, int wordEnd) {
    int n = s.length();
    int i = wordEnd;
    if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
      i++;
    }
    while (i < n && s.charAt(i) == ' ') {
      i++;
    }
    if (i >= n || (s.charAt(i) != '=' && s.charAt(i) != ':')) {
      return -1;
    }
    i++;
    while (i < n && s.charAt(i) == ' ') {
      i++;
    }
    char quote = 0;
    if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
      quote = s.charAt(i);
      i++;
    }
    int start = i;
    boolean authorization = s.regionMatches(true, wordStart, "authorization", 0, 13);
    if (authorization) {
      // "Basic xyz", "Digest a=b": keep the scheme word, mask what follows it.
      int w = i;
      while (w < n && isAsciiLetter(s.charAt(w))) {
        w++;
      }
      if (w > i && w < n && s.charAt(w) == ' ') {
        start = w + 1;
        while (start < n && s.charAt(start) == ' ') {
          start++;
        }
      }
    }
    int end = start;
    int cap = Math.min(n, start + 4096);
    while (end < cap) {
      char c = s.charAt(end);
      if (quote != 0 ? c == quote : isValueDelimiter(c)) {
        break;
      }
      end++;
    }
    if (end == start) {
      return -1;
    }
    return ((long) start << 32) | end;
  }

  private static boolean isValueDelimiter(char c) {
    return c <= ' ' || c == '&' || c == ',' || c == ';' || c == '"' || c == '\'' || c == ')'
        || c == '}' || c == ']' || c == '>' || c == '<';
  }

  /** "Bearer" + spaces + token chars; returns the token end or -1. */
  private static int scanBearer(String s, int i) {
    int n = s.length();
    if (!s.regionMatches(true, i, "bearer", 0, 6)) {
      return -1;
    }
    int k = i + 6;
    if (k >= n || s.charAt(k) != ' ') {
      return -1;
    }
    while (k < n && s.charAt(k) == ' ') {
      k++;
    }
    int start = k;
    while (k < n && isTokenChar(s.charAt(k))) {
      k++;
    }
    return k - start >= 8 ? k : -1;
  }

  private static boolean isTokenChar(char c) {
    return isB64Url(c) || c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
  }

  /** AKIA/ASIA + 16 [A-Z0-9] not followed by a word char; returns end or -1. */
  private static int scanAws(String s, int i) {
    int n = s.length();
    if (i + 20 > n) {
      return -1;
    }
    if (!(s.startsWith("AKIA", i) || s.startsWith("ASIA", i))) {
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
  private static int scanJwt(String s, int i) {
    int n = s.length();
    if (!s.startsWith("eyJ", i)) {
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

  /**
   * A card number starting at i. Returns -end when a valid PAN spans [i, end), otherwise the index
   * to continue scanning from (past this digit run, so each digit is looked at a bounded number of
   * times).
   */
  private static int scanPan(String s, int i) {
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
          && s.charAt(k + 1) >= '0'
          && s.charAt(k + 1) <= '9') {
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

  private static int skipDigitsAndSeparators(String s, int k) {
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

  private static boolean hasNetworkPrefix(String s, int i) {
    int p = 0;
    int got = 0;
    for (int k = i; k < s.length() && got < 4; k++) {
      char c = s.charAt(k);
      if (c >= '0' && c <= '9') {
        p = p * 10 + (c - '0');
        got++;
      }
    }
    int d1 = p / 1000;
    int d2 = p / 100;
    int d3 = p / 10;
    return d1 == 4 // Visa
        || (d2 >= 51 && d2 <= 55) // Mastercard
        || (p >= 2221 && p <= 2720) // Mastercard 2-series
        || d2 == 34 || d2 == 37 // American Express
        || (d3 >= 300 && d3 <= 305) || d2 == 36 || d2 == 38 || d2 == 39 // Diners
        || p == 6011 || d2 == 65 || (d3 >= 644 && d3 <= 649) // Discover
        || d2 == 62 // UnionPay
        || (p >= 3528 && p <= 3589); // JCB
  }

  private static boolean luhn(String s, int from, int to) {
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

  private static void appendMaskedPan(StringBuilder sb, String s, int from, int to) {
    int digitsLeft = 0;
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c >= '0' && c <= '9') {
        digitsLeft++;
      }
    }
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c >= '0' && c <= '9') {
        sb.append(digitsLeft > 4 ? '*' : c);
        digitsLeft--;
      } else {
        sb.append(c);
      }
    }
  }
}
