package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.TestClassPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The WebFlux application of {@link WebFluxLogCorrelationIntegrationTest} in a forked JVM
 * whose class path lacks Micrometer's context-propagation library, as when an application excludes
 * it from the starter: nothing can make the request's context current on Reactor's threads, so the
 * starter says so at start instead of leaving the correlation column silently empty.
 */
@Timeout(300)
class ReactorNettyWithoutContextPropagationForkedTest {

  /** The forked application: one request with a traceparent, then the handler's log line. */
  public static class Main {
    public static void main(String[] args) throws Exception {
      Path log = Path.of(args[0]);
      ConfigurableApplicationContext app = WebFluxLogCorrelationIntegrationTest.start(log);
      try {
        WebFluxLogCorrelationIntegrationTest.get(app, "/hop", "9bf92f3577b34da6a3ce929d0e0e4736");
        System.out.println("HANDLER LINE: " + WebFluxLogCorrelationIntegrationTest.awaitLine(log, "hopping"));
      } finally {
        WebFluxLogCorrelationIntegrationTest.stop(app);
      }
    }
  }

  @Test
  void reactiveApplication_withoutContextPropagation_warnsAtStartThatLogLinesCarryNoIds(@TempDir Path dir)
      throws Exception {
    List<Path> cp = TestClassPath.without(p -> p.contains("/io/micrometer/context-propagation/"));
    assertThat(cp).hasSizeLessThan(TestClassPath.entries().size());
    Path log = dir.resolve("shop.log");
    TestClassPath.Result r =
        TestClassPath.runJava(dir, cp, List.of("-Xshare:auto"), Main.class.getName(), log.toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    // The symptom the warning explains: the handler's line has an empty correlation column.
    assertThat(r.output()).containsPattern("HANDLER LINE: .*\\[ {49}\\] shop");
    assertThat(Files.readString(log, StandardCharsets.UTF_8))
        .contains("WARN")
        .contains("io.micrometer:context-propagation is not on the class path");
  }
}
