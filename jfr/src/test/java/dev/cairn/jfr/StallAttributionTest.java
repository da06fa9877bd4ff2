package dev.cairn.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.context.Scope;
import dev.cairn.span.Span;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real waits (a contended monitor, a slow loopback server, parks, sleeps, GC) in real spans. */
class StallAttributionTest {
  CairnJfr jfr;
  Cairn cairn;

  @BeforeEach
  void start() {
    jfr =
        CairnJfr.builder()
            .stallAttribution(Duration.ofMillis(50))
            .stallWaitThreshold(Duration.ofMillis(5))
            .build();
    cairn = Cairn.builder().addSpanListener(jfr.spanListener()).build();
  }

  @AfterEach
  void stop() {
    cairn.close();
    jfr.close();
  }

  @Test
  void contendedMonitor_isALockWaitNamingTheOwnerThread() throws Exception {
    Span span = spanBlockedOnAMonitorHeldBy("lock-owner");

    StallBreakdown b = await(span);
    assertThat(b.name()).isEqualTo("reserve-stock");
    assertThat(b.traceId()).isEqualTo(span.context().traceIdHex());
    assertThat(b.lockWait()).isGreaterThan(Duration.ofMillis(200));
    assertThat(b.socketIo()).isZero();
    assertThat(b.causes().get(0).kind()).isEqualTo(StallBreakdown.Kind.LOCK_WAIT);
    assertThat(b.causes().get(0).detail()).contains("java.lang.Object").contains("lock-owner");
    assertThat(b.toLogLine()).contains("lock_ms=").contains("reserve-stock");
  }

  @Test
  void contendedMonitor_whenTheOwnerThreadNameHoldsASecret_theBreakdownShowsItRedacted() throws Exception {
    Span span = spanBlockedOnAMonitorHeldBy("lock-owner password=stallsecret");

    // The same breakdown is the cairn.SlowSpan summary, the log line and the diagnostics answer.
    StallBreakdown b = await(span);
    assertThat(b.causes().get(0).detail()).contains("lock-owner password=[REDACTED]");
    assertThat(b.toLogLine()).doesNotContain("stallsecret");
  }

  /**
   * A "reserve-stock" span, current on this thread, that waits to enter a monitor held by a thread
   * named {@code ownerName}; returns once the span has ended and the owner has finished.
   */
  private Span spanBlockedOnAMonitorHeldBy(String ownerName) throws InterruptedException {
    Object lock = new Object();
    CountDownLatch held = new CountDownLatch(1);
    Thread waiter = Thread.currentThread();
    Thread owner =
        new Thread(
            () -> {
              synchronized (lock) {
                held.countDown();
                // Hold on until the span's thread is really blocked on the lock, then some more:
                // on a loaded machine it may take a while to get there.
                StallAttributionTest.awaitBlocked(waiter);
                StallAttributionTest.sleep(250);
              }
            },
            ownerName);
    owner.start();
    held.await();
    Span span = cairn.tracer().startSpan("reserve-stock");
    try (Scope ignored = span.makeCurrent()) {
      synchronized (lock) {
        // entered after the owner lets go
      }
    } finally {
      span.end();
    }
    owner.join();
    return span;
  }

  @Test
  void slowLoopbackSocketRead_isSocketIoWithAddressAndBytes() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread slowServer =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  sleep(500);
                  OutputStream out = s.getOutputStream();
                  out.write("pong".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                  out.flush();
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              "slow-server");
      slowServer.start();
      Span span = cairn.tracer().startSpan("call-inventory");
      try (Scope ignored = span.makeCurrent();
          Socket client = new Socket()) {
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        InputStream in = client.getInputStream();
        assertThat(in.readNBytes(4)).hasSize(4);
      } finally {
        span.end();
      }
      slowServer.join();

      StallBreakdown b = await(span);
      assertThat(b.socketIo()).isGreaterThan(Duration.ofMillis(150));
      assertThat(b.lockWait()).isZero();
      StallBreakdown.Cause top = b.causes().get(0);
      assertThat(top.kind()).isEqualTo(StallBreakdown.Kind.SOCKET_IO);
      assertThat(top.detail()).contains(":" + server.getLocalPort()).contains("read 4 bytes");
    }
  }

  @Test
  void parkAndSleep_areAttributedSeparately() throws Exception {
    Span span = cairn.tracer().startSpan("wait-a-bit");
    try (Scope ignored = span.makeCurrent()) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(120));
      Thread.sleep(80);
    } finally {
      span.end();
    }
    StallBreakdown b = await(span);
    assertThat(b.park()).isGreaterThan(Duration.ofMillis(60));
    assertThat(b.sleep()).isGreaterThan(Duration.ofMillis(60));
    assertThat(b.unattributed()).isLessThan(b.duration());
  }

  @Test
  void waitsOfOtherThreads_areNotBlamed() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Thread sleeper =
        new Thread(
            () -> {
              started.countDown();
              sleep(300);
            },
            "bystander");
    sleeper.start();
    started.await();
    Span span = cairn.tracer().startSpan("busy");
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(120);
    long x = 0;
    while (System.nanoTime() < until) {
      x++; // runs on the CPU, waits for nothing
    }
    span.end();
    sleeper.join();
    StallBreakdown b = await(span);
    assertThat(x).isPositive();
    assertThat(b.sleep()).isZero();
    assertThat(b.lockWait()).isZero();
    assertThat(b.park()).isZero();
  }

  @Test
  void gcPause_insideTheSpanIsAttributed() throws Exception {
    Span span = cairn.tracer().startSpan("allocate");
    try (Scope ignored = span.makeCurrent()) {
      System.gc();
      Thread.sleep(60);
    } finally {
      span.end();
    }
    StallBreakdown b = await(span);
    assertThat(b.gcPause()).isPositive();
    assertThat(b.causes()).anyMatch(c -> c.kind() == StallBreakdown.Kind.GC_PAUSE);
  }

  @Test
  void repeatedLongSpanNames_keepTheirNameAndTraceId_whenTheStreamLosesPooledStrings(
      @TempDir Path dir) throws Exception {
    // JFR pools strings longer than 16 characters that recur (a route's span name, the trace id a
    // request's spans share); after its first flush a stream hands such fields back as null in a
    // JVM running C1 code, as every JVM does while it warms up. A child JVM held at C1 shows it.
    String out =
        ForkedJvm.runMain(dir, List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"), RepeatedNames.class);
    assertThat(out).contains("spans 24").contains("named 24").contains("traced 24");
  }

  /** The child JVM's side: slow spans named alike, each in its own trace. */
  public static final class RepeatedNames {
    public static void main(String[] args) throws Exception {
      CairnJfr jfr = CairnJfr.builder().stallAttribution(Duration.ofMillis(50)).build();
      Cairn cairn = Cairn.builder().addSpanListener(jfr.spanListener()).build();
      try {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
          Span parent = cairn.tracer().startSpan("http post /reserve-stock");
          try (Scope outer = parent.makeCurrent()) {
            Span span = cairn.tracer().startSpan("http post /reserve-stock");
            try (Scope inner = span.makeCurrent()) {
              Thread.sleep(60);
            } finally {
              span.end();
            }
            spans.add(span);
          } finally {
            parent.end();
          }
        }
        StallAttribution stalls = jfr.stallAttribution().orElseThrow();
        int named = 0;
        int traced = 0;
        for (Span span : spans) {
          StallBreakdown b = awaitSpan(stalls, span);
          named += b.name().equals("http post /reserve-stock") ? 1 : 0;
          traced += b.traceId().equals(span.context().traceIdHex()) ? 1 : 0;
        }
        System.out.println("spans " + spans.size() + " named " + named + " traced " + traced);
      } finally {
        cairn.close();
        jfr.close();
      }
    }
  }

  @Test
  void aSpanAndTheScopeItMadeCurrent_giveOneBreakdown() throws Exception {
    List<StallBreakdown> seen = new CopyOnWriteArrayList<>();
    jfr.stallAttribution().orElseThrow().addListener(seen::add);
    Span span = cairn.tracer().startSpan("checkout");
    try (Scope ignored = span.makeCurrent()) {
      Thread.sleep(80);
    }
    Thread.sleep(20); // the span outlives its scope, as a server span does
    span.end();
    await(span);
    Span later = cairn.tracer().startSpan("after");
    Thread.sleep(60);
    later.end();
    await(later); // two flushes on, a duplicate would have arrived by now
    Thread.sleep(2_500);
    assertThat(seen)
        .filteredOn(b -> b.spanId().equals(span.context().spanIdHex()))
        .singleElement()
        .satisfies(b -> assertThat(b.name()).isEqualTo("checkout"));
  }

  @Test
  void aScopeWithoutASpan_isStillExplained() throws Exception {
    dev.cairn.context.TraceContext context =
        dev.cairn.context.TraceContext.newRoot(true);
    try (Scope ignored = context.makeCurrent()) {
      Thread.sleep(80);
    }
    StallAttribution stalls = jfr.stallAttribution().orElseThrow();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (stalls.breakdown(context.spanIdHex()).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(stalls.breakdown(context.spanIdHex()))
        .hasValueSatisfying(b -> assertThat(b.sleep()).isGreaterThan(Duration.ofMillis(40)));
  }

  @Test
  void fastSpans_getNoBreakdown() throws Exception {
    Span fast = cairn.tracer().startSpan("fast");
    fast.end();
    Span slow = cairn.tracer().startSpan("slow");
    Thread.sleep(80);
    slow.end();
    await(slow); // by the time the slow one arrives, the fast one would have too
    assertThat(jfr.stallAttribution().orElseThrow().breakdown(fast.context().spanIdHex())).isEmpty();
  }

  @Test
  void fastSpans_getNoBreakdown_whileAnotherRecordingRecordsEverySpan() throws Exception {
    try (jdk.jfr.Recording everything = new jdk.jfr.Recording()) {
      everything.enable("cairn.Span").withThreshold(Duration.ZERO);
      everything.start();
      Span fast = cairn.tracer().startSpan("fast");
      Thread.sleep(5);
      fast.end();
      Span slow = cairn.tracer().startSpan("slow");
      Thread.sleep(80);
      slow.end();
      await(slow);
      assertThat(jfr.stallAttribution().orElseThrow().breakdown(fast.context().spanIdHex()))
          .isEmpty();
    }
  }

  private StallBreakdown await(Span span) throws InterruptedException {
    return awaitSpan(jfr.stallAttribution().orElseThrow(), span);
  }

  static StallBreakdown awaitSpan(StallAttribution stalls, Span span) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      Optional<StallBreakdown> b = stalls.breakdown(span.context().spanIdHex());
      // A scope's breakdown may come first; the span's replaces it.
      if (b.isPresent() && !b.get().name().equals("scope")) {
        return b.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no breakdown for " + span.context());
  }

  static void awaitBlocked(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (t.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
      sleep(5);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
