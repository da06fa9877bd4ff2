package dev.cairn.diagnostics;

import dev.cairn.diagnostics.internal.EnvironmentProbe;
import dev.cairn.diagnostics.internal.JsonIn;
import dev.cairn.diagnostics.internal.JsonOut;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What this process runs on, as flat sorted {@code key → value} maps: the JVM (vendor, version,
 * arguments with secrets redacted, max heap, GC), the OS and kernel, CPU and memory as the container
 * limits them (cgroup v1/v2), Kubernetes namespace, build info ({@code git.properties}, {@code
 * META-INF/build-info.properties}, {@code CAIRN_BUILD_*}), time zone, charset, locale and the
 * classpath's library versions.
 *
 * <p>Two sections: {@link #environment()} is what should be equal on every instance of one
 * deployment and is covered by the {@link #hash()}; {@link #instance()} names this instance (host,
 * container id, pod, node) and is shown and diffed but not hashed, so identical pods share a hash.
 *
 * <pre>{@code
 * Fingerprint fp = Fingerprint.capture();
 * String json = fp.toJson();            // attach, store, serve
 * FingerprintDiff d = FingerprintDiff.between(Fingerprint.parse(a), Fingerprint.parse(b));
 * }</pre>
 *
 * <p>Immutable.
 */
public final class Fingerprint {
  /** The {@code schema} member of the JSON form. */
  public static final String SCHEMA = "cairn.fingerprint/1";

  private final SortedMap<String, String> environment;
  private final SortedMap<String, String> instance;
  private final Instant capturedAt;
  private final String hash;

  private Fingerprint(
      Map<String, String> environment, Map<String, String> instance, Instant capturedAt) {
    this.environment = Collections.unmodifiableSortedMap(new TreeMap<>(environment));
    this.instance = Collections.unmodifiableSortedMap(new TreeMap<>(instance));
    this.capturedAt = capturedAt;
    this.hash = computeHash(this.environment);
  }

  /** Captures the fingerprint of this process. Never throws; unreadable parts are left out. */
  public static Fingerprint capture() {
    return capture(Redactor.defaults());
  }

  /** Captures the fingerprint of this process, redacting JVM arguments with {@code redactor}. */
  public static Fingerprint capture(Redactor redactor) {
    EnvironmentProbe probe = EnvironmentProbe.system(redactor);
    return new Fingerprint(probe.environment(), probe.instance(), Instant.now());
  }

  /** A fingerprint from explicit maps (tests, or fingerprints assembled elsewhere). */
  public static Fingerprint of(
      Map<String, String> environment, Map<String, String> instance, Instant capturedAt) {
    return new Fingerprint(environment, instance, capturedAt);
  }

  /**
   * Reads the JSON form written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException when the text is not a Cairn fingerprint, with the reason
   */
  public static Fingerprint parse(String json) {
    Object root = JsonIn.parse(json);
    if (!(root instanceof Map)) {
      throw new IllegalArgumentException("not a fingerprint: the JSON value is not an object");
    }
    Map<?, ?> obj = (Map<?, ?>) root;
    Object schema = obj.get("schema");
    if (!SCHEMA.equals(schema)) {
      throw new IllegalArgumentException(
          "not a fingerprint: schema is " + schema + ", expected " + SCHEMA);
    }
    Instant at = Instant.EPOCH;
    Object t = obj.get("capturedAt");
    if (t instanceof String) {
      try {
        at = Instant.parse((String) t);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("not a fingerprint: bad capturedAt " + t, e);
      }
    }
    return new Fingerprint(section(obj, "environment"), section(obj, "instance"), at);
  }

  private static Map<String, String> section(Map<?, ?> obj, String name) {
    Object s = obj.get(name);
    if (s == null) {
      return Map.of();
    }
    if (!(s instanceof Map)) {
      throw new IllegalArgumentException("not a fingerprint: " + name + " is not an object");
    }
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) s).entrySet()) {
      Object v = e.getValue();
      if (!(v instanceof String)) {
        throw new IllegalArgumentException(
            "not a fingerprint: " + name + "." + e.getKey() + " is not a string");
      }
      out.put((String) e.getKey(), (String) v);
    }
    return out;
  }

  /** The hashed section, sorted by key. */
  public SortedMap<String, String> environment() {
    return environment;
  }

  /** The per-instance section (host, container, pod, node), sorted by key; not hashed. */
  public SortedMap<String, String> instance() {
    return instance;
  }

  /** When this fingerprint was taken. */
  public Instant capturedAt() {
    return capturedAt;
  }

  /**
   * {@code sha256:} and the lowercase hex SHA-256 of the UTF-8 bytes of the compact JSON object of
   * {@link #environment()} with members sorted by key (the same bytes {@link #toJson()} writes for
   * that member). Two processes with equal environments have equal hashes on any JDK.
   */
  public String hash() {
    return hash;
  }

  /** The resource attribute that carries {@link #hash()}. */
  public static final String RESOURCE_ATTRIBUTE = "cairn.fingerprint.hash";

  /**
   * {@code resource} with {@value #RESOURCE_ATTRIBUTE} set to this fingerprint's hash, so every
   * exported span, log and metric names the environment it came from:
   * {@code Cairn.builder().resource(Fingerprint.capture().attachTo(Resource.detect()))}.
   */
  public dev.cairn.resource.Resource attachTo(dev.cairn.resource.Resource resource) {
    return resource.toBuilder().put(RESOURCE_ATTRIBUTE, hash).build();
  }

  /** The JSON form: {@code schema}, {@code hash}, {@code capturedAt}, {@code environment}, {@code instance}. */
  public String toJson() {
    JsonOut w = new JsonOut();
    w.beginObject()
        .field("schema", SCHEMA)
        .field("hash", hash)
        .field("capturedAt", capturedAt.toString());
    w.name("environment").stringMap(environment);
    w.name("instance").stringMap(instance);
    w.endObject();
    return w.toString();
  }

  private static String computeHash(SortedMap<String, String> environment) {
    JsonOut w = new JsonOut();
    w.stringMap(environment);
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(w.toString().getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder("sha256:");
      for (byte b : d) {
        sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fingerprint
        && ((Fingerprint) o).environment.equals(environment)
        && ((Fingerprint) o).instance.equals(instance);
  }

  @Override
  public int hashCode() {
    return environment.hashCode() * 31 + instance.hashCode();
  }

  @Override
  public String toString() {
    return "Fingerprint[" + hash + "]";
  }
}
