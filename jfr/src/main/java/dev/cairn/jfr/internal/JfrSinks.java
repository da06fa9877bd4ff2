package dev.cairn.jfr.internal;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.context.ContextStorage;
import jdk.jfr.EventType;

/**
 * The synchronous JFR sinks: scope attach/detach, spans and log lines become Cairn events. Every
 * entry point first asks JFR whether the event type is on in any recording; with no recording the
 * cost is that check and nothing is allocated.
 * Costly fields (hex ids) are filled only after {@code shouldCommit()} says the event survives its
 * threshold and rate limit.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class JfrSinks implements ContextStorage.AttachListener {
  /** The one listener instance installed into the context storage. */
  public static final JfrSinks INSTANCE = new JfrSinks();

  private static final int MAX_MESSAGE = 1024;
  // EventType.isEnabled() reads one field and allocates nothing; a probe "new XEvent()" relies on
  // escape analysis, which does not always remove it.
  private static final EventType SPAN = EventType.getEventType(SpanEvent.class);
  private static final EventType SCOPE = EventType.getEventType(ScopeEvent.class);
  private static final EventType LOG = EventType.getEventType(LogEvent.class);

  private JfrSinks() {}

  /** Whether any recording has {@code cairn.Span} on. */
  public static boolean spanEnabled() {
    return SPAN.isEnabled();
  }

  /** Whether any recording has {@code cairn.Scope} on. */
  public static boolean scopeEnabled() {
    return SCOPE.isEnabled();
  }

  /** Whether any recording has {@code cairn.Log} on. */
  public static boolean logEnabled() {
    return LOG.isEnabled();
  }

  @Override
  public Object attached(TraceContext context) {
    if (!scopeEnabled() || !context.isValid()) {
      return null;
    }
    ScopeEvent e = new ScopeEvent();
    e.begin();
    return e;
  }

  @Override
  public void detached(Object handle, TraceContext context) {
    if (!(handle instanceof ScopeEvent)) {
      return;
    }
    ScopeEvent e = (ScopeEvent) handle;
    e.end();
    if (e.shouldCommit()) {
      e.traceId = context.traceIdHex();
      e.spanId = context.spanIdHex();
      e.correlationId = context.correlationIdOrEmpty();
      e.commit();
    }
  }

  @Override
  public void misused(String reason) {
    ScopeMisuseEvent e = new ScopeMisuseEvent();
    if (e.shouldCommit()) {
      TraceContext c = ContextStorage.current();
      e.reason = reason;
      e.traceId = c.isValid() ? c.traceIdHex() : "";
      e.commit();
    }
  }

  /**
   * Begins a {@code cairn.Span} event for a span starting on this thread.
   *
   * @return the handle to pass to {@link #spanEnd}, or {@code null} when no recording wants spans
   */
  public static Object spanStart() {
    if (!spanEnabled()) {
      return null;
    }
    SpanEvent e = new SpanEvent();
    e.begin();
    return e;
  }

  /** Ends and, if the recording's threshold and rate allow, commits the span's event. */
  public static void spanEnd(
      Object handle, TraceContext context, String name, String kind, String status) {
    if (!(handle instanceof SpanEvent)) {
      return;
    }
    SpanEvent e = (SpanEvent) handle;
    e.end();
    if (e.shouldCommit()) {
      e.traceId = context.traceIdHex();
      e.spanId = context.spanIdHex();
      e.parentSpanId = context.parentSpanIdHex();
      e.name = name;
      e.kind = kind;
      e.status = status;
      e.sampled = context.isSampled();
      e.commit();
    }
  }

  /**
   * Writes a {@code cairn.Log} event if a recording wants it. The caller has already applied the
   * minimum level.
   */
  public static void log(
      String level, String logger, String message, String exceptionType, TraceContext context) {
    if (!logEnabled()) {
      return;
    }
    LogEvent e = new LogEvent();
    if (e.shouldCommit()) {
      e.level = level;
      e.logger = logger;
      e.message =
          message == null
              ? ""
              : message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
      e.exceptionType = exceptionType == null ? "" : exceptionType;
      e.traceId = context.isValid() ? context.traceIdHex() : "";
      e.spanId = context.isValid() ? context.spanIdHex() : "";
      e.commit();
    }
  }
}
