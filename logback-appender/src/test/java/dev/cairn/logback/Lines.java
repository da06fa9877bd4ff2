package dev.cairn.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Test oracle: a line must be one line of strict JSON (Jackson, duplicate names rejected). */
final class Lines {
  static final JsonMapper STRICT =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  static final LoggerContext CONTEXT = new LoggerContext();
  static final Instant T0 = Instant.parse("2026-11-28T06:01:02.123456789Z");

  private Lines() {}

  /** Asserts the line shape and parses it strictly. */
  static JsonNode parse(byte[] line) {
    assertThat(line).isNotEmpty();
    assertThat(line[line.length - 1]).as("ends with a newline").isEqualTo((byte) '\n');
    for (int i = 0; i < line.length - 1; i++) {
      if (line[i] == '\n' || line[i] == '\r') {
        throw new AssertionError("raw CR/LF at byte " + i + " of " + new String(line, StandardCharsets.UTF_8));
      }
    }
    String text = utf8(line);
    try {
      return STRICT.readTree(text);
    } catch (RuntimeException e) {
      throw new AssertionError("not strict JSON: " + e.getMessage() + "\n" + text, e);
    }
  }

  static String utf8(byte[] b) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("not valid UTF-8", e);
    }
  }

  static CairnEncoder encoder(String format) {
    CairnEncoder enc = new CairnEncoder();
    enc.setContext(CONTEXT);
    enc.setFormat(format);
    return enc;
  }

  static LoggingEvent event(Level level, String message, Throwable t, Object... args) {
    Logger logger = CONTEXT.getLogger("com.example.Orders");
    LoggingEvent e =
        new LoggingEvent(Logger.class.getName(), logger, level, message, t, args.length == 0 ? null : args);
    e.setInstant(T0);
    e.setThreadName("main");
    return e;
  }

  static LoggingEvent event(String message) {
    return event(Level.INFO, message, null);
  }

  static LoggingEvent mdc(LoggingEvent e, Map<String, String> mdc) {
    e.setMDCPropertyMap(mdc);
    return e;
  }

  static LoggingEvent kv(LoggingEvent e, String key, Object value) {
    e.addKeyValuePair(new KeyValuePair(key, value));
    return e;
  }
}
