package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.Cairn;
import dev.cairn.internal.export.ExportConfig;
import dev.cairn.pipeline.ExporterHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The one INFO line an application logs at start saying where each signal goes, so that nobody
 * has to guess from properties whether log lines leave the process:
 *
 * <pre>
 * Cairn export: spans -&gt; otlp http://collector:4318/v1/traces; logs -&gt; not exported (no
 * cairn.export.logs.endpoint); metrics -&gt; not exported by Cairn (Micrometer registries: SimpleMeterRegistry)
 * </pre>
 *
 * URLs are shown without user information or query string (either may hold a credential); headers
 * are never shown.
 */
final class CairnExportSummary {
  private CairnExportSummary() {}

  /** The line, from the properties, the Cairn bean's span exporters and Micrometer's registries. */
  static String line(CairnProperties properties, ListableBeanFactory beans) {
    return "Cairn export: spans -> "
        + spans(properties, beans)
        + "; logs -> "
        + CairnLogsExportAutoConfiguration.describe(properties.getExport())
        + "; metrics -> "
        + metrics(beans);
  }

  /**
   * Where spans go. The properties say where the starter's exporter sends them; the Cairn bean says
   * which exporters exist (an application's own Cairn bean has its own, or none).
   */
  static String spans(CairnProperties properties, ListableBeanFactory beans) {
    List<String> actual = null;
    Cairn cairn = beans.getBeanProvider(Cairn.class).getIfUnique();
    if (cairn != null) {
      actual = new ArrayList<>();
      for (ExporterHealth h : cairn.exporterHealth()) {
        if ("spans".equals(h.signal())) {
          actual.add(h.exporter());
        }
      }
    }
    String configured = configuredSpans(properties.getExport());
    String out;
    if (actual == null) {
      out = configured;
    } else if (configured.startsWith("not exported")) {
      out = actual.isEmpty() ? configured : "exporters of the Cairn bean: " + String.join(", ", actual);
    } else {
      String expected = configured.substring(0, configured.indexOf(' '));
      if (actual.contains(expected)) {
        List<String> others = new ArrayList<>(actual);
        others.remove(expected);
        out = others.isEmpty() ? configured : configured + " (and " + String.join(", ", others) + ")";
      } else {
        out = actual.isEmpty()
            ? "not exported (the application's Cairn bean has no span exporter)"
            : "exporters of the application's Cairn bean: " + String.join(", ", actual);
      }
    }
    if (beans.containsBean("cairnMicrometerTracingContextHandler")) {
      out += " (HTTP spans are recorded and reported by Micrometer Tracing)";
    }
    return out;
  }

  /** Where the starter's span exporter sends, as {@code CairnTracingAutoConfiguration} builds it. */
  static String configuredSpans(CairnProperties.Export export) {
    CairnProperties.Export.Signal traces = export.getTraces();
    if (!traces.isEnabled()) {
      return "not exported (cairn.export.traces.enabled=false)";
    }
    boolean perSignal = traces.getEndpoint() != null;
    String endpoint = perSignal ? traces.getEndpoint() : export.getEndpoint();
    if (endpoint == null || endpoint.isBlank()) {
      return "not exported (no cairn.export.endpoint)";
    }
    String url = endpoint.trim();
    String protocol = traces.getProtocol() != null ? traces.getProtocol() : export.getProtocol();
    String p = protocol == null ? "otlp" : protocol.trim().toLowerCase(Locale.ROOT);
    switch (p) {
      case "otlp":
        return "otlp " + safeUrl(perSignal ? url : appendPath(url, "/v1/traces"));
      case "zipkin":
        return "zipkin "
            + safeUrl(url.endsWith("/api/v2/spans") ? url : url.replaceAll("/+$", "") + "/api/v2/spans");
      case "ndjson":
        return "ndjson " + url;
      default:
        return "not exported (unknown protocol " + p + ")";
    }
  }

  /** Micrometer's registries: Cairn guards them but exports no metrics itself. */
  static String metrics(ListableBeanFactory beans) {
    List<String> registries = new ArrayList<>();
    for (String name : beans.getBeanNamesForType(MeterRegistry.class, true, false)) {
      Class<?> type = beans.getType(name);
      if (type != null && !CompositeMeterRegistry.class.isAssignableFrom(type)) {
        registries.add(type.getSimpleName());
      }
    }
    return "not exported by Cairn ("
        + (registries.isEmpty() ? "no Micrometer registry" : "Micrometer registries: " + String.join(", ", registries))
        + ")";
  }

  private static String appendPath(String base, String path) {
    try {
      return ExportConfig.appendPath(URI.create(base), path).toString();
    } catch (IllegalArgumentException e) {
      return base.replaceAll("/+$", "") + path;
    }
  }

  /** {@code url} without user information and query, which may carry credentials. */
  static String safeUrl(String url) {
    try {
      URI u = URI.create(url);
      if (u.getRawUserInfo() == null && u.getRawQuery() == null && u.getRawFragment() == null) {
        return url;
      }
      String host = u.getHost() == null ? "" : u.getHost();
      return u.getScheme() + "://" + host + (u.getPort() < 0 ? "" : ":" + u.getPort())
          + (u.getRawPath() == null ? "" : u.getRawPath())
          + (u.getRawQuery() == null ? "" : "?...");
    } catch (IllegalArgumentException e) {
      return "(not a URL)";
    }
  }
}
