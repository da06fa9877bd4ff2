package dev.cairn.spring.boot.autoconfigure.actuate;

import dev.cairn.spring.boot.autoconfigure.CairnProperties;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code jfr} Actuator endpoint. Its default access is {@code none}: nothing is created,
 * reachable or listed until the application grants it ({@code management.endpoint.jfr.access})
 * and exposes it. Backs off for the application's own {@link CairnJfrEndpoint}.
 */
@AutoConfiguration
@ConditionalOnClass(value = Endpoint.class, name = "jdk.jfr.FlightRecorder")
@ConditionalOnBooleanProperty(name = "cairn.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CairnProperties.class)
public class CairnJfrEndpointAutoConfiguration {

  /** The endpoint, bounded by {@code cairn.jfr.endpoint.*}; its recordings close with the context. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint(endpoint = CairnJfrEndpoint.class)
  public CairnJfrEndpoint cairnJfrEndpoint(CairnProperties properties) {
    return new CairnJfrEndpoint(properties.getJfr().getEndpoint());
  }
}
