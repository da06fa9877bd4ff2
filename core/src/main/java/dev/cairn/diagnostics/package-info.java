/**
 * The in-process diagnostics surface. {@link dev.cairn.diagnostics.Diagnostics} holds the
 * endpoints (thread dumps with deadlocks, heap histogram and dump, JVM state, redacted properties
 * and environment, recent errors, slow spans and traces, Cairn's health, meters, the environment
 * {@link dev.cairn.diagnostics.Fingerprint}) and applies the access rules; {@link
 * dev.cairn.diagnostics.DiagnosticsServer} serves it on loopback with a bearer token; {@link
 * dev.cairn.diagnostics.DiagnosticsContributor} lets other modules add endpoints. {@link
 * dev.cairn.diagnostics.FingerprintDiff} compares two fingerprints (API and command line).
 */
package dev.cairn.diagnostics;
