package dev.cairn.diagnostics;

import java.util.List;

/**
 * Adds endpoints to the diagnostics surface from a module core does not know (the JFR module adds
 * its black box this way). Found with {@link java.util.ServiceLoader} (a {@code
 * META-INF/services/dev.cairn.diagnostics.DiagnosticsContributor} entry) or registered through
 * {@link Diagnostics.Builder#contributor}.
 *
 * <p>Endpoint paths should start with {@code /} + {@link #name()}; a path already taken by an
 * earlier endpoint is skipped (and reported once).
 */
public interface DiagnosticsContributor {
  /** A short lowercase name, e.g. {@code jfr}. */
  String name();

  /** The endpoints, read once when the surface is built. */
  List<DiagnosticsEndpoint> endpoints();
}
