package dev.cairn.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.MarkerFactory;
import org.slf4j.event.KeyValuePair;
import tools.jackson.databind.JsonNode;

/**
 * The masking corpus of RELIABILITY.md check 23 and issue 13 item 5: every secret form, with every
 * separator, in every field of a line, in every format; the planted value never reaches the line
 * (read back with Jackson, strictly). And the other side: under 1% of a clean corpus changes.
 */
class SecretsCorpusTest {
  private static final String[] FORMATS = {"cairn", "ecs", "logstash", "gcp", "gelf"};
  /** The planted value: letters and digits, so it counts as secret-looking after blanks too. */
  private static final String V = "Zq7xK2mP9wL4";

  private static final String[] WORDS = {
    "password", "passwd", "pwd", "passphrase", "secret", "client_secret", "token", "access_token",
    "refreshToken", "api_key", "apiKey", "X-Api-Key", "credential", "session", "sessionId", "JSESSIONID",
    "cookie", "auth", "Authorization", "signature", "private_key", "db_password", "DB_PASSWORD", "bearer"
  };
  private static final String[] SEPARATORS = {
    " ", "\t", "=", ":", "%3D", "%3A", "%3d", "%3a", ": ", " = ", "=\t", "\t:\t", "=>", "  "
  };

  /** A text that carries a secret, and the strings that must not appear in the output. */
  record Form(String text, List<String> planted) {}

  static List<Form> forms() {
    List<Form> out = new ArrayList<>();
    for (String w : WORDS) {
      for (String sep : SEPARATORS) {
        out.add(new Form(w + sep + V, List.of(V)));
        if (!sep.isBlank()) { // "password" "x" (quoted name, blanks only) is not a form anyone writes
          out.add(new Form("\"" + w + "\"" + sep + "\"" + V + "\"", List.of(V)));
        }
      }
    }
    String ab = "Zq7xK2 mP9wL4"; // a password with a space: only quoted forms can carry it
    List<String> halves = List.of("Zq7xK2", "mP9wL4");
    for (String q : List.of("password=\"" + ab + "\"", "\"password\": \"" + ab + "\"", "password='" + ab + "'",
        "{\\\"password\\\":\\\"" + ab + "\\\"}", "password = \"" + ab + "\"", "password%3D%22Zq7xK2%20mP9wL4%22",
        "{\"user\":\"bob\",\"password\":\"" + ab + "\",\"x\":1}")) {
      out.add(new Form(q, halves));
    }
    for (String ws : List.of(" ", "\t", "  ", "\t\t", "%20", "+", "\u00a0", " \t")) {
      out.add(new Form("Bearer" + ws + V, List.of(V)));
      out.add(new Form("Authorization: Bearer" + ws + V, List.of(V)));
      out.add(new Form("authorization=Basic" + ws + V, List.of(V)));
    }
    out.add(new Form("Authorization\tBearer " + V, List.of(V)));
    out.add(new Form("Authorization%3ABearer%20" + V, List.of(V)));
    for (String url : List.of("jdbc:postgresql://app:" + V + "@db.internal:5432/orders",
        "https://user:" + V + "@example.com/path", "redis://:" + V + "@cache:6379/0",
        "mongodb+srv://svc:" + V + "@cluster0.example.net/app?retryWrites=true",
        "amqp://guest:" + V + "@mq.local", "https://" + V + "@github.com/org/repo.git",
        "jdbc:mysql://root:" + V + "@[::1]:3306/x", "url=https://u:" + V + "@h/p")) {
      out.add(new Form(url, List.of(V)));
    }
    out.add(new Form("GET https://api.example.com/cb?user=bob&token=" + V + "&x=1", List.of(V)));
    out.add(new Form("next=%2Fcb%3Fpwd%3D" + V + "%26x%3D1", List.of(V)));
    out.add(new Form("q=password%3A" + V, List.of(V)));
    out.add(new Form("aws AKIAIOSFODNN7EXAMPLE used", List.of("IOSFODNN7EXAMPLE")));
    out.add(new Form("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", List.of("eyJzdWIiOiIxIn0")));
    out.add(new Form("card 4111 1111 1111 1111 paid", List.of("4111 1111 1111")));
    out.add(new Form("card 5500-0000-0000-0004", List.of("5500-0000-0000")));
    return out;
  }

  enum Field {
    MESSAGE, ARGUMENT, MDC_VALUE, MDC_KEY, KV_VALUE, KV_KEY, NESTED_VALUE, EXCEPTION_MESSAGE,
    CAUSE_MESSAGE, SUPPRESSED_MESSAGE, STACK_FRAME, MARKER, THREAD, LOGGER
  }

  static LoggingEvent event(Field field, String text) {
    Logger logger = Lines.CONTEXT.getLogger("com.example.Orders");
    String message = field == Field.MESSAGE ? "request " + text + " done" : "request {} done";
    Object[] args = field == Field.ARGUMENT ? new Object[] {text} : new Object[] {"x"};
    Throwable t = null;
    switch (field) {
      case EXCEPTION_MESSAGE:
        t = new IllegalStateException("failed " + text);
        break;
      case CAUSE_MESSAGE:
        t = new RuntimeException("wrapper", new IOException("io " + text));
        break;
      case SUPPRESSED_MESSAGE:
        t = new RuntimeException("main");
        t.addSuppressed(new IllegalArgumentException("closing " + text));
        break;
      case STACK_FRAME:
        t = new RuntimeException("frames");
        t.setStackTrace(new StackTraceElement[] {
          new StackTraceElement("com.example.Job", "run " + text, "Job.java", 12),
          new StackTraceElement("com.example.Main", "main", "Main.java", 3)
        });
        break;
      default:
    }
    LoggingEvent e = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, message, t, args);
    e.setInstant(Lines.T0);
    e.setThreadName(field == Field.THREAD ? "worker-1 " + text : "main");
    if (field == Field.LOGGER) {
      e.setLoggerName("com.example." + text);
    }
    Map<String, String> mdc = new HashMap<>();
    mdc.put("tenant", "acme");
    if (field == Field.MDC_VALUE) {
      mdc.put("request", "GET /x " + text);
    } else if (field == Field.MDC_KEY) {
      mdc.put("k " + text, "v");
    }
    e.setMDCPropertyMap(mdc);
    if (field == Field.KV_VALUE) {
      e.addKeyValuePair(new KeyValuePair("detail", "see " + text));
    } else if (field == Field.KV_KEY) {
      e.addKeyValuePair(new KeyValuePair("k " + text, "v"));
    } else if (field == Field.NESTED_VALUE) {
      e.addKeyValuePair(new KeyValuePair("ctx", Map.of("inner", List.of("see " + text))));
    }
    if (field == Field.MARKER) {
      e.addMarker(MarkerFactory.getDetachedMarker("audit " + text));
    }
    return e;
  }

  @Test
  void everySecretForm_inEveryFieldAndFormat_neverReachesTheLine() {
    List<Form> forms = forms();
    int checked = 0;
    List<String> leaks = new ArrayList<>();
    for (String format : FORMATS) {
      CairnEncoder enc = Lines.encoder(format);
      enc.setServiceName("orders");
      enc.setMaxStringBytes(16_000);
      enc.start();
      for (Form form : forms) {
        for (Field field : Field.values()) {
          byte[] line = enc.encode(event(field, form.text()));
          JsonNode tree = Lines.parse(line);
          StringBuilder all = new StringBuilder(Lines.utf8(line));
          collect(tree, all);
          for (String p : form.planted()) {
            if (all.indexOf(p) >= 0 && leaks.size() < 30) {
              leaks.add(format + " / " + field + " / " + form.text().replace("\t", "\\t") + " -> " + Lines.utf8(line));
            }
          }
          checked++;
        }
      }
    }
    assertThat(leaks).as("leaks").isEmpty();
    assertThat(checked).isGreaterThan(10_000);
  }

  /** Every member name and string value, decoded (an escape must not hide a secret from us). */
  private static void collect(JsonNode n, StringBuilder out) {
    if (n.isString()) {
      out.append('\n').append(n.asString());
    } else if (n.isObject()) {
      for (var e : n.properties()) {
        out.append('\n').append(e.getKey());
        collect(e.getValue(), out);
      }
    } else if (n.isArray()) {
      for (JsonNode c : n) {
        collect(c, out);
      }
    }
  }

  @Test
  void cleanCorpus_changesFewerThanOnePercentOfLines() {
    Masker masker = Masker.defaults();
    SplittableRandom r = new SplittableRandom(20261207L);
    int total = 20_000;
    int changed = 0;
    List<String> examples = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      String line = CleanCorpus.line(r);
      if (!masker.mask(line).equals(line)) {
        changed++;
        if (examples.size() < 20) {
          examples.add(line);
        }
      }
    }
    assertThat(changed).as("changed lines, e.g. %s", examples).isLessThan(total / 100);
  }
}
