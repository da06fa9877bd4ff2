package dev.cairn.spring.boot.autoconfigure;

import java.util.Locale;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Resolves {@code cairn.tracing.mode}: {@code auto} (the default) becomes {@code micrometer} when
 * the application has a Micrometer Tracing {@code Tracer} bean (from Boot's Brave or OpenTelemetry
 * tracing auto-configuration, or its own) and {@code cairn} otherwise. Boot's no-op tracer, which
 * it defines when no bridge is present, does not count.
 *
 * <p>Evaluated when beans are registered, after Boot's tracing auto-configurations (see {@link
 * CairnObservationAutoConfiguration}), so their tracer definitions are visible.
 */
abstract class TracingModeCondition extends SpringBootCondition implements ConfigurationCondition {
  static final String PROPERTY = "cairn.tracing.mode";
  static final String TRACER = "io.micrometer.tracing.Tracer";
  private static final String NOOP_TRACER_CONFIGURATION = "NoopTracerAutoConfiguration";

  private final String wanted;

  TracingModeCondition(String wanted) {
    this.wanted = wanted;
  }

  @Override
  public ConfigurationPhase getConfigurationPhase() {
    return ConfigurationPhase.REGISTER_BEAN;
  }

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    String configured = configuredMode(context.getEnvironment());
    String effective = configured;
    if ("auto".equals(configured)) {
      effective = micrometerTracerPresent(context.getBeanFactory()) ? "micrometer" : "cairn";
    }
    String message = PROPERTY + "=" + configured + (configured.equals(effective) ? "" : " (" + effective + ")");
    return wanted.equals(effective) ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
  }

  /** The configured mode, lower-cased; {@code auto} when unset. Unknown values fail start-up. */
  static String configuredMode(Environment env) {
    String mode = env.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    switch (mode) {
      case "auto":
      case "cairn":
      case "micrometer":
      case "off":
        return mode;
      default:
        throw new IllegalArgumentException(
            PROPERTY + ": unknown mode '" + mode + "'; valid: auto, cairn, micrometer, off");
    }
  }

  /** True when a Micrometer Tracing tracer other than Boot's no-op one is defined. */
  static boolean micrometerTracerPresent(ConfigurableListableBeanFactory beanFactory) {
    if (beanFactory == null || !ClassUtils.isPresent(TRACER, TracingModeCondition.class.getClassLoader())) {
      return false;
    }
    Class<?> tracer = ClassUtils.resolveClassName(TRACER, TracingModeCondition.class.getClassLoader());
    for (String name : beanFactory.getBeanNamesForType(tracer, true, false)) {
      if (!isBootNoopTracer(beanFactory, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBootNoopTracer(ConfigurableListableBeanFactory beanFactory, String name) {
    if (!beanFactory.containsBeanDefinition(name)) {
      return false;
    }
    BeanDefinition d = beanFactory.getBeanDefinition(name);
    String factory = d.getFactoryBeanName();
    return factory != null && factory.endsWith(NOOP_TRACER_CONFIGURATION);
  }

  /** Cairn's observation handler records spans and writes headers. */
  static final class CairnMode extends TracingModeCondition {
    CairnMode() {
      super("cairn");
    }
  }

  /** Micrometer Tracing records spans; Cairn mirrors its current span. */
  static final class MicrometerMode extends TracingModeCondition {
    MicrometerMode() {
      super("micrometer");
    }
  }
}
