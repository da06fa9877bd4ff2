package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.jfr.CairnJfr;
import java.nio.file.Path;
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

  /** Adds the JFR span listener to the auto-configured Cairn instance. */
  @Bean
  public CairnBuilderCustomizer cairnJfrSpanListener(CairnJfr jfr) {
    return builder -> builder.addSpanListener(jfr.spanListener());
  }
}
