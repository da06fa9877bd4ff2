package dev.cairn.diagnostics.internal;

import java.time.Duration;

/**
 * The bounds of {@link LoopbackHttpServer}: how many connections it holds, how many workers run
 * handlers, and how long a client may take for each part of an exchange.
 *
 * <p>Internal API: unsupported, may change without notice.
 *
 * @param maxConnections open connections at most; beyond it the oldest waiting one is closed
 * @param threads worker threads running handlers
 * @param queueSize requests waiting for a worker; beyond it a request is answered 503
 * @param headTimeout time for the request line and headers, from the connection's accept or the
 *     first byte of a keep-alive request
 * @param bodyTimeout time for the request body once the head has arrived
 * @param idleTimeout how long a keep-alive connection may wait for its next request
 * @param writeTimeout how long writing a response may make no progress
 * @param maxHeaderBytes request line and headers together
 * @param maxRequestBytes request body
 */
public record HttpLimits(
    int maxConnections,
    int threads,
    int queueSize,
    Duration headTimeout,
    Duration bodyTimeout,
    Duration idleTimeout,
    Duration writeTimeout,
    int maxHeaderBytes,
    int maxRequestBytes) {}
