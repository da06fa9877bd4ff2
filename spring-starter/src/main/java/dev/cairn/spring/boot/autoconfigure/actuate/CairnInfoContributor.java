package dev.cairn.spring.boot.autoconfigure.actuate;

import dev.cairn.Cairn;
import dev.cairn.diagnostics.Fingerprint;
import dev.cairn.resource.Resource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Adds {@code cairn} to {@code /actuator/info}: the service as Cairn names it in everything it
 * exports ({@code service}: name, version, namespace, instance id), every resource attribute
 * ({@code resource}), and the environment fingerprint's hash ({@code fingerprint.hash}), the value
 * that tells whether two instances run in the same environment.
 *
 * <p>The fingerprint is the resource's {@value Fingerprint#RESOURCE_ATTRIBUTE} when the resource
 * carries one (so info and exported telemetry agree); otherwise it is captured on the first call
 * and kept.
 */
public final class CairnInfoContributor implements InfoContributor {
  private final Supplier<Resource> resource;
  private final Supplier<Fingerprint> fingerprint;
  private volatile Fingerprint captured;

  /** Describes {@code cairn}'s resource; the fingerprint is captured from this process. */
  public CairnInfoContributor(Cairn cairn) {
    this(cairn::resource, Fingerprint::capture);
  }

  CairnInfoContributor(Supplier<Resource> resource, Supplier<Fingerprint> fingerprint) {
    this.resource = Objects.requireNonNull(resource, "resource");
    this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
  }

  @Override
  public void contribute(Info.Builder builder) {
    Resource r = resource.get();
    Map<String, Object> service = new LinkedHashMap<>();
    service.put("name", r.serviceName());
    r.getString("service.version").ifPresent(v -> service.put("version", v));
    r.getString("service.namespace").ifPresent(v -> service.put("namespace", v));
    r.getString("service.instance.id").ifPresent(v -> service.put("instanceId", v));
    Map<String, Object> fp = new LinkedHashMap<>();
    fp.put("hash", fingerprintHash(r));
    Map<String, Object> cairn = new LinkedHashMap<>();
    cairn.put("service", service);
    cairn.put("resource", r.attributes());
    cairn.put("fingerprint", fp);
    builder.withDetail("cairn", cairn);
  }

  private String fingerprintHash(Resource r) {
    return r.getString(Fingerprint.RESOURCE_ATTRIBUTE).orElseGet(() -> {
      Fingerprint f = captured;
      if (f == null) {
        // Captured once: the environment it hashes does not change while the process runs.
        f = fingerprint.get();
        captured = f;
      }
      return f.hash();
    });
  }
}
