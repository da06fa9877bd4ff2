package dev.cairn.jfr;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link BlackBoxSecretsTest} in a JVM that holds secrets in its environment, system
 * properties, {@code JAVA_TOOL_OPTIONS} and program arguments: names a live thread after a
 * secret, starts a child process with a secret argument, lets the black box record, dumps it and
 * prints {@code DUMP <path>}.
 *
 * <p>Arguments: the black box directory, the thread name, the child process's secret argument,
 * then any program arguments (ignored, they are what is planted).
 */
public final class BlackBoxSecretsChild {
  private BlackBoxSecretsChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    CountDownLatch stop = new CountDownLatch(1);
    Thread named =
        new Thread(
            () -> {
              try {
                stop.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            args[1]);
    try (CairnJfr jfr =
        CairnJfr.builder().blackBox(dir).blackBoxMinInterval(Duration.ofMillis(1)).build()) {
      named.start();
      // A process started with a secret argument (jdk.ProcessStart on JDK 21+, jdk.SystemProcess).
      Process p = new ProcessBuilder("sh", "-c", "sleep 2", args[2]).start();
      // The thread parks on a monitor-free latch; make it show up in samples and JDK events too.
      Thread.sleep(1500);
      Optional<Path> file = jfr.blackBox().orElseThrow().dump("test").get(60, TimeUnit.SECONDS);
      stop.countDown();
      named.join();
      p.waitFor(10, TimeUnit.SECONDS);
      System.out.println("DUMP " + file.map(Path::toString).orElse("none"));
    }
  }
}
