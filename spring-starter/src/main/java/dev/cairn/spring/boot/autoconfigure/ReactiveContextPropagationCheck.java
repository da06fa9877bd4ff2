package dev.cairn.spring.boot.autoconfigure;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Says once, at the start of a reactive web application, when its log lines cannot carry trace
 * ids. A WebFlux request's observation lives in Reactor's context, not on a thread; only Reactor's
 * automatic context propagation, through Micrometer's context-propagation library, makes it (and
 * with it Cairn's context and MDC ids) current in handlers and operators. Without either, every
 * line's correlation column is empty and nothing else tells the user why.
 */
final class ReactiveContextPropagationCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ReactiveContextPropagationCheck.class);

  private ReactiveContextPropagationCheck() {}

  /** Logs the warning that applies, if any; returns it (empty when all is in place) for tests. */
  static String check(Environment env, ClassLoader loader) {
    String warning = warning(env, loader);
    if (!warning.isEmpty()) {
      LOG.warn(warning);
    }
    return warning;
  }

  static String warning(Environment env, ClassLoader loader) {
    if (!ClassUtils.isPresent("reactor.core.publisher.Hooks", loader)) {
      return ""; // a reactive application on another library than Reactor: nothing Cairn can check
    }
    if (!ClassUtils.isPresent("io.micrometer.context.ContextRegistry", loader)) {
      return "io.micrometer:context-propagation is not on the class path (the Cairn starter brings it; was it "
          + "excluded?): log lines written in WebFlux handlers and Reactor operators carry no trace or span ids. "
          + "Add io.micrometer:context-propagation to the application.";
    }
    if (!ClassUtils.isPresent("org.springframework.boot.reactor.autoconfigure.ReactorAutoConfiguration", loader)) {
      return "spring-boot-reactor is not on the class path (spring-boot-starter-webflux brings it): nothing turns on "
          + "Reactor's automatic context propagation, so log lines written in WebFlux handlers and Reactor operators "
          + "carry no trace or span ids. Add org.springframework.boot:spring-boot-reactor to the application.";
    }
    String mode = env.getProperty(CairnReactorEnvironmentPostProcessor.PROPERTY, "");
    if (!"auto".equals(mode.trim().toLowerCase(Locale.ROOT))) {
      return CairnReactorEnvironmentPostProcessor.PROPERTY + "=" + mode.trim() + ": Reactor's automatic context "
          + "propagation is off, so log lines written in WebFlux handlers and Reactor operators carry no trace or "
          + "span ids. Remove the property (Cairn then sets auto) or set it to auto.";
    }
    return "";
  }
}
