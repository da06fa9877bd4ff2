package dev.cairn.internal.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretPolicyTest {
  private final SecretPolicy policy = SecretPolicy.defaults();

  private String mask(String s) {
    return policy.mask(s, "***", null);
  }

  @Test
  void bearer_whenFollowedByATabOrOtherWhitespace_isMasked() {
    assertThat(mask("Authorization:\tBearer\tabc.DEF-123_xyz")).doesNotContain("abc.DEF-123_xyz");
    assertThat(mask("h Bearer\tabcDEF12345 x")).isEqualTo("h Bearer\t*** x");
    assertThat(mask("h bearer%20abcDEF12345&x=1")).isEqualTo("h bearer%20***&x=1");
  }

  @Test
  void bearer_whenFollowedByProse_isLeftAlone() {
    assertThat(mask("Bearer authentication is enabled")).isEqualTo("Bearer authentication is enabled");
  }

  @Test
  void urlUserinfo_whenPresent_masksThePasswordOrTheWholeUserinfo() {
    assertThat(mask("jdbc:postgresql://app:pw123@db:5432/orders")).isEqualTo("jdbc:postgresql://app:***@db:5432/orders");
    assertThat(mask("https://user:p@ss@example.com/x")).isEqualTo("https://user:***@example.com/x");
    assertThat(mask("redis://:s3cret@cache:6379/0")).isEqualTo("redis://:***@cache:6379/0");
    assertThat(mask("git https://ghp_abc123@github.com/o/r.git")).isEqualTo("git https://***@github.com/o/r.git");
  }

  @Test
  void urlUserinfo_whenAbsent_leavesTheUrlAlone() {
    String s = "GET https://example.com:8443/a/b?q=x@y and mailto:bob@example.com";
    assertThat(mask(s)).isSameAs(s);
  }

  @Test
  void keyValue_withEverySeparator_masksTheValue() {
    for (String sep : List.of("=", ":", "%3D", "%3d", "%3A", ": ", " = ", "\t:\t", "=>")) {
      assertThat(mask("pwd" + sep + "hunter2x&y=1")).as(sep).isEqualTo("pwd" + sep + "***&y=1");
    }
  }

  @Test
  void keyValue_withOnlyBlanks_masksSecretLookingValuesButNotProse() {
    assertThat(mask("password hunter2 given")).isEqualTo("password *** given");
    assertThat(mask("token\tab12cd34ef")).isEqualTo("token\t***");
    assertThat(mask("password reset requested")).isEqualTo("password reset requested");
  }

  @Test
  void keyValue_whenQuoted_masksAValueWithSpacesUpToTheClosingQuote() {
    assertThat(mask("password=\"a b c\" ok")).isEqualTo("password=\"***\" ok");
    assertThat(mask("{\"password\": \"a b\\\" c\", \"u\": 1}")).isEqualTo("{\"password\": \"***\", \"u\": 1}");
    assertThat(mask("{\\\"password\\\":\\\"a b\\\"}")).isEqualTo("{\\\"password\\\":\\\"***\\\"}");
    assertThat(mask("password='a b'")).isEqualTo("password='***'");
  }

  @Test
  void keyValue_whenUnquotedWithSpaces_masksUpToTheFirstBlank() {
    // Documented: an unquoted value ends at whitespace; quote values that contain spaces.
    assertThat(mask("password=a b")).isEqualTo("password=*** b");
  }

  @Test
  void keyValue_whenPercentEncoded_stopsAtEncodedDelimiters() {
    assertThat(mask("next=%2Fcb%3Fpwd%3Dsecret%26x%3D1")).isEqualTo("next=%2Fcb%3Fpwd%3D***%26x%3D1");
  }

  @Test
  void keyValue_forTheDiagnosticsNames_masksInTextToo() {
    assertThat(mask("session=abc123")).isEqualTo("session=***");
    assertThat(mask("JSESSIONID=abc123")).isEqualTo("JSESSIONID=***");
    assertThat(mask("signature=abc123")).isEqualTo("signature=***");
    assertThat(mask("X-Api-Key: abc123")).isEqualTo("X-Api-Key: ***");
  }

  @Test
  void authorization_keepsTheSchemeWord() {
    assertThat(mask("Authorization: Basic dXNlcjpwYXNz")).isEqualTo("Authorization: Basic ***");
    assertThat(mask("Authorization%3ABearer%20abcDEF123")).isEqualTo("Authorization%3ABearer%20***");
  }

  @Test
  void words_insideLongerWords_areNotSecrets() {
    for (String s : List.of("tokenizer=bert", "author=bob", "keyboard=de", "authority: x", "secretary: y",
        "passwordless=true")) {
      assertThat(mask(s)).as(s).isSameAs(s);
    }
  }

  @Test
  void isSecretName_matchesWordsAtBoundariesAndKeySegments() {
    for (String n : List.of("DB_PASSWORD", "authToken", "X-Api-Key", "github.token", "signing.key",
        "AWS_SECRET_ACCESS_KEY", "session", "JSESSIONID", "Set-Cookie", "client_secret")) {
      assertThat(policy.isSecretName(n)).as(n).isTrue();
    }
    for (String n : List.of("tokenizer", "author", "keyboard.layout", "java.version", "orderId", "AUTHOR_NAME")) {
      assertThat(policy.isSecretName(n)).as(n).isFalse();
    }
  }

  @Test
  void of_withExtraWordsAndDisabledRules_appliesThem() {
    SecretPolicy custom = SecretPolicy.of(List.of("pin"), List.of("pan", "url-userinfo"));
    assertThat(custom.mask("pin=1234 4111111111111111 https://u:p@h", "*", null))
        .isEqualTo("pin=* 4111111111111111 https://u:p@h");
    assertThat(custom.isSecretName("CARD_PIN")).isTrue();
  }

  /** Adversarial shapes, one or more per rule: runs that almost match. */
  private static final List<String> SHAPES =
      List.of(
          "password", "password ", "password_", "Token.", "pwd-x", "session1", "password=\"", "\"password\":", "pwd%3D", "pwd%3Dx%26", "auth: Basic",
          "Bearer ", "Bearer\t", "bearer%20", "Bearer bearer", "b", "://", "://a@", "://:", "http://x:y",
          "eyJ", "eyJaaaaaaaaaa.", "eyJaaaaaaaaaaa.bb!", "AKIA", "AKIAAAAAAAAAAAAAAAA", "4", "4111 ", "41-",
          "=:", "%3", "a_", "ap", "session\t", "x-api-", "\\\"", "'");

  @Test
  void scan_onAdversarialInput_readsEachCharacterABoundedNumberOfTimes() {
    // Linear time, proven by counting reads rather than timing: the work on 100 KiB is at most
    // about ten times the work on 10 KiB, and at most a small constant per character.
    for (String shape : SHAPES) {
      long small = reads(shape, 10 * 1024);
      long large = reads(shape, 100 * 1024);
      assertThat(large).as("reads for %s on 100 KiB vs %d on 10 KiB", shape, small).isLessThanOrEqualTo(small * 11);
      assertThat(large).as("reads per char for %s", shape).isLessThanOrEqualTo(100L * 100 * 1024);
    }
  }

  private long reads(String shape, int length) {
    StringBuilder sb = new StringBuilder(length + shape.length());
    while (sb.length() < length) {
      sb.append(shape);
    }
    sb.setLength(length);
    Counting c = new Counting(sb.toString());
    policy.scan(c);
    return c.reads;
  }

  /** A CharSequence that counts how often it is read. */
  private static final class Counting implements CharSequence {
    private final String s;
    long reads;

    Counting(String s) {
      this.s = s;
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public char charAt(int index) {
      reads++;
      return s.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String toString() {
      return s;
    }
  }
}
