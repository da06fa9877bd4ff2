package dev.cairn.spring.boot.autoconfigure;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Checks the application's {@code cairn.*} properties once at start and logs a WARN, naming the
 * closest known property, for each that nothing binds (see {@link CairnUnknownPropertiesCheck}).
 * Runs whether or not Cairn is enabled: a misspelt {@code cairn.enabled} is a mistake too.
 */
@AutoConfiguration
public class CairnPropertiesCheckAutoConfiguration {

  /** Runs the check once every singleton exists, so it never delays or fails a bean. */
  @Bean
  public static SmartInitializingSingleton cairnUnknownPropertiesCheck(Environment env) {
    return () -> CairnUnknownPropertiesCheck.check(
        env, CairnPropertiesCheckAutoConfiguration.class.getClassLoader());
  }
}
