/**
 * Cairn's JFR integration: custom events for spans, context scopes, logs, metrics and Cairn's own
 * health, visible in any recording (for example {@code jcmd <pid> JFR.start}); {@code .jfc}
 * settings shipped in the jar; the black box; and per-request stall attribution.
 *
 * <p>Start with {@link dev.cairn.jfr.CairnJfr#builder()}.
 */
package dev.cairn.jfr;
