package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.jfr.FlightRecorderApplicationStartup;
import org.springframework.mock.env.MockEnvironment;

class CairnApplicationStartupPostProcessorTest {
  static final String STARTUP_EVENT = "org.springframework.core.metrics.jfr.FlightRecorderStartupEvent";

  @Configuration(proxyBeanMethods = false)
  static class Minimal {}

  static ApplicationStartup startupAfter(SpringApplication app, String... properties) {
    MockEnvironment env = new MockEnvironment();
    for (String p : properties) {
      String[] kv = p.split("=", 2);
      env.setProperty(kv[0], kv[1]);
    }
    new CairnApplicationStartupPostProcessor().postProcessEnvironment(env, app);
    return app.getApplicationStartup();
  }

  @Test
  void springsStartupStepsAreRecordedAsJfrEventsByDefault() {
    assertThat(startupAfter(new SpringApplication(Minimal.class))).isInstanceOf(FlightRecorderApplicationStartup.class);
  }

  @Test
  void theApplicationsOwnApplicationStartupIsKept() {
    SpringApplication app = new SpringApplication(Minimal.class);
    BufferingApplicationStartup own = new BufferingApplicationStartup(100);
    app.setApplicationStartup(own);
    assertThat(startupAfter(app)).isSameAs(own);
  }

  @Test
  void switchedOffWithCairnJfrApplicationStartupFalse() {
    assertThat(startupAfter(new SpringApplication(Minimal.class), "cairn.jfr.application-startup=false"))
        .isSameAs(ApplicationStartup.DEFAULT);
  }

  @Test
  void offWhenCairnJfrIsOff() {
    assertThat(startupAfter(new SpringApplication(Minimal.class), "cairn.jfr.enabled=false"))
        .isSameAs(ApplicationStartup.DEFAULT);
  }

  @Test
  void offWhenCairnIsOff() {
    assertThat(startupAfter(new SpringApplication(Minimal.class), "cairn.enabled=false"))
        .isSameAs(ApplicationStartup.DEFAULT);
  }

  @Test
  void aRealApplicationStartedUnderARecordingLeavesItsContextRefreshInTheRecording(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("startup.jfr");
    try (Recording recording = new Recording()) {
      recording.enable(STARTUP_EVENT);
      recording.start();
      SpringApplication app = new SpringApplication(Minimal.class);
      app.setWebApplicationType(WebApplicationType.NONE);
      try (ConfigurableApplicationContext context = app.run("--spring.main.banner-mode=off")) {
        assertThat(context.isActive()).isTrue();
      }
      recording.stop();
      recording.dump(file);
    }
    List<RecordedEvent> steps =
        RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().equals(STARTUP_EVENT)).toList();
    assertThat(steps).extracting(e -> e.getString("name"))
        .contains("spring.context.refresh", "spring.beans.instantiate");
  }
}
