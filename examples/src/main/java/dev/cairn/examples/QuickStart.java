package dev.cairn.examples;

import dev.cairn.context.Baggage;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smallest real use of Cairn: a request context made current, its ids in every log line through
 * the MDC, and a child context for a unit of work inside the request.
 */
public final class QuickStart {
  private static final Logger log = LoggerFactory.getLogger(QuickStart.class);

  private QuickStart() {}

  public static void main(String[] args) {
    TraceContext request =
        TraceContext.newRoot(true)
            .withCorrelationId("order-4711")
            .withBaggage(Baggage.empty().with("tenant", "acme"));
    try (Scope ignored = request.makeCurrent()) {
      log.info("order received");
      TraceContext work = TraceContext.current().newChild();
      try (Scope inner = work.makeCurrent()) {
        log.info("checking inventory");
      }
      log.info("order accepted");
    }
    log.info("outside any request: no ids");
  }
}
