package dev.cairn.spring.boot.autoconfigure;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Turns on Reactor's automatic context propagation ({@code spring.reactor.context-propagation=auto})
 * when the application has Reactor and Micrometer's context-propagation library, so that Cairn's
 * context and MDC ids are current in reactive handlers and operators, also after a thread hop,
 * with no user code.
 *
 * <p>Boot's own default is {@code limited} (only Reactor's {@code handle} and {@code tap}
 * operators see thread-locals); a log line written in a WebFlux handler after a {@code
 * publishOn} or a {@code Mono.delay} would then carry no trace id. The value is a fallback of the
 * lowest precedence: any {@code spring.reactor.context-propagation} the application sets wins,
 * and {@code cairn.enabled=false} leaves it alone.
 */
public final class CairnReactorEnvironmentPostProcessor implements EnvironmentPostProcessor {
  static final String SOURCE_NAME = "cairnReactorContextPropagation";
  static final String PROPERTY = "spring.reactor.context-propagation";

  private final boolean libraries;

  /** Created by Spring Boot from {@code META-INF/spring.factories}. */
  public CairnReactorEnvironmentPostProcessor() {
    this(present("reactor.core.publisher.Hooks") && present("io.micrometer.context.ContextRegistry"));
  }

  CairnReactorEnvironmentPostProcessor(boolean libraries) {
    this.libraries = libraries;
  }

  private static boolean present(String className) {
    return ClassUtils.isPresent(className, CairnReactorEnvironmentPostProcessor.class.getClassLoader());
  }

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    if (!libraries
        || !env.getProperty("cairn.enabled", Boolean.class, true)
        || env.getProperty(PROPERTY) != null) {
      return;
    }
    env.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of(PROPERTY, "auto")));
  }
}
