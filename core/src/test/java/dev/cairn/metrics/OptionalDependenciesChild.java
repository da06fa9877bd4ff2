package dev.cairn.metrics;

/**
 * A child JVM for {@link OptionalDependenciesTest}: the documented smallest setup on a class path
 * without an optional jar, printing what a user would see.
 */
public final class OptionalDependenciesChild {
  private OptionalDependenciesChild() {}

  public static void main(String[] args) {
    MetricsSettings.Builder settings = MetricsSettings.builder();
    if (args[0].equals("otlp")) {
      settings.otlpEndpoint("http://127.0.0.1:9/v1/metrics"); // never reached: no registry
    }
    try (CairnMetrics metrics = CairnMetrics.create(settings.build())) {
      metrics.registry().counter("orders.placed", "region", "eu").increment();
      System.out.println("started");
      // The feature asked for three times: it says why it is missing once.
      for (int i = 0; i < 3; i++) {
        System.out.println("prometheus " + metrics.prometheusText().isPresent());
        System.out.println("openmetrics " + metrics.openMetricsText().isPresent());
      }
    }
    System.out.println("closed");
  }
}
