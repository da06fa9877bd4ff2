/**
 * The in-process diagnostics surface: the environment {@link dev.cairn.diagnostics.Fingerprint}
 * and its {@link dev.cairn.diagnostics.FingerprintDiff}, secret {@link
 * dev.cairn.diagnostics.Redactor redaction}, and (in later parts) thread dumps, heap histograms,
 * recent errors and the loopback server.
 */
package dev.cairn.diagnostics;
