package dev.cairn.spring.boot.autoconfigure;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.jfr.FlightRecorderApplicationStartup;
import org.springframework.util.ClassUtils;

/**
 * Records Spring's start-up steps (bean definitions, instantiation, context refresh, ...) as JFR
 * events, through spring-core's {@link FlightRecorderApplicationStartup}, when Cairn's JFR side is
 * on ({@code cairn.enabled}, {@code cairn.jfr.enabled}) and {@code cairn.jfr.application-startup}
 * is not false. An application that set its own {@link ApplicationStartup} keeps it.
 *
 * <p>It runs once the environment is ready (so {@code application.properties} can switch it off)
 * and before the application context is created, so every step of the context is recorded; the
 * few steps Boot takes before that (the start-up listeners) are not. The events cost a check while
 * no recording runs; to keep them, start JFR with the JVM ({@code -XX:StartFlightRecording}).
 */
public final class CairnApplicationStartupPostProcessor implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    if (application == null
        || !env.getProperty("cairn.enabled", Boolean.class, true)
        || !env.getProperty("cairn.jfr.enabled", Boolean.class, true)
        || !env.getProperty("cairn.jfr.application-startup", Boolean.class, true)
        || !ClassUtils.isPresent("jdk.jfr.FlightRecorder", application.getClassLoader())) {
      return;
    }
    // DEFAULT is the no-op Spring uses when nobody chose one; anything else is the application's.
    if (application.getApplicationStartup() == ApplicationStartup.DEFAULT) {
      application.setApplicationStartup(new FlightRecorderApplicationStartup());
    }
  }
}
