package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.jfr.CairnJfr;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** When the starter records log lines as cairn.Log JFR events, and when it stays out. */
class CairnJfrLogsAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(
              CairnJfrLogsAutoConfiguration.class, CairnJfrAutoConfiguration.class));

  @Configuration(proxyBeanMethods = false)
  static class OwnJfr {
    @Bean(destroyMethod = "close")
    CairnJfr cairnJfr() {
      return CairnJfr.builder().build();
    }
  }

  @Test
  void warningsAreRecordedByDefaultAndInfoLinesAreNot(@TempDir Path dir) throws Exception {
    runner.run(context -> {
      org.slf4j.Logger log = LoggerFactory.getLogger("shop.browse");
      List<RecordedEvent> events = JfrLogEventsIntegrationTest.logEventsDuring(dir, () -> {
        log.info("browsing {}", "A-2");
        log.warn("cart abandoned");
      });
      assertThat(events).extracting(e -> e.getString("message")).contains("cart abandoned").doesNotContain("browsing A-2");
    });
  }

  @Test
  void aMinimumLevelOfInfoRecordsInfoLines(@TempDir Path dir) throws Exception {
    runner.withPropertyValues("cairn.jfr.log.min-level=INFO").run(context -> {
      org.slf4j.Logger log = LoggerFactory.getLogger("shop.browse");
      List<RecordedEvent> events = JfrLogEventsIntegrationTest.logEventsDuring(dir, () -> log.info("browsing {}", "A-2"));
      assertThat(events).extracting(e -> e.getString("message")).contains("browsing A-2");
    });
  }

  @Test
  void backsOffForTheApplicationsOwnCairnJfr() {
    runner.withUserConfiguration(OwnJfr.class)
        .run(context -> assertThat(context).doesNotHaveBean(CairnJfrLogsAutoConfiguration.CairnJfrLogs.class));
  }

  @Test
  void canBeSwitchedOff() {
    runner.withPropertyValues("cairn.jfr.log.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(CairnJfrLogsAutoConfiguration.CairnJfrLogs.class));
    runner.withPropertyValues("cairn.jfr.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(CairnJfrLogsAutoConfiguration.CairnJfrLogs.class));
  }

  @Test
  void aMisspeltMinimumLevelFailsStartupNamingTheProperty() {
    runner.withPropertyValues("cairn.jfr.log.min-level=WARNING!")
        .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("cairn.jfr.log.min-level"));
  }
}
