package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.context.Scope;
import dev.cairn.context.TraceContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code cairn.logging.format} puts Cairn's encoder behind Boot's console logging. */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingTest {
  @AfterEach
  void leaveBootsLoggingDefaultsForTheNextApplication() {
    BootLoggingProperties.clear();
  }

  @SpringBootConfiguration
  static class App {}

  static ConfigurableApplicationContext run(String... args) {
    SpringApplication app = new SpringApplication(App.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    return app.run(args);
  }

  @Test
  void ecsFormat_writesOneJsonLinePerEventWithTheTraceId(CapturedOutput output) {
    TraceContext ctx = TraceContext.newRoot(true);
    try (ConfigurableApplicationContext c =
        run("--cairn.logging.format=ecs", "--spring.application.name=orders", "--spring.main.banner-mode=off")) {
      try (Scope ignored = ctx.makeCurrent()) {
        LoggerFactory.getLogger("orders").info("order placed");
      }
    }
    String line =
        output.getOut().lines().filter(l -> l.contains("order placed")).findFirst().orElseThrow();
    JsonNode json = JsonMapper.builder().build().readTree(line);
    assertThat(json.get("message").asString()).isEqualTo("order placed");
    assertThat(json.get("log.level").asString()).isEqualTo("INFO");
    assertThat(json.get("trace.id").asString()).isEqualTo(ctx.traceIdHex());
    assertThat(json.get("service.name").asString()).isEqualTo("orders");
  }

  @Test
  void gcpFormat_writesTheTraceAsTheResourceNameOfTheConfiguredProject(CapturedOutput output) {
    TraceContext ctx = TraceContext.newRoot(true);
    try (ConfigurableApplicationContext c =
        run("--cairn.logging.format=gcp", "--cairn.logging.gcp-project-id=shop-prod", "--spring.main.banner-mode=off")) {
      try (Scope ignored = ctx.makeCurrent()) {
        LoggerFactory.getLogger("orders").info("gcp line");
      }
    }
    String line =
        output.getOut().lines().filter(l -> l.contains("gcp line")).findFirst().orElseThrow();
    JsonNode json = JsonMapper.builder().build().readTree(line);
    assertThat(json.get("logging.googleapis.com/trace").asString())
        .isEqualTo("projects/shop-prod/traces/" + ctx.traceIdHex());
    assertThat(json.get("timestamp").get("seconds").isIntegralNumber()).isTrue();
  }

  @Test
  void anExplicitBootFormatWins() {
    try (ConfigurableApplicationContext c =
        run("--cairn.logging.format=ecs", "--logging.structured.format.console=logstash", "--spring.main.banner-mode=off")) {
      assertThat(c.getEnvironment().getProperty("logging.structured.format.console")).isEqualTo("logstash");
    }
  }

  @Test
  void unknownFormat_failsStartupNamingTheValidOnes() {
    assertThatThrownBy(() -> run("--cairn.logging.format=json", "--spring.main.banner-mode=off"))
        .hasMessageContaining("cairn.logging.format: unknown format 'json'")
        .hasMessageContaining("valid: cairn, ecs, logstash, gcp, gelf");
  }
}
