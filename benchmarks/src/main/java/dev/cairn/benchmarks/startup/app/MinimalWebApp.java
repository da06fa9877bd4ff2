package dev.cairn.benchmarks.startup.app;

import java.lang.management.ManagementFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The smallest Spring MVC application: one controller. {@link
 * dev.cairn.benchmarks.startup.StartupBenchmark} starts it with and without Cairn's starter on the
 * class path; the code is the same, so the difference is what the starter adds.
 */
@SpringBootApplication
@RestController
public class MinimalWebApp {

  /** Starts the application with the given Boot arguments. */
  public static void main(String[] args) {
    SpringApplication.run(MinimalWebApp.class, args);
  }

  /** The request the benchmark waits for. */
  @GetMapping("/hello")
  public String hello() {
    return "hello";
  }

  /**
   * Heap used after a full collection, loaded classes and live threads, space-separated: what the
   * process holds once started, measured the same way in both variants.
   */
  @GetMapping("/stats")
  public String stats() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory();
    return used
        + " "
        + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount()
        + " "
        + ManagementFactory.getThreadMXBean().getThreadCount();
  }
}
