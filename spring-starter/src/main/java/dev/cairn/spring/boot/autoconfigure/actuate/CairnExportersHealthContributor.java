package dev.cairn.spring.boot.autoconfigure.actuate;

import dev.cairn.diagnostics.Redactor;
import dev.cairn.pipeline.ExporterHealth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of Cairn's exporters: one child per exporter, named {@code <signal>-<exporter>} (for
 * example {@code spans-otlp}), with its queue, exported, dropped and failed counts, the latest
 * error, and the times of the latest accepted and failed export.
 *
 * <p>An exporter whose latest export failed is still {@code UP} (with {@code failing: true}) unless
 * built with {@code downOnFailure}: a telemetry backend being down is no reason to take the
 * application out of its load balancer. The children are read from the snapshot source at every
 * call, so the contributor stays correct while exporters come and go.
 */
public final class CairnExportersHealthContributor implements CompositeHealthContributor {
  private static final Redactor REDACTOR = Redactor.defaults();

  private final Supplier<List<ExporterHealth>> source;
  private final boolean downOnFailure;

  /**
   * @param source the exporters' current health, e.g. {@code cairn::exporterHealth}
   * @param downOnFailure report {@code DOWN} for an exporter whose latest export failed
   */
  public CairnExportersHealthContributor(Supplier<List<ExporterHealth>> source, boolean downOnFailure) {
    this.source = Objects.requireNonNull(source, "source");
    this.downOnFailure = downOnFailure;
  }

  @Override
  public HealthContributor getContributor(String name) {
    return named().containsKey(name) ? indicator(name) : null;
  }

  @Override
  public Stream<Entry> stream() {
    List<Entry> entries = new ArrayList<>();
    for (String name : named().keySet()) {
      entries.add(new Entry(name, indicator(name)));
    }
    return entries.stream();
  }

  private HealthIndicator indicator(String name) {
    // Looked up again at every call: the snapshot is cheap and always current.
    return () -> {
      ExporterHealth h = named().get(name);
      return h == null ? Health.unknown().build() : health(h, downOnFailure);
    };
  }

  /** The exporters by child name; a name that repeats gets a numeric suffix. */
  private Map<String, ExporterHealth> named() {
    Map<String, ExporterHealth> out = new LinkedHashMap<>();
    List<ExporterHealth> all;
    try {
      all = source.get();
    } catch (RuntimeException e) {
      // A failing source must not fail the health endpoint as a whole: no children then.
      return out;
    }
    for (ExporterHealth h : all) {
      String base = sanitize(h.signal() + "-" + h.exporter());
      String name = base;
      for (int i = 2; out.containsKey(name); i++) {
        name = base + "-" + i;
      }
      out.put(name, h);
    }
    return out;
  }

  static String sanitize(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      b.append(ok ? c : '_');
    }
    return b.toString();
  }

  static Health health(ExporterHealth h, boolean downOnFailure) {
    boolean failing = h.failing();
    Health.Builder b = failing && downOnFailure ? Health.down() : Health.up();
    b.withDetail("signal", h.signal())
        .withDetail("exporter", h.exporter())
        .withDetail("failing", failing)
        .withDetail("queued", h.queued())
        .withDetail("capacity", h.capacity())
        .withDetail("exported", h.exported())
        .withDetail("dropped", h.dropped())
        .withDetail("droppedByReason", h.droppedByReason())
        .withDetail("failed", h.failed())
        .withDetail("failedByReason", h.failedByReason())
        .withDetail("batches", h.batches());
    // Redacted as on Cairn's diagnostics page: a receiver's message may echo a token or a URL's user info.
    h.lastError().ifPresent(e -> b.withDetail("lastError", REDACTOR.redactValue(e)));
    h.lastSuccess().ifPresent(t -> b.withDetail("lastSuccess", t.toString()));
    h.lastFailure().ifPresent(t -> b.withDetail("lastFailure", t.toString()));
    return b.build();
  }
}
