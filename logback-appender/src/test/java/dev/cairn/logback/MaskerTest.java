package dev.cairn.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class MaskerTest {
  private final Masker masker = Masker.defaults();

  @Test
  void bearerTokensAreMasked() {
    assertThat(masker.mask("Authorization: Bearer abc.DEF-123_xyz/+=")).doesNotContain("abc.DEF");
    assertThat(masker.mask("sent bearer abcdefgh12345678 upstream")).isEqualTo("sent bearer *** upstream");
  }

  @Test
  void authorizationHeaderKeepsTheSchemeAndMasksTheCredential() {
    assertThat(masker.mask("Authorization: Basic dXNlcjpwYXNz")).isEqualTo("Authorization: Basic ***");
  }

  @Test
  void passwordLikeKeyValuePairsAreMaskedInTextJsonAndUrls() {
    assertThat(masker.mask("login password=hunter2 ok")).isEqualTo("login password=*** ok");
    assertThat(masker.mask("{\"password\": \"hunter2\"}")).isEqualTo("{\"password\": \"***\"}");
    assertThat(masker.mask("GET /cb?user=bob&api_key=s3cr3t&x=1")).isEqualTo("GET /cb?user=bob&api_key=***&x=1");
    assertThat(masker.mask("db_password: hunter2")).isEqualTo("db_password: ***");
  }

  @Test
  void awsAccessKeyIdsAreMaskedAfterTheirPrefix() {
    assertThat(masker.mask("key AKIAIOSFODNN7EXAMPLE used")).isEqualTo("key AKIA*** used");
  }

  @Test
  void jwtsAreMaskedWhole() {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    assertThat(masker.mask("token " + jwt + " end")).isEqualTo("token *** end");
  }

  @Test
  void luhnValidCardNumbersKeepOnlyTheirLastFourDigits() {
    assertThat(masker.mask("pan 4111111111111111")).isEqualTo("pan ************1111");
    assertThat(masker.mask("pan 5500-0000-0000-0004")).isEqualTo("pan ****-****-****-0004");
    assertThat(masker.mask("amex 378282246310005.")).isEqualTo("amex ***********0005.");
  }

  @Test
  void numbersThatFailTheLuhnCheckOrTheNetworkPrefixAreLeftAlone() {
    assertThat(masker.mask("order 4111111111111112")).isEqualTo("order 4111111111111112");
    assertThat(masker.mask("epoch 1764309662123 ms")).isEqualTo("epoch 1764309662123 ms");
    assertThat(masker.mask("id 12345678901234567890123")).isEqualTo("id 12345678901234567890123");
  }

  @Test
  void textWithoutSecretsIsReturnedAsTheSameInstance() {
    String clean = "GET /orders/42 200 in 12 ms for tenant acme";
    assertThat(masker.mask(clean)).isSameAs(clean);
  }

  @Test
  void sensitiveKeysAreRecognizedIgnoringCaseAndSeparators() {
    assertThat(masker.isSensitiveKey("X-Api-Key")).isTrue();
    assertThat(masker.isSensitiveKey("DB_PASSWORD")).isTrue();
    assertThat(masker.isSensitiveKey("Set-Cookie")).isTrue();
    assertThat(masker.isSensitiveKey("orderId")).isFalse();
  }

  @Test
  void rulesCanBeSwitchedOffAndWordsAdded() {
    Masker custom = new Masker(List.of("pin"), List.of("pan"));
    assertThat(custom.mask("pin=1234 card 4111111111111111")).isEqualTo("pin=*** card 4111111111111111");
  }

  @Test
  void secretsPlacedAnywhereInAnEventNeverReachTheLine() {
    String[] secrets = {"hunter2", "AKIAIOSFODNN7EXAMPLE", "4111111111111111",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "abcdefghijklmnopqrst"};
    String[] carriers = {"password=hunter2", "aws AKIAIOSFODNN7EXAMPLE", "pan 4111111111111111",
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "Authorization: Bearer abcdefghijklmnopqrst",
        "https://h/p?token=hunter2&x=1"};
    CairnEncoder enc = Lines.encoder("cairn");
    enc.start();
    for (String carrier : carriers) {
      LoggingEvent e = Lines.event(Level.ERROR, "msg " + carrier + " arg {}", new IllegalStateException("ex " + carrier), carrier);
      e.setMDCPropertyMap(Map.of("ctx", carrier, "password", "hunter2"));
      e.addKeyValuePair(new KeyValuePair("kv", carrier));
      e.addKeyValuePair(new KeyValuePair("nested", Map.of("inner", carrier)));
      String line = Lines.utf8(enc.encode(e));
      Lines.parse(enc.encode(e));
      for (String secret : secrets) {
        assertThat(line).as(carrier).doesNotContain(secret);
      }
    }
  }

  @Test
  void masker_andDiagnosticsRedactor_hideTheSameForms() {
    // One secrets policy: every form of the log corpus is hidden by the diagnostics surface too.
    dev.cairn.diagnostics.Redactor redactor = dev.cairn.diagnostics.Redactor.defaults();
    for (SecretsCorpusTest.Form form : SecretsCorpusTest.forms()) {
      String logged = masker.mask(form.text());
      String shown = redactor.redactText(form.text());
      for (String planted : form.planted()) {
        assertThat(logged).as(form.text()).doesNotContain(planted);
        assertThat(shown).as(form.text()).doesNotContain(planted);
      }
      assertThat(shown.replace(dev.cairn.diagnostics.Redactor.REDACTED, Masker.MASK)).isEqualTo(logged);
    }
  }

  @Test
  void falsePositivesStayBelowOnePercentOnACleanCorpus() {
    SplittableRandom r = new SplittableRandom(7);
    String[] templates = {
      "GET /api/orders/%d returned 200 in %d ms",
      "user %d logged in from 10.0.%d.%d",
      "processed batch %d of %d items, offset %d",
      "cache hit ratio %d%% after %d lookups",
      "order %d shipped to warehouse %d at epoch %d",
      "retrying request id=%d attempt %d",
      "payment %d authorized amount=%d currency=EUR",
      "thread pool size %d queue %d active %d",
    };
    int changed = 0;
    int total = 10_000;
    for (int i = 0; i < total; i++) {
      String t = templates[r.nextInt(templates.length)];
      String line = String.format(t, r.nextLong(1, 10_000_000_000L), r.nextInt(1000), r.nextLong(1_700_000_000_000L, 1_800_000_000_000L));
      if (!masker.mask(line).equals(line)) {
        changed++;
      }
    }
    assertThat(changed).isLessThan(total / 100);
  }

  @Test
  void adversarialInputsAreHandledInOnePass() {
    // Shapes that make backtracking regexes explode: long runs that almost match.
    String[] shapes = {
      "password".repeat(12_800), "eyJ".repeat(34_000) + ".", "4".repeat(100_000),
      "4111 ".repeat(20_000), "Bearer ".repeat(14_000), "AKIA".repeat(25_000), "=:".repeat(50_000),
      "eyJaaaaaaaaaaaa.".repeat(6_000)
    };
    for (String s : shapes) {
      String out = masker.mask(s);
      assertThat(out).isNotNull();
    }
  }
}
