package dev.cairn;

import dev.cairn.span.Sampler;
import dev.cairn.span.SpanLimits;
import java.time.Duration;

/**
 * The immutable configuration a {@link Cairn} instance was built with (what {@code
 * Cairn.builder()} set, with defaults filled in).
 *
 * @param enabled false for the no-op instance
 * @param serviceName the {@code service.name} resource attribute
 * @param sampler the span sampler
 * @param spanLimits the span limits
 * @param closeTimeout how long {@link Cairn#close()} waits for exporters
 * @param shutdownHook whether a JVM shutdown hook closes the instance
 */
public record CairnConfig(
    boolean enabled,
    String serviceName,
    Sampler sampler,
    SpanLimits spanLimits,
    Duration closeTimeout,
    boolean shutdownHook) {}
