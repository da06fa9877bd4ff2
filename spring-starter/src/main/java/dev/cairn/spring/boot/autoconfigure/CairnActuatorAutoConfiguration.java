package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.Cairn;
import dev.cairn.diagnostics.Diagnostics;
import dev.cairn.diagnostics.DiagnosticsSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@code cairn} Actuator endpoint over Cairn's diagnostics surface. The endpoint's default
 * access is {@code none}: nothing is created, reachable or listed until the application grants it
 * ({@code management.endpoint.cairn.access=read-only}) and exposes it.
 */
@AutoConfiguration(after = {CairnTracingAutoConfiguration.class, CairnMetricsAutoConfiguration.class})
@ConditionalOnClass({Endpoint.class, tools.jackson.databind.json.JsonMapper.class})
@ConditionalOnBooleanProperty(name = "cairn.enabled", matchIfMissing = true)
public class CairnActuatorAutoConfiguration {

  /**
   * Diagnostics is on while the endpoint is available: the starter's {@code Cairn} then feeds
   * every ring the pages read (recent traces, slow spans, span errors), with no step to wire.
   */
  @Bean
  @ConditionalOnAvailableEndpoint(endpoint = CairnEndpoint.class)
  public CairnBuilderCustomizer cairnDiagnosticsFeed(Environment env) {
    DiagnosticsSettings settings = diagnosticsSettings(env);
    return b -> b.diagnostics(settings);
  }

  /**
   * The diagnostics surface: {@code cairn.diagnostics.*} settings (write and dumps off by
   * default), the application's meter registry, the Cairn instance's exporter health and the rings
   * it feeds, and contributors found on the class path (the JFR black box).
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint(endpoint = CairnEndpoint.class)
  public Diagnostics cairnDiagnostics(
      Environment env, ObjectProvider<MeterRegistry> registry, ObjectProvider<Cairn> cairn) {
    Diagnostics.Builder b =
        Diagnostics.builder().settings(diagnosticsSettings(env)).discoverContributors(true);
    registry.ifAvailable(b::meterRegistry);
    cairn.ifAvailable(b::cairn);
    return b.build();
  }

  private static DiagnosticsSettings diagnosticsSettings(Environment env) {
    return CairnTracingAutoConfiguration.diagnosticsSettings(env);
  }

  /** The endpoint. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint(endpoint = CairnEndpoint.class)
  public CairnEndpoint cairnEndpoint(Diagnostics diagnostics) {
    return new CairnEndpoint(diagnostics);
  }
}
