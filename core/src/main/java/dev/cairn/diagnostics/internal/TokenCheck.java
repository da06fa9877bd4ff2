package dev.cairn.diagnostics.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Bearer-token comparison whose time depends on neither the content nor the length of what a
 * client presents: both sides are hashed with SHA-256 and the digests compared with {@link
 * MessageDigest#isEqual} (constant-time for equal lengths since JDK 6u17).
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class TokenCheck {
  private final byte[] expected;

  public TokenCheck(String token) {
    this.expected = sha256(token);
  }

  /** Whether {@code header} is {@code Bearer <token>} (scheme case-insensitive). */
  public boolean matchesAuthorization(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return matches(header.substring(7).trim());
  }

  /** Whether {@code presented} is the token. */
  public boolean matches(String presented) {
    return MessageDigest.isEqual(expected, sha256(presented));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
