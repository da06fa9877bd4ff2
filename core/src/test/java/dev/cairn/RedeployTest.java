package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cairn.testing.TestClassPath;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13 item 10 / RELIABILITY H35: an application that used Cairn and CairnMetrics (with the
 * Prometheus registry) and closed them can be undeployed. Each cycle loads Cairn afresh in a
 * throwaway class loader (parent: the platform loader; URLs: cairn-core and its runtime jars,
 * Micrometer and the Prometheus client included), runs it on this thread as a request thread of an
 * application server would, closes it and drops the loader. Every loader must be collected: no
 * thread, thread-local value, shutdown hook or static cache outside the loader may keep it.
 */
@Timeout(180)
class RedeployTest {
  private static final int CYCLES = 20;

  /** cairn-core's classes, this module's test classes (the cycle) and the runtime jars. */
  private static URL[] applicationClassPath() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (Path p : TestClassPath.entries()) {
      String s = p.toString().replace('\\', '/');
      if (s.endsWith("/target/classes")
          || s.endsWith("/target/test-classes")
          || s.contains("/org/slf4j/slf4j-api/")
          || s.contains("/io/micrometer/micrometer-core/")
          || s.contains("/io/micrometer/micrometer-commons/")
          || s.contains("/io/micrometer/micrometer-observation/")
          || s.contains("/io/micrometer/micrometer-registry-prometheus/")
          || s.contains("/io/prometheus/")
          || s.contains("/org/hdrhistogram/")
          || s.contains("/org/latencyutils/")
          || s.contains("/org/jspecify/")) {
        urls.add(p.toUri().toURL());
      }
    }
    return urls.toArray(new URL[0]);
  }

  private static boolean startedByCairnOrItsLibraries(Thread t) {
    String n = t.getName();
    return n.startsWith("cairn") || n.startsWith("HttpClient-") || n.startsWith("prometheus");
  }

  @Test
  void closedCairnAndMetrics_inAThrowawayClassLoader_letTheLoaderBeCollected() throws Exception {
    HttpServer backend =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger requests = new AtomicInteger();
    backend.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          requests.incrementAndGet();
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    backend.start();
    String url = "http://127.0.0.1:" + backend.getAddress().getPort() + "/v1/traces";
    URL[] classPath = applicationClassPath();
    Set<Thread> threadsBefore = new HashSet<>(Thread.getAllStackTraces().keySet());
    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    Thread self = Thread.currentThread();
    ClassLoader ownContextLoader = self.getContextClassLoader();
    try {
      for (int i = 0; i < CYCLES; i++) {
        runOneDeployment(classPath, url, loaders);
      }
    } finally {
      self.setContextClassLoader(ownContextLoader);
      backend.stop(0);
    }
    assertThat(requests.get()).isGreaterThanOrEqualTo(CYCLES);

    // Collection needs a few GCs (and, on JDK 17, the HTTP client's selector thread noticing its
    // client is gone, which it checks every few seconds); bounded so that a leak fails, not hangs.
    for (int i = 0; i < 300 && loaders.stream().anyMatch(r -> r.get() != null); i++) {
      System.gc();
      Thread.sleep(100);
    }
    long alive = loaders.stream().filter(r -> r.get() != null).count();
    List<String> leftThreads = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!threadsBefore.contains(t) && startedByCairnOrItsLibraries(t)) {
        leftThreads.add(t.getName());
      }
    }
    assertThat(leftThreads).isEmpty();
    assertThat(alive).as("class loaders still reachable, of " + CYCLES).isZero();
  }

  @Test
  @SuppressWarnings("unchecked")
  void metricsCreatedAfterTheLastClose_inTheSameLoader_recordWithoutThrowing() throws Exception {
    StringBuilder out = new StringBuilder();
    ClassLoader ownContextLoader = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader loader =
        new URLClassLoader(applicationClassPath(), ClassLoader.getPlatformClassLoader())) {
      Thread.currentThread().setContextClassLoader(loader);
      ((Consumer<StringBuilder>)
              loader
                  .loadClass(ReopenedMetricsCycle.class.getName())
                  .getDeclaredConstructor()
                  .newInstance())
          .accept(out);
    } finally {
      Thread.currentThread().setContextClassLoader(ownContextLoader);
    }
    // The first registry had exemplars; its close stopped the scheduler, so the second has none
    // (and says so once) instead of throwing from every sampled recording.
    assertThat(out.toString()).isEqualTo("round 0 exemplars true\nround 1 exemplars false\n");
  }

  /** Kept apart so that no local variable of the test method holds the loader. */
  @SuppressWarnings("unchecked")
  private static void runOneDeployment(
      URL[] classPath, String url, List<WeakReference<ClassLoader>> loaders) throws Exception {
    try (URLClassLoader loader =
        new URLClassLoader(classPath, ClassLoader.getPlatformClassLoader())) {
      Thread.currentThread().setContextClassLoader(loader);
      Consumer<String> cycle =
          (Consumer<String>)
              loader.loadClass(RedeployCycle.class.getName()).getDeclaredConstructor().newInstance();
      cycle.accept(url);
      assertThat(cycle.getClass().getClassLoader()).isSameAs(loader);
      loaders.add(new WeakReference<>(loader));
    } finally {
      Thread.currentThread().setContextClassLoader(null);
    }
  }
}
