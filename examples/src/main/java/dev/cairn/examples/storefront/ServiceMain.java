package dev.cairn.examples.storefront;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;

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
    List<String> all = new ArrayList<>(List.of(args));
    for (String a : args) {
      if (a.startsWith("--demo.role=")) {
        role = a.substring("--demo.role=".length());
      }
    }
    all.add("--spring.application.name=" + role);
    String finalRole = role;
    SpringApplication app = new SpringApplication(StorefrontApplication.class);
    app.addListeners(
        (WebServerInitializedEvent e) ->
            System.out.println(
                READY
                    + " role="
                    + finalRole
                    + " url=http://127.0.0.1:"
                    + e.getWebServer().getPort()
                    + " pid="
                    + ProcessHandle.current().pid()));
    app.run(all.toArray(String[]::new));
  }
}
