package dev.cairn.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import java.nio.charset.StandardCharsets;

/**
 * Forked by {@link GcpStructuredLoggingSpecTest}: one {@code gcp} line encoded in a JVM whose
 * environment the test chose, as a platform would have set it. Prints the line, then
 * {@code warnings=<n>} (the encoder's WARN statuses).
 */
public final class GcpLineChild {
  private GcpLineChild() {}

  public static void main(String[] args) {
    LoggerContext context = new LoggerContext();
    CairnEncoder enc = new CairnEncoder();
    enc.setContext(context);
    enc.setFormat("gcp");
    enc.start();
    TraceContext ctx =
        TraceContext.builder()
            .traceId("4bf92f3577b34da6a3ce929d0e0e4736")
            .spanId("00f067aa0ba902b7")
            .sampled(true)
            .build();
    byte[] line;
    try (Scope ignored = ctx.makeCurrent()) {
      line = enc.encode(Lines.event("from a platform"));
    }
    System.out.print(new String(line, StandardCharsets.UTF_8));
    long warnings =
        context.getStatusManager().getCopyOfStatusList().stream()
            .filter(s -> s.getLevel() == Status.WARN)
            .count();
    System.out.println("warnings=" + warnings);
  }
}
