package dev.cairn.logback;

import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.internal.secrets.SecretPolicy;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Redacts secrets from log text with Cairn's one secrets policy ({@link SecretPolicy}, shared
 * with the diagnostics surface's {@code Redactor}): hand-written scanners that are linear in the
 * input, no regular expressions, no backtracking, so a hostile message cannot make masking slow.
 *
 * <p>Built-in rules (each can be switched off by name): {@code key-value}, {@code bearer}, {@code
 * url-userinfo}, {@code aws-key}, {@code jwt}, {@code pan}; see {@link SecretPolicy} and {@code
 * docs/logback.md}.
 *
 * <p>Key-based redaction: a key-value, MDC or map key that names a secret ({@link
 * SecretPolicy#isSecretName}) has its whole value replaced by {@value #MASK}.
 */
final class Masker {
  static final String MASK = "***";
  private static final int MAX_CACHED = 1024;

  private final SecretPolicy policy;
  /** Verdicts for keys seen before (keys are few and repeat); bounded, beyond it computed. */
  private final ConcurrentHashMap<String, Boolean> keyVerdicts = new ConcurrentHashMap<>();
  /** Masked names (keys, thread, logger and marker names repeat); bounded like the verdicts. */
  private final ConcurrentHashMap<String, String> maskedNames = new ConcurrentHashMap<>();
  private final SelfCounter masked;

  Masker(List<String> extraWords, List<String> disabledRules) {
    policy = SecretPolicy.of(extraWords, disabledRules);
    masked =
        SelfCounters.GLOBAL.counter(
            "cairn.logback.masked", "Log values in which a secret was masked", "values");
  }

  static Masker defaults() {
    return new Masker(List.of(), List.of());
  }

  /** True when a key names a secret (its value is replaced whole). Linear in the key's length. */
  boolean isSensitiveKey(String key) {
    Boolean known = keyVerdicts.get(key);
    boolean sensitive;
    if (known != null) {
      sensitive = known;
    } else {
      sensitive = policy.isSecretName(key);
      if (keyVerdicts.size() < MAX_CACHED) {
        keyVerdicts.put(key, sensitive);
      }
    }
    if (sensitive) {
      masked.increment();
    }
    return sensitive;
  }

  /**
   * {@link #mask} for names: keys, thread, logger and marker names repeat, so results are cached
   * (bounded like the verdicts). A name that needed masking is counted each time it is used.
   */
  String maskKey(String key) {
    if (key == null) {
      return null;
    }
    String m = maskedNames.get(key);
    if (m == null) {
      m = policy.mask(key, MASK, null);
      if (maskedNames.size() < MAX_CACHED) {
        maskedNames.put(key, m);
      }
    }
    if (m != key) {
      masked.increment();
    }
    return m;
  }

  /** The text with every secret masked; the same instance when nothing matched (no allocation). */
  String mask(String s) {
    return policy.mask(s, MASK, masked);
  }
}
