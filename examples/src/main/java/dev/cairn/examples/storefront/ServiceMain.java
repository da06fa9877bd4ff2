package dev.cairn.examples.storefront;

import dev.cairn.diagnostics.Fingerprint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts one storefront service ({@code --demo.role=orders|inventory|payments}) and prints one
 * {@code CAIRN-DEMO READY} line with its base URL and process id once its port is bound, which
 * is what the demo driver (and anyone else) waits for.
 */
public final class ServiceMain {
  static final String READY = "CAIRN-DEMO READY";

  private ServiceMain() {}

  public static void main(String[] args) {
    String role = "orders";
    Path out = Path.of("target/demo");
    List<String> all = new ArrayList<>(List.of(args));
    for (String a : args) {
      if (a.startsWith("--demo.role=")) {
        role = a.substring("--demo.role=".length());
      } else if (a.startsWith("--demo.out=")) {
        out = Path.of(a.substring("--demo.out=".length()));
      }
    }
    Path fingerprint = out.resolve(role + ".fingerprint.json");
    all.add("--spring.application.name=" + role);
    String finalRole = role;
    SpringApplication app = new SpringApplication(StorefrontApplication.class);
    Path spans = out.resolve("spans-" + role + ".ndjson");
    app.addListeners(
        (ApplicationEnvironmentPreparedEvent e) -> defaultExportToFile(e.getEnvironment(), spans));
    app.addListeners(
        (WebServerInitializedEvent e) -> {
          writeFingerprint(fingerprint);
          System.out.println(
                READY
                    + " role="
                    + finalRole
                    + " url=http://127.0.0.1:"
                    + e.getWebServer().getPort()
                    + " pid="
                    + ProcessHandle.current().pid());
        });
    app.run(all.toArray(String[]::new));
  }

  /**
   * When nothing says where spans go ({@code cairn.export.endpoint} or {@code
   * cairn.export.traces.endpoint} from any source, including the {@code OTEL_EXPORTER_OTLP_*}
   * variables the starter maps onto them before this runs), the demo writes them to {@code spans}
   * as NDJSON. Added last, so every setting of the user's wins.
   */
  static void defaultExportToFile(ConfigurableEnvironment env, Path spans) {
    if (blank(env.getProperty("cairn.export.endpoint"))
        && blank(env.getProperty("cairn.export.traces.endpoint"))) {
      env.getPropertySources().addLast(new MapPropertySource("demoExportDefaults", Map.of(
          "cairn.export.protocol", "ndjson",
          "cairn.export.endpoint", spans.toAbsolutePath().toString())));
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** This instance's environment fingerprint, for the demo's "what differs between pods" step. */
  private static void writeFingerprint(Path file) {
    try {
      Files.writeString(file, Fingerprint.capture().toJson(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("could not write " + file + ": " + e);
    }
  }
}
