package dev.cairn.benchmarks;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import co.elastic.logging.logback.EcsEncoder;
import dev.cairn.logback.CairnEncoder;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.event.KeyValuePair;

/**
 * One INFO event with 2 MDC entries and 2 key-values, encoded to the bytes an appender writes:
 * Cairn's encoder in each of its formats (masking on, the default; and off), side by side with
 * logstash-logback-encoder's {@code LogstashEncoder}, Elastic's {@code EcsEncoder} and Logback's
 * {@code PatternLayoutEncoder}. The event is built once; its message is formatted on first use and
 * cached by Logback, as for every encoder in a real appender. Run with {@code -t 2} for two
 * threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncoderBenchmark {
  private LoggingEvent event;
  private CairnEncoder cairn;
  private CairnEncoder cairnNoMask;
  private CairnEncoder cairnEcs;
  private CairnEncoder cairnLogstash;
  private CairnEncoder cairnGcp;
  private CairnEncoder cairnGelf;
  private LogstashEncoder logstash;
  private EcsEncoder ecs;
  private PatternLayoutEncoder pattern;

  @Setup
  public void setUp() {
    LoggerContext context = new LoggerContext();
    Logger logger = context.getLogger("com.example.shop.OrderService");
    event =
        new LoggingEvent(
            Logger.class.getName(),
            logger,
            ch.qos.logback.classic.Level.INFO,
            "Order {} placed by customer {}",
            null,
            new Object[] {"ord-20261128-0042", "cust-7781"});
    event.setInstant(Instant.parse("2026-11-28T06:01:02.123Z"));
    event.setThreadName("http-nio-8080-exec-7");
    event.setMDCPropertyMap(
        Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e4736", "spanId", "00f067aa0ba902b7"));
    event.addKeyValuePair(new KeyValuePair("orderTotal", 129.95));
    event.addKeyValuePair(new KeyValuePair("items", 3));

    cairn = cairn(context, "cairn", true);
    cairnNoMask = cairn(context, "cairn", false);
    cairnEcs = cairn(context, "ecs", true);
    cairnLogstash = cairn(context, "logstash", true);
    cairnGcp = cairn(context, "gcp", true);
    cairnGelf = cairn(context, "gelf", true);

    logstash = new LogstashEncoder();
    logstash.setContext(context);
    logstash.start();

    ecs = new EcsEncoder();
    ecs.setContext(context);
    ecs.setServiceName("shop");
    ecs.start();

    pattern = new PatternLayoutEncoder();
    pattern.setContext(context);
    pattern.setPattern(
        "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} traceId=%X{traceId}"
            + " spanId=%X{spanId} - %msg %kvp%n");
    pattern.start();
  }

  private static CairnEncoder cairn(LoggerContext context, String format, boolean mask) {
    CairnEncoder e = new CairnEncoder();
    e.setContext(context);
    e.setFormat(format);
    e.setMask(mask);
    e.setServiceName("shop");
    e.start();
    return e;
  }

  @Benchmark
  public byte[] cairn_encode() {
    return cairn.encode(event);
  }

  @Benchmark
  public byte[] cairn_encodeNoMasking() {
    return cairnNoMask.encode(event);
  }

  @Benchmark
  public byte[] cairn_ecsFormat() {
    return cairnEcs.encode(event);
  }

  @Benchmark
  public byte[] cairn_logstashFormat() {
    return cairnLogstash.encode(event);
  }

  @Benchmark
  public byte[] cairn_gcpFormat() {
    return cairnGcp.encode(event);
  }

  @Benchmark
  public byte[] cairn_gelfFormat() {
    return cairnGelf.encode(event);
  }

  @Benchmark
  public byte[] logstash_encode() {
    return logstash.encode(event);
  }

  @Benchmark
  public byte[] ecs_encode() {
    return ecs.encode(event);
  }

  @Benchmark
  public byte[] pattern_encode() {
    return pattern.encode(event);
  }
}
