package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.jfr.CairnJfr;
import dev.cairn.jfr.JcmdSettings;
import dev.cairn.jfr.testing.JfrAssertions;
import dev.cairn.jfr.testing.JfrCapture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class CairnJfrAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(
              CairnJfrAutoConfiguration.class, CairnTracingAutoConfiguration.class));

  @Test
  void spansOfTheAutoConfiguredCairnBecomeJfrEvents() {
    runner.run(context -> {
      try (JfrCapture capture = JfrCapture.start()) {
        context.getBean(Cairn.class).tracer("test").spanBuilder("checkout").startSpan().end();

        JfrAssertions.assertThat(capture.stop()).span("checkout").hasField("kind", "INTERNAL");
      }
    });
  }

  @Test
  void theBlackBoxIsOffUnlessADirectoryIsGiven() {
    runner.run(context -> assertThat(context.getBean(CairnJfr.class).blackBox()).isEmpty());
  }

  @Test
  void aDirectoryTurnsTheBlackBoxOn(@TempDir Path dir) {
    runner.withPropertyValues("cairn.jfr.black-box-directory=" + dir)
        .run(context -> assertThat(context.getBean(CairnJfr.class).blackBox())
            .hasValueSatisfying(box -> assertThat(box.directory()).isEqualTo(dir)));
  }

  @Test
  void aStallThresholdTurnsStallAttributionOn() {
    runner.withPropertyValues("cairn.jfr.stall-threshold=250ms")
        .run(context -> assertThat(context.getBean(CairnJfr.class).stallAttribution()).isPresent());
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void atStart_writesTheSettingsFilesAndLogsTheJcmdLineOnce(CapturedOutput output) {
    runner.run(context -> {
      JcmdSettings settings =
          context.getBean(CairnJfrAutoConfiguration.JcmdSettingsHolder.class).settings().orElseThrow();
      assertThat(settings.production()).exists().hasFileName("cairn.jfc");
      String line = "jcmd " + ProcessHandle.current().pid()
          + " JFR.start name=cairn settings=default settings=" + settings.production();
      assertThat(output.getOut().split(java.util.regex.Pattern.quote(line), -1)).hasSize(2);
    });
  }

  @Test
  void whenTheContextCloses_theSettingsFilesAreDeleted() {
    Path[] dir = new Path[1];
    runner.run(context -> dir[0] = context.getBean(CairnJfrAutoConfiguration.JcmdSettingsHolder.class)
        .settings().orElseThrow().directory());
    assertThat(dir[0]).doesNotExist();
  }

  @Test
  void canBeSwitchedOff() {
    runner.withPropertyValues("cairn.jfr.enabled=false")
        .run(context -> {
          assertThat(context).doesNotHaveBean(CairnJfr.class);
          assertThat(context).hasSingleBean(Cairn.class);
        });
  }

  @Test
  void backsOffForTheApplicationsOwnCairnJfr() {
    runner.withUserConfiguration(OwnJfr.class)
        .run(context -> assertThat(context.getBean(CairnJfr.class))
            .isSameAs(context.getBean(OwnJfr.class).jfr));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnJfr {
    final CairnJfr jfr = CairnJfr.builder().build();

    @Bean(destroyMethod = "close")
    CairnJfr myJfr() {
      return jfr;
    }
  }
}
