package dev.cairn.propagation;

import dev.cairn.context.TraceContext;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link Propagator#explain}: the context extraction produced and every input it
 * refused on the way, for debugging ("why did my trace restart?").
 *
 * @param context what {@link Propagator#extract} would have returned
 * @param rejections each refused header or list-member, in the order met; empty when all was fine
 */
public record Extraction(TraceContext context, List<Rejection> rejections) {
  /** Validates and copies. */
  public Extraction {
    Objects.requireNonNull(context, "context");
    rejections = List.copyOf(rejections);
  }

  /**
   * One refusal.
   *
   * @param format the propagator's {@link Propagator#name()} (e.g. {@code w3c-tracecontext})
   * @param reason a stable token, the same as the {@code reason} tag of the counter {@code
   *     cairn.propagation.rejected}
   * @param input at most 64 characters of the refused text, control characters replaced by
   *     {@code ?}, so it is safe to log
   */
  public record Rejection(String format, String reason, String input) {
    /** Validates. */
    public Rejection {
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(input, "input");
    }
  }
}
