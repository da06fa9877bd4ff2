package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.internal.Fatal;
import dev.cairn.jfr.CairnJfr;
import dev.cairn.jfr.JcmdSettings;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Cairn's JFR events for every span of the auto-configured {@link dev.cairn.Cairn}, visible in any
 * {@code jcmd <pid> JFR.start} recording; with {@code cairn.jfr.black-box-directory} the black box,
 * and with {@code cairn.jfr.stall-threshold} the per-request stall attribution. Runs before the
 * tracing auto-configuration so its span listener is part of the Cairn bean.
 */
@AutoConfiguration(before = CairnTracingAutoConfiguration.class)
@ConditionalOnClass(CairnJfr.class)
@ConditionalOnBooleanProperty(name = "cairn.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "cairn.jfr.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CairnProperties.class)
public class CairnJfrAutoConfiguration {

  /** The JFR side of Cairn, from {@code cairn.jfr.*}. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public CairnJfr cairnJfr(CairnProperties properties) {
    CairnProperties.Jfr p = properties.getJfr();
    CairnJfr.Builder b = CairnJfr.builder().minLogLevel(p.getLog().getMinLevel().trim());
    if (p.getBlackBoxDirectory() != null && !p.getBlackBoxDirectory().isBlank()) {
      b.blackBox(Path.of(p.getBlackBoxDirectory().trim())).dumpOnErrorLog(p.isDumpOnErrorLog());
    }
    if (p.getStallThreshold() != null) {
      b.stallAttribution(p.getStallThreshold()).stallLog(true);
    }
    return b.build();
  }

  /**
   * Cairn's settings files written for this process (an owner-only directory under {@code
   * java.io.tmpdir}, deleted when the context closes or the JVM exits), so that an operator with a
   * shell in the container can run the {@code jcmd} line this logs once at INFO. Nothing is
   * written, and a WARN says why, when the directory cannot be created; the application starts
   * either way.
   */
  @Bean
  public JcmdSettingsHolder cairnJcmdSettings() {
    Logger log = LoggerFactory.getLogger(JcmdSettings.class);
    try {
      JcmdSettings settings = JcmdSettings.writeForThisProcess();
      log.info("Cairn JFR: record Cairn's events with: {}  (then: {})",
          settings.startCommand(), settings.dumpCommand("/tmp/app.jfr"));
      return new JcmdSettingsHolder(settings);
    } catch (RuntimeException e) {
      log.warn("Cairn JFR: cannot write the jcmd settings files ({}); "
          + "use +cairn.Span#enabled=true on the jcmd line instead", e.getMessage());
      return new JcmdSettingsHolder(null);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      return new JcmdSettingsHolder(null);
    }
  }

  /** Owns the {@link JcmdSettings} written at start, if any, and deletes them on close. */
  public static final class JcmdSettingsHolder implements AutoCloseable {
    private final JcmdSettings settings;

    JcmdSettingsHolder(JcmdSettings settings) {
      this.settings = settings;
    }

    /** The files written at start, when writing them succeeded. */
    public Optional<JcmdSettings> settings() {
      return Optional.ofNullable(settings);
    }

    @Override
    public void close() {
      if (settings != null) {
        settings.close();
      }
    }
  }

  /** Adds the JFR span listener to the auto-configured Cairn instance. */
  @Bean
  public CairnBuilderCustomizer cairnJfrSpanListener(CairnJfr jfr) {
    return builder -> builder.addSpanListener(jfr.spanListener());
  }
}
