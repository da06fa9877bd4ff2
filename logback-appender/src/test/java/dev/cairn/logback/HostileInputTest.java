package dev.cairn.logback;

import static dev.cairn.logback.Lines.event;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;
import tools.jackson.databind.JsonNode;

/**
 * The output-safety figures on a generated hostile corpus: every event gives exactly one line of
 * valid UTF-8 and strict JSON (no duplicate names), never over the byte budget, with no planted
 * secret and no exception, in every format. Bounded here at 10,000 events per run (2,000 per
 * format); the seed is fixed so a failure reproduces.
 */
class HostileInputTest {
  private static final String[] FORMATS = {"cairn", "ecs", "logstash", "gcp", "gelf"};
  private static final String[] SECRETS = {
    "hunter2-secret-pw", "AKIAIOSFODNN7EXAMPLE", "4111111111111111", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    "tok_live_abcdefgh12345678"
  };
  private static final String[] PIECES = {
    "\r", "\n", "\r\n", "\u0085", "\u2028", "\u2029", "\u0000", "\u001b[31mred\u001b[0m", "\ud800",
    "\udc00", "\ud83d\ude00", "\"},\"level\":\"ERROR", "\\", "\"", "${jndi:ldap://127.0.0.1:1389/a}",
    "${env:HOME}", "%s%n%d", "{}", "\u007f", "\u009f", "é", "日本", "\t", "\b\f", "</script>",
    "password=" + SECRETS[0], "AWS key " + SECRETS[1], "card " + SECRETS[2],
    "Authorization: Bearer " + SECRETS[3], "token=" + SECRETS[4]
  };
  private static final String[] KEYS = {
    "message", "level", "@timestamp", "trace_id", "traceId", "log.level", "time", "severity",
    "_id", "version", "\"", "a\nb", "\ud800", "", "tags", "error", "_truncated", "short_message",
    "password", "user", "logging.googleapis.com/trace", "\u2028"
  };

  private final SplittableRandom random = new SplittableRandom(20261128L);

  private String hostileString(int maxPieces) {
    StringBuilder sb = new StringBuilder();
    int n = random.nextInt(maxPieces + 1);
    for (int i = 0; i < n; i++) {
      if (random.nextInt(10) == 0) {
        sb.append((char) random.nextInt(0x10000)); // any UTF-16 unit, surrogates included
      } else {
        sb.append(PIECES[random.nextInt(PIECES.length)]);
      }
    }
    if (random.nextInt(5000) == 0) {
      sb.append("x".repeat(1 << 20)); // 1 MiB
    }
    return sb.toString();
  }

  /** Built once: creating deep chains per event would measure the JVM's stack walking. */
  private final List<Throwable> throwables = buildThrowables();

  private List<Throwable> buildThrowables() {
    List<Throwable> out = new ArrayList<>();
    out.add(new IllegalStateException(hostileString(8)));
    RuntimeException a = new RuntimeException("a " + hostileString(3));
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b); // a cycle
    out.add(b);
    Throwable t = new RuntimeException("root password=" + SECRETS[0]);
    for (int i = 0; i < 200; i++) {
      t = new RuntimeException("level " + i, t);
    }
    out.add(t);
    RuntimeException s = new RuntimeException("with suppressed");
    for (int i = 0; i < 50; i++) {
      s.addSuppressed(new IllegalArgumentException(hostileString(2)));
    }
    out.add(s);
    out.add(
        new RuntimeException("no message") {
          private static final long serialVersionUID = 1L;

          @Override
          public String getMessage() {
            throw new IllegalStateException("getMessage throws");
          }
        });
    return out;
  }

  private Throwable hostileThrowable() {
    int kind = random.nextInt(throwables.size() + 1);
    return kind == throwables.size() ? null : throwables.get(kind);
  }

  private LoggingEvent hostileEvent() {
    Object arg =
        // SLF4J prints a stack trace to stderr for each throwing toString(): keep those rare.
        random.nextInt(100) != 0
            ? hostileString(4)
            : new Object() {
              @Override
              public String toString() {
                throw new IllegalStateException("toString throws");
              }
            };
    Throwable t;
    try {
      t = hostileThrowable();
    } catch (RuntimeException e) {
      t = e;
    }
    LoggingEvent e;
    try {
      e = event(Level.ERROR, hostileString(6) + " {} ", t, arg);
    } catch (RuntimeException ex) {
      e = event(Level.ERROR, hostileString(6), null);
    }
    Map<String, String> mdc = new HashMap<>();
    int m = random.nextInt(6);
    for (int i = 0; i < m; i++) {
      mdc.put(random.nextBoolean() ? KEYS[random.nextInt(KEYS.length)] : hostileString(2), hostileString(3));
    }
    e.setMDCPropertyMap(mdc);
    int k = random.nextInt(6);
    for (int i = 0; i < k; i++) {
      String key = random.nextBoolean() ? KEYS[random.nextInt(KEYS.length)] : hostileString(2);
      Object value;
      switch (random.nextInt(5)) {
        case 0:
          value = random.nextLong();
          break;
        case 1:
          List<Object> self = new ArrayList<>();
          self.add(self); // a list that contains itself
          value = self;
          break;
        case 2:
          value = Map.of(hostileString(1), hostileString(2));
          break;
        case 3:
          value = Double.POSITIVE_INFINITY;
          break;
        default:
          value = hostileString(4);
      }
      e.addKeyValuePair(new KeyValuePair(key, value));
    }
    return e;
  }

  @Test
  void everyHostileEventBecomesOneValidJsonLineWithinBudgetAndWithoutSecrets() {
    List<CairnEncoder> encoders = new ArrayList<>();
    for (String f : FORMATS) {
      CairnEncoder enc = Lines.encoder(f);
      enc.start();
      encoders.add(enc);
    }
    for (int i = 0; i < 10_000; i++) {
      CairnEncoder enc = encoders.get(i % encoders.size());
      LoggingEvent e = hostileEvent();
      byte[] line = enc.encode(e);
      assertThat(line.length).as("event %d within budget", i).isLessThanOrEqualTo(16_000);
      JsonNode n = Lines.parse(line);
      assertThat(n.isObject()).isTrue();
      String text = Lines.utf8(line);
      for (String secret : SECRETS) {
        assertThat(text).as("event %d leaks", i).doesNotContain(secret);
      }
      assertThat(text).doesNotContain("\u001b").doesNotContain("\u2028").doesNotContain("\u0085");
    }
  }

  @Test
  void aOneMebibyteMessageIsTruncatedWithAMarker() {
    CairnEncoder enc = Lines.encoder("cairn");
    enc.start();
    byte[] line = enc.encode(event("é".repeat(1 << 20)));
    JsonNode n = Lines.parse(line);
    assertThat(line.length).isLessThanOrEqualTo(16_000);
    assertThat(n.get("message").asString()).endsWith("…");
    assertThat(n.get("_truncated").asBoolean()).isTrue();
  }

  @Test
  void lookupsAndFormatDirectivesAreWrittenLiterally() {
    CairnEncoder enc = Lines.encoder("cairn");
    enc.start();
    JsonNode n = Lines.parse(enc.encode(event("${jndi:ldap://127.0.0.1/x} %s {} ${env:HOME}")));
    assertThat(n.get("message").asString()).isEqualTo("${jndi:ldap://127.0.0.1/x} %s {} ${env:HOME}");
  }

  @Test
  void aCyclicCauseChainEndsWithACircularReferenceNote() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    CairnEncoder enc = Lines.encoder("cairn");
    enc.setMaxStackFrames(2);
    enc.start();
    JsonNode n = Lines.parse(enc.encode(event(Level.ERROR, "cycle", b)));
    assertThat(n.get("error").get("stackTrace").asString()).contains("CIRCULAR REFERENCE");
  }

  @Test
  void aThrowingGetMessageGivesAPlaceholder() {
    RuntimeException bad =
        new RuntimeException() {
          private static final long serialVersionUID = 1L;

          @Override
          public String getMessage() {
            throw new IllegalStateException("nope");
          }
        };
    CairnEncoder enc = Lines.encoder("ecs");
    enc.start();
    LoggingEvent e;
    try {
      e = event(Level.ERROR, "m", bad);
    } catch (IllegalStateException ex) {
      return; // Logback itself could not build the event: nothing reached the encoder
    }
    JsonNode n = Lines.parse(enc.encode(e));
    assertThat(n.get("error.type").asString()).contains("HostileInputTest");
  }

  @Test
  void stackFramesAreCappedAndTheHashIsStable() {
    CairnEncoder enc = Lines.encoder("cairn");
    enc.setMaxStackFrames(2);
    enc.start();
    Throwable t = deep(50);
    JsonNode a = Lines.parse(enc.encode(event(Level.ERROR, "x", t))).get("error");
    JsonNode b = Lines.parse(enc.encode(event(Level.ERROR, "y", deep(50)))).get("error");
    assertThat(a.get("stackTrace").asString()).contains("frames omitted");
    assertThat(a.get("hash").asString()).hasSize(16).isEqualTo(b.get("hash").asString());
  }

  private static Throwable deep(int n) {
    if (n == 0) {
      return new IllegalStateException("deep");
    }
    return deep(n - 1);
  }
}
