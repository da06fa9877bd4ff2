package dev.cairn;

import dev.cairn.resource.Resource;
import dev.cairn.span.Sampler;
import dev.cairn.span.SpanLimits;
import java.time.Duration;

/**
 * The immutable configuration a {@link Cairn} instance was built with (what {@code
 * Cairn.builder()} set, with defaults filled in).
 *
 * @param enabled false for the no-op instance
 * @param resource what every exported signal says about its origin ({@code service.name}, host,
 *     process, container, Kubernetes pod)
 * @param sampler the span sampler
 * @param spanLimits the span limits
 * @param closeTimeout how long {@link Cairn#close()} waits for exporters
 * @param shutdownHook whether a JVM shutdown hook closes the instance
 */
public record CairnConfig(
    boolean enabled,
    Resource resource,
    Sampler sampler,
    SpanLimits spanLimits,
    Duration closeTimeout,
    boolean shutdownHook) {

  /** The {@code service.name} of the resource. */
  public String serviceName() {
    return resource.serviceName();
  }
}
