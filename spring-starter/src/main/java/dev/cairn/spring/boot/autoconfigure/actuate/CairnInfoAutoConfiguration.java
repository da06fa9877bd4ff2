package dev.cairn.spring.boot.autoconfigure.actuate;

import dev.cairn.Cairn;
import dev.cairn.spring.boot.autoconfigure.CairnTracingAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code cairn} section of {@code /actuator/info} (resource and fingerprint hash). On with
 * Actuator's info classes, unless {@code management.info.cairn.enabled=false} (or {@code
 * management.info.defaults.enabled=false}); backs off for the application's own {@link
 * CairnInfoContributor} or a bean named {@code cairnInfoContributor}.
 */
@AutoConfiguration(after = CairnTracingAutoConfiguration.class)
@ConditionalOnClass(InfoContributor.class)
@ConditionalOnBooleanProperty(name = "cairn.enabled", matchIfMissing = true)
@ConditionalOnEnabledInfoContributor("cairn")
public class CairnInfoAutoConfiguration {

  /** Cairn's resource and fingerprint hash under {@code cairn}. */
  @Bean
  @ConditionalOnBean(Cairn.class)
  @ConditionalOnMissingBean(value = CairnInfoContributor.class, name = "cairnInfoContributor")
  public CairnInfoContributor cairnInfoContributor(Cairn cairn) {
    return new CairnInfoContributor(cairn);
  }
}
