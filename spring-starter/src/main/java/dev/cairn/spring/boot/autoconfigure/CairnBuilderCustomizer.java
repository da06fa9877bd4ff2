package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.Cairn;

/**
 * Adjusts the {@link Cairn.Builder} of the auto-configured {@link Cairn} bean before it is built:
 * add span listeners, sinks, exporters or pipelines without replacing the bean. Every bean of this
 * type is applied, in {@link org.springframework.core.annotation.Order order}, after the
 * properties.
 */
@FunctionalInterface
public interface CairnBuilderCustomizer {
  /** Changes {@code builder}; called once, on the thread that creates the Cairn bean. */
  void customize(Cairn.Builder builder);
}
