package dev.cairn.metrics.observation;

import dev.cairn.context.Baggage;
import dev.cairn.internal.SelfCounter;
import dev.cairn.internal.SelfCounters;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import java.util.List;
import java.util.Objects;

/**
 * Turns chosen baggage entries into low-cardinality tags of HTTP server and client observations,
 * so the timers Micrometer records for them ({@code http.server.requests}, {@code
 * http.client.requests}) tell which upstream caller (tenant, client app) a request came from, in
 * every service the baggage reaches, without a trace backend.
 *
 * <p>Opt-in: only the names on the allow-list become tags. Every listed tag is always present, with
 * value {@value #ABSENT} when the request carries no such entry, because Prometheus requires one
 * set of tag keys per meter name. Values longer than {@value #MAX_VALUE_LENGTH} characters are
 * cut (counted as {@code cairn.observation.baggage.truncated}); the number of distinct values is
 * capped by the {@link dev.cairn.metrics.CardinalityGuard}, which should stay installed.
 *
 * <p>Register as an {@code ObservationFilter}; it reads the context that {@link
 * CairnObservationHandler} gave the observation, so that handler must be registered too.
 */
public final class BaggageTags implements ObservationFilter {
  /** The tag value when the request carries no entry of that name. */
  public static final String ABSENT = "none";

  /** Longest tag value kept. */
  public static final int MAX_VALUE_LENGTH = 64;

  private static final SelfCounter TRUNCATED =
      SelfCounters.GLOBAL.counter(
          "cairn.observation.baggage.truncated",
          "Baggage values cut to 64 characters before becoming metric tags",
          "values");

  private final String[] names;

  private BaggageTags(String[] names) {
    this.names = names;
  }

  /**
   * A filter for these baggage names.
   *
   * @throws IllegalArgumentException when a name is not a valid baggage name or is listed twice
   */
  public static BaggageTags of(List<String> baggageNames) {
    Objects.requireNonNull(baggageNames, "baggageNames");
    String[] names = baggageNames.toArray(new String[0]);
    for (int i = 0; i < names.length; i++) {
      if (!Baggage.isValidName(names[i])) {
        throw new IllegalArgumentException("baggage tag name must be an HTTP token: '" + names[i] + "'");
      }
      for (int j = 0; j < i; j++) {
        if (names[j].equals(names[i])) {
          throw new IllegalArgumentException("baggage tag '" + names[i] + "' is listed twice");
        }
      }
    }
    return new BaggageTags(names);
  }

  /** The baggage names that become tags. */
  public List<String> names() {
    return List.of(names);
  }

  @Override
  public Observation.Context map(Observation.Context context) {
    if (names.length == 0 || !(context instanceof ReceiverContext || context instanceof SenderContext)) {
      return context;
    }
    CairnObservationHandler.State state = CairnObservationHandler.stateOf(context);
    Baggage b = state == null ? Baggage.empty() : state.context.baggage();
    for (String name : names) {
      context.addLowCardinalityKeyValue(KeyValue.of(name, value(b, name)));
    }
    return context;
  }

  private static String value(Baggage b, String name) {
    String v = b.getOrDefault(name, null);
    if (v == null || v.isEmpty()) {
      return ABSENT;
    }
    if (v.length() > MAX_VALUE_LENGTH) {
      TRUNCATED.increment();
      return v.substring(0, MAX_VALUE_LENGTH);
    }
    return v;
  }

  @Override
  public String toString() {
    return "BaggageTags" + List.of(names);
  }
}
