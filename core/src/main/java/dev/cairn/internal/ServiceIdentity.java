package dev.cairn.internal;

import dev.cairn.resource.Resource;

/**
 * The service name of the most recently built {@link dev.cairn.Cairn} instance that is still open,
 * for parts built without one (a Logback encoder configured in {@code logback.xml} before the
 * application builds Cairn): a name given once on {@code Cairn.builder().serviceName(...)} reaches
 * every log line too. A detected placeholder ({@code unknown_service...}) is not published.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class ServiceIdentity {
  private static volatile Object owner;
  private static volatile String name;

  private ServiceIdentity() {}

  /** The published service name, or {@code null}. One volatile read. */
  public static String serviceName() {
    return name;
  }

  /** Publishes {@code resource}'s service name on behalf of {@code instance}. */
  public static synchronized void publish(Object instance, Resource resource) {
    Object v = resource.attributes().get("service.name");
    String s = v == null ? null : v.toString();
    if (s == null || s.isBlank() || s.startsWith("unknown_service")) {
      return;
    }
    owner = instance;
    name = s;
  }

  /** Withdraws the name if {@code instance} published it (the instance closed). */
  public static synchronized void withdraw(Object instance) {
    if (owner == instance) {
      owner = null;
      name = null;
    }
  }
}
