package dev.cairn.spring.boot.autoconfigure;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.cairn.logback.CairnEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.structured.StructuredLogFormatter;
import org.springframework.core.env.Environment;

/**
 * Boot's structured logging, written by Cairn's own encoder: {@code cairn.logging.format=cairn},
 * {@code ecs}, {@code logstash}, {@code gcp} or {@code gelf} selects it (the starter then sets
 * {@code logging.structured.format.console} and {@code .file} to this class unless you set them).
 * Correlation ids come from Cairn's current context; the service name from {@code
 * cairn.service-name} (which falls back to {@code spring.application.name}).
 */
public final class CairnLogFormatter implements StructuredLogFormatter<ILoggingEvent> {
  private final CairnEncoder encoder;

  /** Boot creates the formatter with the application's environment. */
  public CairnLogFormatter(Environment environment) {
    encoder = new CairnEncoder();
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
      encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    }
    encoder.setFormat(environment.getProperty("cairn.logging.format", "cairn"));
    String service = environment.getProperty("cairn.service-name", environment.getProperty("spring.application.name"));
    if (service != null && !service.isBlank()) {
      encoder.setServiceName(service.trim());
    }
    String gcpProject = environment.getProperty("cairn.logging.gcp-project-id");
    if (gcpProject != null && !gcpProject.isBlank()) {
      encoder.setProjectId(gcpProject.trim());
    }
    encoder.start();
  }

  @Override
  public String format(ILoggingEvent event) {
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Override
  public byte[] formatAsBytes(ILoggingEvent event, Charset charset) {
    byte[] utf8 = encoder.encode(event);
    return StandardCharsets.UTF_8.equals(charset) ? utf8 : new String(utf8, StandardCharsets.UTF_8).getBytes(charset);
  }
}
