package dev.cairn.jfr;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import dev.cairn.jfr.internal.JfrSinks;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A small Cairn application run in a child JVM by the jcmd tests. Commands on stdin, one a line:
 * {@code spans N} runs N requests (each a root span that sleeps 20 ms inside its scope) and prints
 * {@code TRACE <id>} for each, then {@code DONE}; {@code quit} exits.
 */
public final class ForkedApp {
  private ForkedApp() {}

  public static void main(String[] args) throws Exception {
    CairnJfr jfr = CairnJfr.builder().build();
    System.out.println("PID " + ProcessHandle.current().pid());
    // With "jcmd-settings", as the Spring starter does at start: write the settings files for
    // this process and print the command an operator would copy from the log.
    JcmdSettings settings =
        args.length > 0 && args[0].equals("jcmd-settings") ? JcmdSettings.writeForThisProcess() : null;
    if (settings != null) {
      System.out.println("JCMD " + settings.startCommand());
    }
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("spans ")) {
        int n = Integer.parseInt(line.substring(6).trim());
        for (int i = 0; i < n; i++) {
          TraceContext ctx = TraceContext.newRoot(true);
          try (Scope ignored = ctx.makeCurrent()) {
            Object span = JfrSinks.spanStart();
            Thread.sleep(20);
            JfrSinks.spanEnd(span, ctx, "GET /orders/" + i, "SERVER", "OK");
          }
          System.out.println("TRACE " + ctx.traceIdHex());
        }
        System.out.println("DONE");
        System.out.flush();
      } else if (line.equals("quit")) {
        break;
      }
    }
    if (settings != null && !(args.length > 1 && args[1].equals("leave-to-exit"))) {
      settings.close();
    }
    jfr.close();
  }
}
