package dev.cairn.examples;

import dev.cairn.Cairn;
import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.diagnostics.DiagnosticsServer;
import dev.cairn.diagnostics.DiagnosticsSettings;
import dev.cairn.diagnostics.Fingerprint;
import dev.cairn.export.NdjsonExporter;
import dev.cairn.jfr.CairnJfr;
import dev.cairn.jfr.StallBreakdown;
import dev.cairn.journal.Journal;
import dev.cairn.propagation.Carriers;
import dev.cairn.propagation.Propagator;
import dev.cairn.propagation.Propagators;
import dev.cairn.resource.Resource;
import dev.cairn.span.Span;
import dev.cairn.span.SpanKind;
import dev.cairn.span.StatusCode;
import dev.cairn.span.Tracer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cairn without Spring: the same capabilities as the storefront through the API and
 * {@code logback.xml} only. One {@link Cairn} exports spans as NDJSON, {@link CairnJfr} records
 * them in JFR with a black box and explains slow requests, a {@link Journal} keeps the events,
 * and the loopback diagnostics server shows it all while the program runs.
 *
 * <p>Run: {@code mvn -q -Pdemo verify -Ddemo.mainClass=dev.cairn.examples.PlainJavaExample -Ddemo.args=}
 */
public final class PlainJavaExample {
  private static final Logger log = LoggerFactory.getLogger(PlainJavaExample.class);
  private static final Object LEDGER = new Object();

  private PlainJavaExample() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 && !args[0].isBlank() ? args[0] : "target/plain-java");
    Files.createDirectories(out);

    CairnJfr jfr = CairnJfr.builder()
        .blackBox(out.resolve("blackbox"))
        .stallAttribution(Duration.ofMillis(100))
        .build();
    Cairn cairn = Cairn.builder()
        .resource(Fingerprint.capture().attachTo(Resource.detect()))
        .serviceName("plain-java")
        .addSpanListener(jfr.spanListener())
        // Diagnostics on: the pages' rings are fed and served on loopback until cairn.close().
        .diagnostics(DiagnosticsSettings.builder().enabled(true).port(0).build())
        .addSpanExporter(NdjsonExporter.spansToFile(out.resolve("spans.ndjson")))
        .build();
    DiagnosticsServer server = cairn.diagnosticsServer().orElseThrow();
    try (Journal journal = Journal.builder(out.resolve("journal")).nodeId("plain-java").build()) {
      System.out.println("diagnostics: " + server.uri() + "  token file: "
          + server.generatedTokenFile().map(Path::toString).orElse("(configured)"));
      Tracer tracer = cairn.tracer("example");

      // An incoming request: its context comes from the caller's headers.
      Map<String, String> headers = new HashMap<>();
      Propagator w3c = Propagators.w3cTraceContext();
      w3c.inject(TraceContext.newRoot(true), headers, Carriers.mapSetter());
      TraceContext caller = w3c.extract(TraceContext.empty(), headers, Carriers.mapGetter());

      handle(tracer, journal, caller, "order-1", false);
      String slow = handle(tracer, journal, caller, "order-2", true); // waits behind a lock

      // The attribution reads JFR's event stream, which flushes about once a second.
      Optional<StallBreakdown> explained = Optional.empty();
      for (int i = 0; i < 100 && explained.isEmpty(); i++) {
        Thread.sleep(100);
        explained = jfr.stallAttribution().flatMap(s -> s.breakdown(slow));
      }
      explained.ifPresent(b -> System.out.println("why slow: " + b.toLogLine()));
      jfr.blackBox().ifPresent(box -> box.dump("example").join()
          .ifPresent(p -> System.out.println("black box: " + p)));
      System.out.println("spans: " + out.resolve("spans.ndjson") + ", journal: " + out.resolve("journal"));
    } finally {
      cairn.close();
      jfr.close();
    }
  }

  /** One request; returns its server span's id. */
  private static String handle(
      Tracer tracer, Journal journal, TraceContext caller, String orderId, boolean contended)
      throws InterruptedException {
    Span server = tracer.spanBuilder("POST /orders").setKind(SpanKind.SERVER).setParent(caller)
        .setAttribute("order.id", orderId).startSpan();
    try (Scope scope = server.makeCurrent()) {
      log.atInfo().addKeyValue("order", orderId).log("order received");
      if (contended) {
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
          synchronized (LEDGER) {
            held.countDown();
            LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
          }
        }, "ledger-reindex");
        holder.start();
        held.await();
      }
      synchronized (LEDGER) {
        journal.appendJson("OrderPlaced", orderId, Map.of("order", orderId));
      }
      log.atInfo().addKeyValue("order", orderId).log("order placed");
      server.setStatus(StatusCode.OK);
    } finally {
      server.end();
    }
    return server.context().spanIdHex();
  }
}
