package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.logging.CorrelationMdc;
import dev.cairn.logging.MdcSettings;
import io.micrometer.context.ContextRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The correlation context: MDC keys from {@code cairn.mdc.*}, the context carried into Boot's task
 * executors and schedulers, and (with context-propagation on the classpath) into Reactor and
 * anything else that uses Micrometer's context-propagation library.
 */
@AutoConfiguration(before = {TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "cairn.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CairnProperties.class)
public class CairnContextAutoConfiguration {

  /**
   * The MDC settings, installed process-wide as soon as the bean exists. Define your own {@link
   * MdcSettings} bean to take over.
   */
  @Bean
  @ConditionalOnMissingBean
  public MdcSettings cairnMdcSettings(CairnProperties properties) {
    CairnProperties.Mdc mdc = properties.getMdc();
    MdcSettings.Builder b =
        MdcSettings.builder()
            .enabled(mdc.isEnabled())
            .traceIdKey(mdc.getTraceIdKey())
            .spanIdKey(mdc.getSpanIdKey())
            .correlationIdKey(mdc.getCorrelationIdKey());
    mdc.getBaggageKeys().forEach(b::addBaggageKey);
    MdcSettings settings = b.build();
    CorrelationMdc.install(settings);
    return settings;
  }

  /** Carries the context into {@code @Async} and {@code @Scheduled} tasks. */
  @Bean
  @ConditionalOnMissingBean(CairnTaskDecorator.class)
  public CairnTaskDecorator cairnTaskDecorator() {
    return new CairnTaskDecorator();
  }

  /**
   * In a reactive web application, warns once when Reactor's automatic context propagation cannot
   * run (see {@link ReactiveContextPropagationCheck}).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  static class ReactiveContextPropagationCheckConfiguration {
    ReactiveContextPropagationCheckConfiguration(Environment env) {
      ReactiveContextPropagationCheck.check(env, ReactiveContextPropagationCheck.class.getClassLoader());
    }
  }

  /** Registers Cairn's context with Micrometer's context-propagation library. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ContextRegistry.class)
  static class ContextPropagationConfiguration {
    ContextPropagationConfiguration() {
      TraceContextAccessor.register(ContextRegistry.getInstance());
    }
  }
}
