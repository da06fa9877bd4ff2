package dev.cairn.diagnostics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenCheckTest {
  private final TokenCheck check = new TokenCheck("s3cret-token-0123456789");

  @Test
  void acceptsOnlyTheExactTokenAfterABearerScheme() {
    assertThat(check.matchesAuthorization("Bearer s3cret-token-0123456789")).isTrue();
    assertThat(check.matchesAuthorization("bearer s3cret-token-0123456789")).isTrue();
    assertThat(check.matchesAuthorization("Basic s3cret-token-0123456789")).isFalse();
    assertThat(check.matchesAuthorization("Bearer s3cret-token-012345678")).isFalse();
    assertThat(check.matchesAuthorization("Bearer s3cret-token-01234567890")).isFalse();
    assertThat(check.matchesAuthorization("Bearer ")).isFalse();
    assertThat(check.matchesAuthorization(null)).isFalse();
  }
}
