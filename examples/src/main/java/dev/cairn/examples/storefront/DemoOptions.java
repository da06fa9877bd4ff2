package dev.cairn.examples.storefront;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What the demo driver was asked to do. Every option is a {@code --name=value} argument, with an
 * environment variable ({@code CAIRN_DEMO_NAME}) as fallback so the demo can be steered through
 * {@code mvn -Pdemo verify} without editing anything.
 *
 * @param duration how long the load driver runs
 * @param untilInterrupted keep the services up after the load until Ctrl-C
 * @param outputDir where logs, spans, dumps and the journal go
 * @param logFormat the log format of all three services (cairn, ecs, logstash, gcp, gelf)
 * @param ordersPort fixed port of the orders service, 0 for a free one
 * @param inventoryPort fixed port of the inventory service, 0 for a free one
 * @param paymentsPort fixed port of the payments service, 0 for a free one
 */
public record DemoOptions(
    Duration duration,
    boolean untilInterrupted,
    Path outputDir,
    String logFormat,
    int ordersPort,
    int inventoryPort,
    int paymentsPort) {

  /** Reads {@code --duration=20s}, {@code --until-interrupted}, {@code --out=…}, {@code --log-format=…} and the ports. */
  public static DemoOptions parse(String[] rawArgs, Map<String, String> env) {
    // Maven's exec plugin hands -Ddemo.args="--a=1 --b=2" over as one argument.
    String[] args = java.util.Arrays.stream(rawArgs)
        .flatMap(a -> java.util.Arrays.stream(a.trim().split("\\s+")))
        .filter(a -> !a.isEmpty())
        .toArray(String[]::new);
    String duration = setting(args, env, "duration", "20s");
    String untilInterrupted = setting(args, env, "until-interrupted", "false");
    return new DemoOptions(
        parseDuration(duration),
        untilInterrupted.isEmpty() || Boolean.parseBoolean(untilInterrupted),
        Path.of(setting(args, env, "out", "target/demo")).toAbsolutePath(),
        setting(args, env, "log-format", "cairn"),
        Integer.parseInt(setting(args, env, "orders-port", "0")),
        Integer.parseInt(setting(args, env, "inventory-port", "0")),
        Integer.parseInt(setting(args, env, "payments-port", "0")));
  }

  private static String setting(String[] args, Map<String, String> env, String name, String dflt) {
    for (String a : args) {
      if (a.equals("--" + name)) {
        return "";
      }
      if (a.startsWith("--" + name + "=")) {
        return a.substring(name.length() + 3);
      }
    }
    String fromEnv = env.get("CAIRN_DEMO_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
    return fromEnv == null || fromEnv.isBlank() ? dflt : fromEnv.trim();
  }

  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    if (t.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(t));
  }
}
