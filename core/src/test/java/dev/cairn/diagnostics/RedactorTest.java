package dev.cairn.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private final Redactor r = Redactor.defaults();

  @Test
  void hidesValuesOfSecretLookingNames() {
    assertThat(r.redactEntry("DB_PASSWORD", "x1")).isEqualTo(Redactor.REDACTED);
    assertThat(r.redactEntry("AWS_SECRET_ACCESS_KEY", "x2")).isEqualTo(Redactor.REDACTED);
    assertThat(r.redactEntry("github.token", "x3")).isEqualTo(Redactor.REDACTED);
    assertThat(r.redactEntry("signing.key", "x4")).isEqualTo(Redactor.REDACTED);
    assertThat(r.redactEntry("java.version", "17")).isEqualTo("17");
    assertThat(r.redactEntry("keyboard.layout", "de")).isEqualTo("de");
  }

  @Test
  void hidesSecretsInsideValuesByPattern() {
    assertThat(r.redactValue("Authorization: Bearer abc.def-ghi")).doesNotContain("abc.def-ghi");
    assertThat(r.redactValue("-Dpassword=hunter2")).isEqualTo("-Dpassword=" + Redactor.REDACTED);
    assertThat(r.redactValue("-XX:Foo -javaagent:a.jar=token=t0ps3cret,x=1")).doesNotContain("t0ps3cret").contains("x=1");
    assertThat(r.redactValue("key AKIAIOSFODNN7EXAMPLE used")).doesNotContain("AKIAIOSFODNN7EXAMPLE");
    assertThat(r.redactValue("jdbc:postgresql://app:pw123@db:5432/x")).doesNotContain("pw123").contains("db:5432");
    assertThat(r.redactValue("t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_abc")).doesNotContain("eyJzdWIiOiIxIn0");
    assertThat(r.redactValue("plain value, nothing here")).isEqualTo("plain value, nothing here");
  }

  @Test
  void redactValue_forTheFormsThatLeakedFromLogs_hidesThemToo() {
    assertThat(r.redactValue("Authorization:\tBearer\tabcDEF123456")).doesNotContain("abcDEF123456");
    assertThat(r.redactValue("redis://:pw123456@cache:6379/0")).isEqualTo("redis://:[REDACTED]@cache:6379/0");
    assertThat(r.redactValue("cb?pwd%3Dhunter2%26x%3D1")).isEqualTo("cb?pwd%3D[REDACTED]%26x%3D1");
    assertThat(r.redactValue("session=abc123 user=bob")).isEqualTo("session=[REDACTED] user=bob");
    assertThat(r.redactValue("{\"password\": \"a b c\"}")).isEqualTo("{\"password\": \"[REDACTED]\"}");
  }

  @Test
  void isSecretName_forWordsInsideLongerWords_isFalse() {
    assertThat(r.isSecretName("TOKENIZER_PARALLELISM")).isFalse();
    assertThat(r.isSecretName("git.author")).isFalse();
    assertThat(r.isSecretName("OAUTH_CLIENT_SECRET")).isTrue();
  }

  @Test
  void extraNamesAreHiddenToo() {
    assertThat(r.withNames(List.of("iban")).redactEntry("CUSTOMER_IBAN", "DE00")).isEqualTo(Redactor.REDACTED);
  }

  @Test
  void capsHugeValuesBeforeMatching() {
    String huge = "password=" + "a".repeat(1_000_000);

    String out = r.redactValue(huge);

    assertThat(out.length()).isLessThan(Redactor.MAX_VALUE_CHARS + 100);
    assertThat(out.contains("aaaa")).as("secret value left in output").isFalse();
  }
}
