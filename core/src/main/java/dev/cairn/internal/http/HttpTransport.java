package dev.cairn.internal.http;

import dev.cairn.internal.Fatal;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.internal.pipeline.ExportThread;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * Sends export requests over the JDK {@link HttpClient} with the OTLP retry rules, for every HTTP
 * exporter (OTLP, Zipkin, Loki, Elasticsearch).
 *
 * <ul>
 *   <li>Called on an exporter's own worker thread, never on an application thread; {@link #send}
 *       blocks that worker for at most the time budget.
 *   <li>Each attempt is bounded by the request timeout, from sending to the last byte of the
 *       response body (a backend that sends headers and then stalls is abandoned too).
 *   <li>Retried: 429, 502, 503, 504 and I/O failures (refused, reset, timeout), with exponential
 *       backoff and ±20% jitter; {@code Retry-After} (delta-seconds or HTTP-date) replaces the
 *       backoff delay when valid. Never retried: any other status (400, 401, 403, 404, 413, 500,
 *       501, ...).
 *   <li>Bounded: at most {@code maxAttempts} attempts and {@code maxElapsed} (or the caller's
 *       deadline) in total; a retry that could not start before the deadline is not made.
 *   <li>On an export worker's thread, a backoff wait longer than the worker's flush interval is
 *       probed once per interval with an empty batch; an answer ends the wait (see {@link
 *       #send(byte[], int, long, byte[])}).
 *   <li>Request bodies above the cap (20 MiB by default, before compression) are refused without
 *       sending; response bodies are read up to a cap and the connection is dropped there (a
 *       response bomb costs at most the cap). Responses are never decompressed.
 *   <li>The client runs on a small daemon executor owned by the transport; {@link #close()} aborts
 *       an attempt in flight and any backoff wait, and never waits on the network.
 * </ul>
 *
 * Counts, tagged {@code exporter=<name>}: {@code cairn.export.http.attempts}, {@code
 * cairn.export.http.retries}, {@code cairn.export.http.probes}, {@code
 * cairn.export.http.failed{reason}} (sends that did not
 * deliver), {@code cairn.export.http.response.truncated}. The caller counts the items it loses.
 *
 * <p>Thread-safe; meant for one worker at a time.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class HttpTransport implements AutoCloseable {
  /** Request bodies are never larger than this by default (before compression). */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 20 * 1024 * 1024;

  /** Response bodies are read up to this by default; an OTLP reply is a few hundred bytes. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "content-encoding");

  private static final AtomicInteger THREADS = new AtomicInteger();

  /** {@code HttpClient.shutdownNow()} exists from JDK 21; looked up once, absent on 17. */
  private static final MethodHandle SHUTDOWN_NOW = findShutdownNow();

  private final String name;
  private final URI endpoint;
  private final Map<String, String> headers;
  private final String contentType;
  private final boolean gzip;
  private final Duration requestTimeout;
  private final int maxRequestBytes;
  private final int maxResponseBytes;
  private final int maxAttempts;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final double backoffMultiplier;
  private final long maxElapsedNanos;
  private final Sleeper sleeper;
  private final ThreadPoolExecutor executor;
  private final Duration connectTimeout;
  private volatile HttpClient client;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile CompletableFuture<?> inFlight;
  // The probe request, built from the first probe body and kept while callers pass the same one.
  private volatile HttpRequest probeRequest;
  private volatile byte[] probeSource;

  private final SelfCounter attemptsCounter;
  private final SelfCounter retriesCounter;
  private final SelfCounter probesCounter;
  private final SelfCounter truncatedCounter;

  private HttpTransport(Builder b) {
    this.name = b.name;
    this.endpoint = b.endpoint;
    this.headers = Map.copyOf(b.headers);
    this.contentType = b.contentType;
    this.gzip = b.gzip;
    this.requestTimeout = b.requestTimeout;
    this.maxRequestBytes = b.maxRequestBytes;
    this.maxResponseBytes = b.maxResponseBytes;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoffNanos = b.initialBackoff.toNanos();
    this.maxBackoffNanos = b.maxBackoff.toNanos();
    this.backoffMultiplier = b.backoffMultiplier;
    this.maxElapsedNanos = b.maxElapsed.toNanos();
    this.sleeper = b.sleeper != null ? b.sleeper : this::awaitClose;
    // Two threads cover the client's own async steps for one request at a time; the queue is
    // bounded like everything else in Cairn.
    this.executor =
        new ThreadPoolExecutor(
            2,
            2,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(256),
            threadFactory(b.name));
    this.executor.allowCoreThreadTimeOut(true);
    this.connectTimeout = b.connectTimeout;
    this.attemptsCounter = counter("cairn.export.http.attempts", "HTTP export requests sent");
    this.retriesCounter = counter("cairn.export.http.retries", "HTTP export requests retried");
    this.probesCounter =
        counter(
            "cairn.export.http.probes",
            "Small requests sent during a backoff wait to learn early that the backend is back");
    this.truncatedCounter =
        counter(
            "cairn.export.http.response.truncated",
            "Export responses whose body exceeded the cap and was not read to the end");
  }

  /** A builder for a transport posting to {@code endpoint}. */
  public static Builder builder(URI endpoint) {
    return new Builder(endpoint);
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Sends {@code body[0..length)} within the transport's own time budget. Never throws. */
  public HttpResult send(byte[] body, int length) {
    return send(body, length, System.nanoTime() + maxElapsedNanos, null);
  }

  /**
   * Sends {@code body[0..length)} within the transport's own time budget; {@code probeBody}, a
   * small request the receiver accepts (an empty batch), is what a backoff wait probes with (see
   * {@link #send(byte[], int, long, byte[])}). Never throws.
   */
  public HttpResult send(byte[] body, int length, byte[] probeBody) {
    return send(body, length, System.nanoTime() + maxElapsedNanos, probeBody);
  }

  /**
   * Sends {@code body[0..length)}, giving up at {@code deadlineNanos} ({@link System#nanoTime()}
   * scale) or at the transport's own budget, whichever is first. Never throws.
   */
  public HttpResult send(byte[] body, int length, long deadlineNanos) {
    return send(body, length, deadlineNanos, null);
  }

  /**
   * Sends {@code body[0..length)}, giving up at {@code deadlineNanos} or at the transport's own
   * budget, whichever is first. Never throws.
   *
   * <p>On an export worker's thread ({@link ExportThread}) with a {@code probeBody}, a backoff
   * wait longer than the worker's flush interval is cut into slices of that interval, and after
   * each slice {@code probeBody} is sent once: when the backend answers anything but a retryable
   * status, the wait ends and the retry goes now. So a backend that comes back gets the queue
   * within about one flush interval, while retries (and {@code maxAttempts}) keep their schedule.
   * A {@code Retry-After} wait is never probed: the backend asked for it.
   */
  public HttpResult send(byte[] body, int length, long deadlineNanos, byte[] probeBody) {
    long start = System.nanoTime();
    long deadline = Math.min(deadlineNanos, start + maxElapsedNanos);
    if (length > maxRequestBytes) {
      return fail(HttpResult.Outcome.TOO_LARGE, "request_too_large", 0, 0, null, false,
          "request body of " + length + " bytes exceeds the cap of " + maxRequestBytes);
    }
    if (closed.getCount() == 0) {
      return fail(HttpResult.Outcome.GAVE_UP, "closed", 0, 0, null, false, "transport closed");
    }
    HttpRequest request;
    try {
      request = request(body, length);
    } catch (IOException | RuntimeException e) {
      return fail(HttpResult.Outcome.REJECTED, "encoding", 0, 0, null, false, e.toString());
    }
    int attempts = 0;
    int status = 0;
    byte[] probes = probeBody;
    byte[] lastBody = new byte[0];
    boolean lastTruncated = false;
    String lastError = "";
    while (true) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return fail(HttpResult.Outcome.GAVE_UP, "deadline", status, attempts, lastBody,
            lastTruncated, lastError);
      }
      attempts++;
      attemptsCounter.increment();
      long retryAfterNanos = -1;
      try {
        CappedBody.Result r = attempt(request, Math.min(remaining, requestTimeout.toNanos()));
        status = r.status;
        lastBody = r.body;
        lastTruncated = r.truncated;
        if (r.truncated) {
          truncatedCounter.increment();
        }
        if (status >= 200 && status < 300) {
          return new HttpResult(HttpResult.Outcome.SUCCESS, "ok", status, attempts, r.body,
              r.truncated, "");
        }
        lastError = "HTTP " + status;
        if (!isRetryable(status)) {
          return fail(HttpResult.Outcome.REJECTED, statusReason(status), status, attempts,
              r.body, r.truncated, lastError);
        }
        retryAfterNanos = r.retryAfter.map(v -> parseRetryAfter(v, System.currentTimeMillis()))
            .orElse(-1L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail(HttpResult.Outcome.GAVE_UP, "interrupted", status, attempts, lastBody,
            lastTruncated, "interrupted");
      } catch (TimeoutException e) {
        status = 0;
        lastError = "timeout after " + requestTimeout.toMillis() + " ms";
        ExportThread.noteTrouble("a timeout");
      } catch (IOException e) {
        status = 0;
        // The client's own request timeout and ours race; both read the same to a user.
        lastError = e instanceof java.net.http.HttpTimeoutException ? "timeout: " + e : e.toString();
        ExportThread.noteTrouble(trouble(e));
      }
      if (status != 0) {
        ExportThread.noteTrouble("HTTP " + status);
      }
      if (closed.getCount() == 0) {
        return fail(HttpResult.Outcome.GAVE_UP, "closed", status, attempts, lastBody,
            lastTruncated, lastError);
      }
      if (attempts >= maxAttempts) {
        return fail(HttpResult.Outcome.GAVE_UP, "retries_exhausted", status, attempts, lastBody,
            lastTruncated, lastError);
      }
      long delay = retryAfterNanos >= 0 ? retryAfterNanos : backoffNanos(attempts);
      if (System.nanoTime() + delay >= deadline) {
        return fail(HttpResult.Outcome.GAVE_UP, "deadline", status, attempts, lastBody,
            lastTruncated, lastError);
      }
      try {
        int waited = waitBeforeRetry(delay, retryAfterNanos >= 0 ? null : probes, deadline);
        if (waited == CLOSED) {
          return fail(HttpResult.Outcome.GAVE_UP, "closed", status, attempts, lastBody,
              lastTruncated, lastError);
        }
        // A probe answered but the retry it brought forward failed again: the probe says nothing
        // about this backend (it may answer an empty batch and still refuse data), so the rest of
        // this send keeps the plain schedule.
        probes = waited == CUT_SHORT ? null : probes;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail(HttpResult.Outcome.GAVE_UP, "interrupted", status, attempts, lastBody,
            lastTruncated, lastError);
      }
      retriesCounter.increment();
    }
  }

  /**
   * Waits {@code delay} before a retry: {@link #WAITED} it out, {@link #CUT_SHORT} by a probe that
   * was answered, or {@link #CLOSED} meanwhile. {@code probeBody} null: no probes. See {@link
   * #send(byte[], int, long, byte[])} for the probes: they are what lets a backend that is back
   * end the wait, and they are few (one small request per flush interval, only while a backoff
   * longer than the interval runs) and not attempts.
   */
  private int waitBeforeRetry(long delay, byte[] probeBody, long deadline)
      throws InterruptedException {
    long slice = probeBody == null ? 0 : ExportThread.flushIntervalNanosOfCurrentThread();
    long left = delay;
    while (slice > 0 && left > slice) {
      if (!sleeper.sleep(slice)) {
        return CLOSED;
      }
      left -= slice;
      long t0 = System.nanoTime();
      boolean answered = probe(probeBody, Math.min(slice, deadline - t0));
      left -= System.nanoTime() - t0;
      if (answered) {
        return closed.getCount() == 0 ? CLOSED : CUT_SHORT;
      }
    }
    if (left <= 0) {
      return closed.getCount() == 0 ? CLOSED : WAITED;
    }
    return sleeper.sleep(left) ? WAITED : CLOSED;
  }

  private static final int CLOSED = 0;
  private static final int WAITED = 1;
  private static final int CUT_SHORT = 2;

  /** One probe; true when the backend answered with anything but a retryable status. */
  private boolean probe(byte[] probeBody, long timeoutNanos) throws InterruptedException {
    if (timeoutNanos <= 0 || closed.getCount() == 0) {
      return false;
    }
    probesCounter.increment();
    try {
      HttpRequest p = probeRequest;
      if (p == null || probeSource != probeBody) {
        p = request(probeBody, probeBody.length);
        probeRequest = p;
        probeSource = probeBody;
      }
      CappedBody.Result r = attempt(p, Math.min(timeoutNanos, requestTimeout.toNanos()));
      return !isRetryable(r.status);
    } catch (IOException | TimeoutException | RuntimeException e) {
      return false;
    }
  }

  /** A few words for why an attempt failed without a response, for the close line. */
  private static String trouble(IOException e) {
    if (e instanceof java.net.http.HttpConnectTimeoutException) {
      return "a connect timeout";
    }
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "a timeout";
    }
    return e.getClass().getSimpleName();
  }

  /**
   * Aborts what is in flight, stops the executor and the client. Never blocks on the network.
   *
   * <p>On JDK 21+ the client's {@code shutdownNow()} ends its selector thread at once. On JDK 17
   * that thread ends only once the client object is unreachable, so the transport lets go of it
   * here (a closed transport that the application still references must not keep a thread alive),
   * and nothing the client itself references (its executor's thread factory) points back to the
   * transport.
   */
  @Override
  public void close() {
    closed.countDown();
    CompletableFuture<?> f = inFlight;
    inFlight = null;
    if (f != null) {
      f.cancel(true);
    }
    executor.shutdownNow();
    HttpClient c;
    synchronized (this) { // pairs with client(): no client is created after this point
      c = client;
      client = null;
    }
    if (c != null && SHUTDOWN_NOW != null) {
      try {
        SHUTDOWN_NOW.invoke(c);
      } catch (Throwable t) {
        Fatal.rethrowIfFatal(t);
      }
    }
  }

  // ------------------------------------------------------------------ one attempt

  private CappedBody.Result attempt(HttpRequest request, long timeoutNanos)
      throws IOException, InterruptedException, TimeoutException {
    CompletableFuture<HttpResponse<CappedBody.Result>> f;
    try {
      f = client().sendAsync(request, info -> new CappedBody(info, maxResponseBytes));
    } catch (RuntimeException e) {
      throw new IOException("request could not be started", e);
    }
    inFlight = f;
    try {
      return f.get(timeoutNanos, TimeUnit.NANOSECONDS).body();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      throw new IOException(String.valueOf(cause), cause);
    } catch (java.util.concurrent.CancellationException e) {
      throw new IOException("cancelled", e);
    } finally {
      inFlight = null;
      // Abandons the exchange (and its connection) if it is still running: timeout, interrupt.
      f.cancel(true);
    }
  }

  /**
   * The client is created by the first send, on the exporter's worker: building one starts its
   * selector thread, which an exporter that never sends (or a fast start-up) should not pay for.
   */
  private HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) { // only the worker gets here, once
        c = client;
        if (c == null) {
          if (closed.getCount() == 0) {
            // A send that raced with close(): a client made now would never be shut down.
            throw new IllegalStateException("transport closed");
          }
          c =
              HttpClient.newBuilder()
                  .version(HttpClient.Version.HTTP_1_1)
                  .connectTimeout(connectTimeout)
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .executor(executor)
                  .build();
          client = c;
        }
      }
    }
    return c;
  }

  private HttpRequest request(byte[] body, int length) throws IOException {
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(endpoint).timeout(requestTimeout).header("Content-Type", contentType);
    for (Map.Entry<String, String> h : headers.entrySet()) {
      rb.header(h.getKey(), h.getValue());
    }
    if (gzip) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 4));
      try (GZIPOutputStream z = new GZIPOutputStream(out, 8192)) {
        z.write(body, 0, length);
      }
      rb.header("Content-Encoding", "gzip");
      rb.POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()));
    } else {
      rb.POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
    }
    return rb.build();
  }

  // ------------------------------------------------------------------ policy

  static boolean isRetryable(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  private static String statusReason(int status) {
    switch (status) {
      case 400:
      case 401:
      case 403:
      case 404:
      case 405:
      case 408:
      case 409:
      case 413:
      case 415:
      case 500:
      case 501:
        return "http_" + status;
      default:
        if (status >= 400 && status < 500) {
          return "http_4xx";
        }
        if (status >= 500 && status < 600) {
          return "http_5xx";
        }
        return "http_other"; // 1xx/3xx: redirects are not followed
    }
  }

  /** The delay before retry number {@code attempt} (1-based): exponential, capped, ±20% jitter. */
  long backoffNanos(int attempt) {
    return jittered(scheduledBackoffNanos(attempt));
  }

  /** The un-jittered schedule: initial × multiplier^(attempt-1), at most the maximum. */
  long scheduledBackoffNanos(int attempt) {
    double d = initialBackoffNanos * Math.pow(backoffMultiplier, attempt - 1);
    return (long) Math.min(d, (double) maxBackoffNanos);
  }

  private static long jittered(long nanos) {
    return (long) (nanos * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
  }

  /**
   * {@code Retry-After} as nanoseconds from now: delta-seconds or an HTTP-date (a date in the past
   * means now). Returns -1 when malformed, so the caller falls back to its backoff.
   */
  static long parseRetryAfter(String value, long nowMillis) {
    String v = value.trim();
    if (v.isEmpty()) {
      return -1;
    }
    boolean digits = true;
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        digits = false;
        break;
      }
    }
    if (digits) {
      if (v.length() > 9) {
        return -1; // beyond any sane budget; treated as malformed rather than overflowing
      }
      return TimeUnit.SECONDS.toNanos(Long.parseLong(v));
    }
    try {
      long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return TimeUnit.MILLISECONDS.toNanos(Math.max(0, at - nowMillis));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private HttpResult fail(
      HttpResult.Outcome outcome,
      String reason,
      int status,
      int attempts,
      byte[] body,
      boolean truncated,
      String lastError) {
    SelfCounters.GLOBAL
        .counter(
            "cairn.export.http.failed",
            "HTTP export sends that did not deliver, by reason",
            "requests",
            "exporter",
            name,
            "reason",
            reason)
        .increment();
    return new HttpResult(outcome, reason, status, attempts, body == null ? new byte[0] : body,
        truncated, lastError);
  }

  private SelfCounter counter(String counterName, String description) {
    return SelfCounters.GLOBAL.counter(counterName, description, "requests", "exporter", name);
  }

  private boolean awaitClose(long nanos) throws InterruptedException {
    return !closed.await(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Static, so that the factory (which the client's executor keeps, and the client's selector
   * thread keeps the executor) holds only the name: a factory capturing the transport would keep
   * the transport, and through it the client, reachable from that thread forever (JDK 17).
   */
  private static ThreadFactory threadFactory(String name) {
    return r -> {
      Thread t = new Thread(r, "cairn-http-" + name + "-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static MethodHandle findShutdownNow() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(HttpClient.class, "shutdownNow", MethodType.methodType(void.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // JDK 17: the client's selector thread ends when the client is collected
    }
  }

  /** Waits between attempts; returns false when the transport closed meanwhile. */
  interface Sleeper {
    boolean sleep(long nanos) throws InterruptedException;
  }

  /** Configuration of an {@link HttpTransport}; validated here, with precise messages. */
  public static final class Builder {
    private final URI endpoint;
    private String name = "http";
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String contentType = "application/json";
    private boolean gzip;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private double backoffMultiplier = 1.5;
    private Duration maxElapsed = Duration.ofSeconds(30);
    private Sleeper sleeper;

    private Builder(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException(
            "export endpoint must be an http:// or https:// URL, got: " + endpoint);
      }
      if (endpoint.getHost() == null) {
        throw new IllegalArgumentException("export endpoint has no host: " + endpoint);
      }
      this.endpoint = endpoint;
    }

    /** Names the transport in counters and thread names (the exporter's name). */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("transport name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** Adds a request header (for example {@code Authorization}). */
    public Builder header(String key, String value) {
      Objects.requireNonNull(key, "header name");
      Objects.requireNonNull(value, "header value");
      if (RESTRICTED_HEADERS.contains(key.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "header '" + key + "' is set by the transport and cannot be configured");
      }
      if (key.isEmpty() || !key.chars().allMatch(Builder::isTokenChar)) {
        throw new IllegalArgumentException("invalid header name: '" + key + "'");
      }
      if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        throw new IllegalArgumentException("header '" + key + "' value contains CR, LF or NUL");
      }
      headers.put(key, value);
      return this;
    }

    public Builder headers(Map<String, String> headers) {
      headers.forEach(this::header);
      return this;
    }

    public Builder contentType(String contentType) {
      this.contentType = Objects.requireNonNull(contentType, "contentType");
      return this;
    }

    /** Compresses request bodies with gzip ({@code Content-Encoding: gzip}). */
    public Builder gzip(boolean gzip) {
      this.gzip = gzip;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** Bound of one attempt, from sending to the end of the response body. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    public Builder maxRequestBytes(int bytes) {
      if (bytes < 1 || bytes > DEFAULT_MAX_REQUEST_BYTES) {
        throw new IllegalArgumentException(
            "maxRequestBytes must be in [1, " + DEFAULT_MAX_REQUEST_BYTES + "], got " + bytes);
      }
      this.maxRequestBytes = bytes;
      return this;
    }

    public Builder maxResponseBytes(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxResponseBytes must be >= 0, got " + bytes);
      }
      this.maxResponseBytes = bytes;
      return this;
    }

    /** Attempts per send including the first (1 disables retries). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 100) {
        throw new IllegalArgumentException("maxAttempts must be in [1, 100], got " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    public Builder backoff(Duration initial, Duration max, double multiplier) {
      this.initialBackoff = positive(initial, "initial backoff");
      this.maxBackoff = positive(max, "max backoff");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("max backoff " + max + " is below initial " + initial);
      }
      if (!(multiplier >= 1.0) || multiplier > 10) {
        throw new IllegalArgumentException("backoff multiplier must be in [1, 10], got " + multiplier);
      }
      this.backoffMultiplier = multiplier;
      return this;
    }

    /** Total time one send may take, attempts and waits included. */
    public Builder maxElapsed(Duration maxElapsed) {
      this.maxElapsed = positive(maxElapsed, "maxElapsed");
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    public HttpTransport build() {
      return new HttpTransport(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }

    private static boolean isTokenChar(int c) {
      return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
  }
}
