package dev.cairn.spring.boot.autoconfigure;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.Reporter;
import dev.cairn.logback.CairnAppender;
import dev.cairn.logging.LogRecord;
import dev.cairn.pipeline.Pipeline;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps the log lines of an application's start-up for the logs export, so the lines Boot writes
 * before the application context exists (the "Starting ..." line, configuration warnings, a
 * failing bean's error) are exported too.
 *
 * <p>Registered in {@code META-INF/spring.factories}, it runs right after Boot's {@link
 * LoggingApplicationListener} has configured Logback (which resets Logback, removing any appender
 * attached before). When {@code cairn.export.logs.*} (or the shared {@code cairn.export.*}) names
 * an endpoint for logs, it attaches Cairn's forwarding appender to the root logger with no
 * pipeline: each event becomes a record held in a bounded buffer ({@code
 * cairn.export.logs.startup-buffer-size}, default 1,024; the first lines are kept, later ones are
 * dropped and counted). Then:
 *
 * <ul>
 *   <li>the logs export bean adopts that appender and gives it its pipeline: the held records go
 *       first, in order, then every new line, each exactly once (one appender, one buffer);
 *   <li>if the application fails to start, a pipeline is built from the same properties and the
 *       held records, then Boot's failure report, are exported through it; it is flushed and
 *       closed within a bounded time (at most 5 s) when the JVM exits or 2 s after the failure,
 *       whichever comes first. The lines of a failed start-up are the ones a crash-looping
 *       service's operator needs most, and the only copy may be this one. (A failure after the
 *       logs export bean took the appender, such as a web server that cannot bind its port, is
 *       handled the same way by that bean when the failed context destroys it);
 *   <li>if the application starts but no logs export bean took the appender (the auto-configuration
 *       was excluded), the held records are discarded and counted.
 * </ul>
 */
public final class CairnStartupLogCapture implements GenericApplicationListener {
  static final String APPENDER_NAME = "CAIRN_EXPORT";
  /** Longest the failure path keeps the JVM from exiting to export the failed start-up's lines. */
  static final Duration FAILURE_FLUSH = Duration.ofSeconds(5);
  /** How long after the failure event Boot's failure report is given to arrive. */
  static final Duration FAILURE_GRACE = Duration.ofSeconds(2);

  /**
   * Marks the environment of the application being captured. Boot may replace the environment
   * object after this listener ran (converting it to its own type), copying its property sources, so
   * the mark, not the object, tells which application's lines are held.
   */
  static final String TOKEN_PROPERTY = "cairn.internal.startup-log-capture";

  private static final AtomicReference<Held> HELD = new AtomicReference<>();
  private static final AtomicLong TOKENS = new AtomicLong();

  /** One application's capture: the appender holding its lines and what configured it. */
  private static final class Held {
    final CairnAppender appender;
    final LoggerContext context;
    final String token;
    final SpringApplication application;
    final CairnProperties properties;

    Held(
        CairnAppender appender,
        LoggerContext context,
        String token,
        SpringApplication application,
        CairnProperties properties) {
      this.appender = appender;
      this.context = context;
      this.token = token;
      this.application = application;
      this.properties = properties;
    }
  }

  @Override
  public int getOrder() {
    return LoggingApplicationListener.DEFAULT_ORDER + 1;
  }

  @Override
  public boolean supportsEventType(ResolvableType eventType) {
    Class<?> type = eventType.getRawClass();
    return type != null
        && (ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
            || ApplicationReadyEvent.class.isAssignableFrom(type)
            || ApplicationFailedEvent.class.isAssignableFrom(type));
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    try {
      if (event instanceof ApplicationEnvironmentPreparedEvent) {
        ApplicationEnvironmentPreparedEvent e = (ApplicationEnvironmentPreparedEvent) event;
        start(e.getEnvironment(), e.getSpringApplication());
      } else if (event instanceof ApplicationReadyEvent) {
        discardUnclaimed(((ApplicationReadyEvent) event).getSpringApplication());
      } else if (event instanceof ApplicationFailedEvent) {
        failed(((ApplicationFailedEvent) event).getSpringApplication());
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      Reporter.warn("spring.startup-logs", "cairn: capturing start-up log lines failed", t);
    }
  }

  private static void start(ConfigurableEnvironment environment, SpringApplication application) {
    if (HELD.get() != null || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
      return; // a parent context's capture is running, or Logback is not the logging backend
    }
    CairnProperties properties;
    try {
      properties = Binder.get(environment).bindOrCreate("cairn", CairnProperties.class);
    } catch (RuntimeException e) {
      return; // the auto-configuration reports the bad property with Boot's failure analysis
    }
    int size = properties.getExport().getLogs().getStartupBufferSize();
    if (!properties.isEnabled()
        || size <= 0
        || !CairnLogsExportAutoConfiguration.exportsLogs(properties.getExport())) {
      return;
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    CairnAppender appender = new CairnAppender();
    appender.setName(APPENDER_NAME);
    appender.setContext(context);
    appender.setUseGlobal(false); // wait for the pipeline of this application, not any global one
    appender.setStartupBufferSize(size);
    appender.start();
    String token = Long.toString(TOKENS.incrementAndGet());
    environment.getPropertySources().addLast(
        new MapPropertySource(TOKEN_PROPERTY, Map.of(TOKEN_PROPERTY, token)));
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    HELD.set(new Held(appender, context, token, application, properties));
  }

  /**
   * The appender holding {@code environment}'s start-up lines, taken over by the caller (who gives
   * it a pipeline and detaches it), or empty when there is none.
   */
  static Optional<CairnAppender> claim(Environment environment) {
    Held h = HELD.get();
    if (h == null
        || !h.token.equals(environment.getProperty(TOKEN_PROPERTY))
        || !HELD.compareAndSet(h, null)) {
      return Optional.empty();
    }
    // A later Logback reconfiguration may have detached it; its records are still held.
    Logger root = h.context.getLogger(Logger.ROOT_LOGGER_NAME);
    if (root.getAppender(APPENDER_NAME) != h.appender) {
      root.addAppender(h.appender);
    }
    return Optional.of(h.appender);
  }

  private static void discardUnclaimed(SpringApplication application) {
    Held h = HELD.get();
    if (h == null || h.application != application || !HELD.compareAndSet(h, null)) {
      return;
    }
    h.context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(h.appender);
    h.appender.stop(); // no pipeline: discards and counts what it holds
    Reporter.warn(
        "spring.startup-logs.unclaimed",
        "cairn: " + h.appender.startupDropped() + " start-up log lines were not exported: no logs"
            + " pipeline was created (is CairnLogsExportAutoConfiguration excluded?)",
        null);
  }

  private static void failed(SpringApplication application) {
    Held h = HELD.get();
    if (h == null || h.application != application || !HELD.compareAndSet(h, null)) {
      return;
    }
    Optional<Pipeline<LogRecord>> pipeline;
    try {
      pipeline = CairnLogsExportAutoConfiguration.pipeline(h.properties.getExport());
    } catch (RuntimeException e) {
      pipeline = Optional.empty(); // e.g. the malformed endpoint that failed the start-up
    }
    if (pipeline.isEmpty()) {
      h.context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(h.appender);
      h.appender.stop();
      return;
    }
    // Replays the held lines now; Boot's failure report, logged after this event, follows live.
    h.appender.setPipeline(pipeline.get());
    reportOverflow(h.appender, h.properties);
    exportUntilExit(h.appender, h.context, pipeline.get());
  }

  /**
   * Keeps {@code appender} feeding {@code p} (a pipeline of a failed start-up) until the JVM exits
   * or {@link #FAILURE_GRACE} has passed, whichever comes first, then detaches it and closes the
   * pipeline within {@link #FAILURE_FLUSH}.
   */
  static void exportUntilExit(CairnAppender appender, LoggerContext context, Pipeline<LogRecord> p) {
    AtomicBoolean done = new AtomicBoolean();
    Runnable finish =
        () -> {
          if (!done.compareAndSet(false, true)) {
            return;
          }
          context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
          appender.setFlushTimeoutMillis(0);
          appender.stop();
          p.close(FAILURE_FLUSH);
        };
    Thread hook = new Thread(finish, "cairn-startup-logs-flush");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException | SecurityException e) {
      // Already shutting down: the grace thread below still flushes.
    }
    Thread grace =
        new Thread(
            () -> {
              try {
                Thread.sleep(FAILURE_GRACE.toMillis());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              finish.run();
              try {
                Runtime.getRuntime().removeShutdownHook(hook);
              } catch (IllegalStateException | SecurityException e) {
                // The JVM is exiting; the hook has run or will find the work done.
              }
            },
            "cairn-startup-logs-grace");
    grace.setDaemon(true);
    grace.start();
  }

  /** One line when the buffer overflowed, saying how many lines and which property to raise. */
  static void reportOverflow(CairnAppender appender, CairnProperties properties) {
    long dropped = appender.startupDropped();
    if (dropped > 0) {
      Reporter.warn(
          "spring.startup-logs.overflow",
          "cairn: " + dropped + " start-up log lines were dropped (more than"
              + " cairn.export.logs.startup-buffer-size="
              + properties.getExport().getLogs().getStartupBufferSize()
              + " before the logs pipeline existed; counted in cairn.logback.appender.startup.dropped)",
          null);
    }
  }
}
