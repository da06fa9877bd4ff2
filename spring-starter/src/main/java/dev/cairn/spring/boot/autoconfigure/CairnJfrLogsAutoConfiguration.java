package dev.cairn.spring.boot.autoconfigure;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import dev.cairn.internal.Fatal;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import dev.cairn.jfr.CairnJfr;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The application's log lines as {@code cairn.Log} JFR events, with no user code: a small Logback
 * appender on the root logger hands every line at or above {@code cairn.jfr.log.min-level} (WARN by
 * default) to the auto-configured {@link CairnJfr}, which records it, with the trace and span ids
 * current on the logging thread, in any recording that has {@code cairn.Log} on. ERROR lines also
 * reach the black box's dump-on-error trigger ({@code cairn.jfr.dump-on-error-log}).
 *
 * <p>Backs off when the application defines its own {@link CairnJfr} (it is evaluated before
 * {@link CairnJfrAutoConfiguration} for that reason): such an application wires its log lines
 * itself, typically with {@code jfr.logSink()} on a logs pipeline, and would otherwise see every
 * line twice.
 */
@AutoConfiguration(before = CairnJfrAutoConfiguration.class)
@ConditionalOnClass({CairnJfr.class, LoggerContext.class})
@ConditionalOnBooleanProperty(name = "cairn.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "cairn.jfr.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "cairn.jfr.log.enabled", matchIfMissing = true)
@ConditionalOnMissingBean(CairnJfr.class)
@EnableConfigurationProperties(CairnProperties.class)
public class CairnJfrLogsAutoConfiguration {

  /** Attaches the JFR log appender to the root logger; detaches it when the context closes. */
  @Bean
  @ConditionalOnMissingBean
  public CairnJfrLogs cairnJfrLogs(ObjectProvider<CairnJfr> jfr, CairnProperties properties) {
    return new CairnJfrLogs(jfr, properties.getJfr().getLog().getMinLevel());
  }

  /** The root logger's {@code cairn.Log} appender, attached while the context lives. */
  public static final class CairnJfrLogs implements InitializingBean, DisposableBean {
    static final String APPENDER_NAME = "CAIRN_JFR_LOG";

    private final ObjectProvider<CairnJfr> jfr;
    private final String minLevel;
    private JfrLogAppender appender;

    CairnJfrLogs(ObjectProvider<CairnJfr> jfr, String minLevel) {
      this.jfr = jfr;
      this.minLevel = minLevel;
    }

    @Override
    public void afterPropertiesSet() {
      CairnJfr j = jfr.getIfAvailable();
      if (j == null || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
        return;
      }
      JfrLogAppender a = new JfrLogAppender(j, Level.toLevel(minLevel.trim(), Level.WARN));
      a.setName(APPENDER_NAME);
      a.setContext(ctx);
      a.start();
      ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(a);
      appender = a;
    }

    @Override
    public void destroy() {
      JfrLogAppender a = appender;
      if (a != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(a);
        a.stop();
      }
    }
  }

  /**
   * Runs on the logging thread, so {@link CairnJfr#log} sees the request's context. Below the
   * minimum level it returns after one comparison; ERROR always goes on, for the black box trigger
   * (CairnJfr applies the minimum level to the event itself).
   */
  static final class JfrLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private final SelfCounter failed =
        SelfCounters.GLOBAL.counter(
            "cairn.spring.jfr.log.failed",
            "Log events the JFR log appender could not record (contained)",
            "events");
    private final CairnJfr jfr;
    private final int minLevel;

    JfrLogAppender(CairnJfr jfr, Level minLevel) {
      this.jfr = jfr;
      this.minLevel = minLevel.toInt();
    }

    @Override
    protected void append(ILoggingEvent event) {
      try {
        Level level = event.getLevel();
        if (level == null || (level.toInt() < minLevel && level.toInt() != Level.ERROR_INT)) {
          return;
        }
        IThrowableProxy tp = event.getThrowableProxy();
        Throwable error = tp instanceof ThrowableProxy ? ((ThrowableProxy) tp).getThrowable() : null;
        jfr.log(level.toString(), event.getLoggerName(), event.getFormattedMessage(), error);
      } catch (Throwable t) {
        Fatal.rethrowIfFatal(t); // CairnJfr.log never throws; formatting a broken message might
        failed.increment();
      }
    }
  }
}
