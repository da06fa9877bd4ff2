package dev.cairn.span;

/** The role of a span in a trace, as OpenTelemetry and Zipkin define it. */
public enum SpanKind {
  /** Work inside the process with no remote side (the default). */
  INTERNAL,
  /** Handles a synchronous request from a remote client. */
  SERVER,
  /** Sends a synchronous request to a remote server. */
  CLIENT,
  /** Hands a message to a broker or queue, without waiting for its processing. */
  PRODUCER,
  /** Processes a message received from a broker or queue. */
  CONSUMER
}
