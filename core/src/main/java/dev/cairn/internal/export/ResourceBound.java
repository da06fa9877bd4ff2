package dev.cairn.internal.export;

import dev.cairn.internal.json.JsonWriter;
import dev.cairn.resource.Resource;
import java.util.List;
import java.util.function.Function;

/**
 * An exporter's encoder made from a resource: the one the user set on the exporter's builder, or
 * else, once the exporter joins a Cairn instance, that instance's resource (until then {@link
 * Resource#detect()}). Why: an exporter is usually built before the instance it is added to, and a
 * user who names the service once, on {@code Cairn.builder().serviceName(...)}, expects every
 * backend to show that name.
 *
 * <p>Internal API: unsupported, may change without notice.
 *
 * @param <T> the signal type
 */
public final class ResourceBound<T> implements HttpBatchSender.Encoder<T> {
  private final Function<Resource, HttpBatchSender.Encoder<T>> factory;
  private final boolean explicit;
  private volatile HttpBatchSender.Encoder<T> encoder;

  /**
   * @param explicit the resource set on the exporter's builder, or {@code null}
   * @param factory makes the encoder for a resource
   */
  public ResourceBound(Resource explicit, Function<Resource, HttpBatchSender.Encoder<T>> factory) {
    this.factory = factory;
    this.explicit = explicit != null;
    this.encoder = factory.apply(explicit != null ? explicit : Resource.detect());
  }

  /** Adopts {@code resource} unless the builder set one. Safe from any thread. */
  public void adopt(Resource resource) {
    if (!explicit && resource != null) {
      encoder = factory.apply(resource);
    }
  }

  @Override
  public void encode(List<T> items, JsonWriter out) {
    encoder.encode(items, out);
  }
}
