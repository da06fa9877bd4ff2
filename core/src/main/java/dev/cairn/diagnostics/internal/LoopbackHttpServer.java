package dev.cairn.diagnostics.internal;

import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A small HTTP/1.1 server for the diagnostics surface, built so that no client can take it away
 * from another (the JDK's {@code HttpServer} reads request heads on its one dispatcher thread and
 * its only time limits are JVM-wide system properties a library must not set for its host).
 *
 * <ul>
 *   <li>One I/O thread ({@code <prefix>io}) accepts and reads every request without blocking, so
 *       a client that sends half a request and falls silent holds a connection slot, never a
 *       thread. The head must arrive within {@code headTimeout}, the body within {@code
 *       bodyTimeout} (else 408 and close); a keep-alive connection waits {@code idleTimeout} for
 *       its next request; an answer that makes no progress for {@code writeTimeout} is cut.
 *   <li>At most {@code maxConnections} are open. A new one beyond that closes the oldest
 *       connection that is not being answered; when every one is, the new one gets 503.
 *   <li>Complete requests run on {@code threads} workers ({@code <prefix>N}) with a queue of
 *       {@code queueSize}; beyond it the request is answered 503.
 *   <li>Heads over {@code maxHeaderBytes} get 431, bodies over {@code maxRequestBytes} 413
 *       (bodies are read and discarded: no endpoint takes one), chunked bodies 411, other
 *       transfer codings 501, malformed heads 400, versions other than 1.0 and 1.1 505.
 * </ul>
 *
 * <p>Every refusal and timeout is passed to the {@code refused} callback with a reason. Files are
 * read on the I/O thread in 64 KiB steps (local dump files only).
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class LoopbackHttpServer implements AutoCloseable {
  /** Answers one complete request on a worker thread. */
  @FunctionalInterface
  public interface Handler {
    HttpAnswer handle(HttpRequestHead request) throws Exception;
  }

  private static final long MAX_SELECT_MILLIS = 1000;
  private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final HttpLimits limits;
  private final Handler handler;
  private final Consumer<String> refused;
  private final Selector selector;
  private final ServerSocketChannel server;
  private final SelectionKey acceptKey;
  private final ThreadPoolExecutor workers;
  private final Thread io;
  /** I/O thread only; in accept order, so the oldest is found first. */
  private final LinkedHashSet<HttpConnection> connections = new LinkedHashSet<>();
  private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;
  private long acceptResumesAt;
  private boolean acceptPaused;

  private record Done(HttpConnection connection, HttpAnswer answer) {}

  /**
   * Binds (so the address is known) without serving yet; {@link #start()} serves.
   *
   * @param threadPrefix e.g. {@code cairn-diagnostics-}
   * @param refused called with a reason for each refusal, on any thread; must not throw
   */
  public LoopbackHttpServer(
      InetSocketAddress bind, HttpLimits limits, String threadPrefix, Handler handler,
      Consumer<String> refused) throws IOException {
    this.limits = limits;
    this.handler = handler;
    this.refused = refused;
    this.selector = Selector.open();
    try {
      this.server = ServerSocketChannel.open();
      server.bind(bind, 64);
      server.configureBlocking(false);
      this.acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      selector.close();
      throw e;
    }
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            limits.threads(),
            limits.threads(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(limits.queueSize()),
            r -> {
              Thread t = new Thread(r, threadPrefix + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    workers.allowCoreThreadTimeOut(true);
    this.io = new Thread(this::run, threadPrefix + "io");
    io.setDaemon(true);
  }

  /** Starts serving. */
  public void start() {
    io.start();
  }

  /** The bound address. */
  public InetSocketAddress address() {
    try {
      return (InetSocketAddress) server.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("server closed", e);
    }
  }

  HttpLimits limits() {
    return limits;
  }

  boolean closing() {
    return closed;
  }

  void refused(String reason) {
    refused.accept(reason);
  }

  void forget(HttpConnection c) {
    connections.remove(c);
  }

  /** Stops accepting, closes every connection and stops the workers (answers in flight are cut). */
  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    if (io.isAlive()) {
      try {
        io.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      shutdownIo();
    }
    workers.shutdownNow();
    drainDone();
  }

  private void run() {
    try {
      while (!closed) {
        long wait = expire(System.nanoTime());
        selector.select(wait);
        drainDone();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey k = it.next();
          it.remove();
          if (k == acceptKey) {
            accept();
          } else if (k.isValid()) {
            ready(k);
          }
        }
      }
    } catch (Throwable t) {
      Reporter.warn("diagnostics.server.loop", "Cairn diagnostics server stopped: " + t, t);
      Fatal.rethrowIfFatal(t);
    } finally {
      shutdownIo();
    }
  }

  private void ready(SelectionKey k) {
    HttpConnection c = (HttpConnection) k.attachment();
    try {
      if (k.isReadable()) {
        c.onReadable();
      }
      if (k.isValid() && k.isWritable()) {
        c.onWritable();
      }
    } catch (IOException | RuntimeException e) {
      if (c.busy() || c.state == HttpConnection.State.BODY) {
        refused("io");
      }
      c.close();
    }
  }

  /** Closes connections whose deadline passed; returns how long the selector may sleep. */
  private long expire(long now) {
    if (acceptPaused && now - acceptResumesAt >= 0 && acceptKey.isValid()) {
      acceptPaused = false;
      acceptKey.interestOps(SelectionKey.OP_ACCEPT);
    }
    long next = now + TimeUnit.MILLISECONDS.toNanos(MAX_SELECT_MILLIS);
    List<HttpConnection> due = null;
    for (HttpConnection c : connections) {
      if (c.state == HttpConnection.State.DISPATCHED) {
        continue;
      }
      if (now - c.deadline >= 0) {
        if (due == null) {
          due = new ArrayList<>();
        }
        due.add(c);
      } else if (c.deadline - next < 0) {
        next = c.deadline;
      }
    }
    if (due != null) {
      for (HttpConnection c : due) {
        c.expire();
      }
    }
    if (acceptPaused && acceptResumesAt - next < 0) {
      next = acceptResumesAt;
    }
    // Round up so a deadline has passed when the selector wakes; 0 would mean "forever".
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - now) + 1);
  }

  private void accept() {
    for (int i = 0; i < 64 && !closed; i++) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        // Typically out of file descriptors: pause instead of spinning on a ready key.
        refused("io");
        Reporter.warn("diagnostics.server.accept", "Diagnostics server cannot accept: " + e, null);
        acceptPaused = true;
        acceptResumesAt = System.nanoTime() + ACCEPT_PAUSE_NANOS;
        acceptKey.interestOps(0);
        return;
      }
      if (ch == null) {
        return;
      }
      if (connections.size() >= limits.maxConnections() && !evictOldestWaiting()) {
        refuseConnection(ch);
        continue;
      }
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SelectionKey k = ch.register(selector, SelectionKey.OP_READ);
        HttpConnection c = new HttpConnection(this, ch, k, System.nanoTime());
        k.attach(c);
        connections.add(c);
      } catch (IOException | RuntimeException e) {
        closeQuietly(ch);
      }
    }
  }

  /** Makes room by closing the oldest connection that is not being answered. */
  private boolean evictOldestWaiting() {
    for (HttpConnection c : connections) {
      if (!c.busy()) {
        refused("evicted");
        c.close();
        return true;
      }
    }
    return false;
  }

  private void refuseConnection(SocketChannel ch) {
    refused("connections");
    try {
      ch.configureBlocking(false);
      byte[] body = "{\"error\":\"too many connections\"}".getBytes(StandardCharsets.US_ASCII);
      String head =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
              + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
      ch.write(new ByteBuffer[] {ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)), ByteBuffer.wrap(body)});
    } catch (IOException | RuntimeException e) {
      // best effort: the connection is closed either way
    }
    closeQuietly(ch);
  }

  /** Called by a connection whose request is complete (I/O thread). */
  void dispatch(HttpConnection c, HttpRequestHead head) {
    try {
      workers.execute(() -> work(c, head));
    } catch (RejectedExecutionException e) {
      refused("overloaded");
      answer(c, HttpAnswer.error(503, "diagnostics server busy; retry later"), true);
    }
  }

  private void work(HttpConnection c, HttpRequestHead head) {
    HttpAnswer a = null;
    try {
      a = handler.handle(head);
      a.openFile();
    } catch (Throwable t) {
      if (a != null) {
        a.discard();
        a = null;
      }
      Fatal.rethrowIfFatal(t);
      refused("error");
      Reporter.warn("diagnostics.server.exchange", "Diagnostics request failed: " + t, null);
    } finally {
      HttpAnswer answer = a != null ? a : HttpAnswer.error(500, "internal error");
      done.add(new Done(c, answer));
      if (closed) {
        drainDone();
      } else {
        selector.wakeup();
      }
    }
  }

  /** Takes answers from the workers and starts writing them (I/O thread), or drops them once closed. */
  private void drainDone() {
    Done d;
    while ((d = done.poll()) != null) {
      if (closed || d.connection().state != HttpConnection.State.DISPATCHED) {
        d.answer().discard();
      } else {
        answer(d.connection(), d.answer(), false);
      }
    }
  }

  private void answer(HttpConnection c, HttpAnswer a, boolean close) {
    try {
      c.startWrite(a, close);
    } catch (IOException | RuntimeException e) {
      refused("io");
      c.close();
    }
  }

  private void shutdownIo() {
    for (HttpConnection c : new ArrayList<>(connections)) {
      c.close();
    }
    closeQuietly(server);
    try {
      selector.close();
    } catch (IOException e) {
      // nothing to do
    }
    drainDone();
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
