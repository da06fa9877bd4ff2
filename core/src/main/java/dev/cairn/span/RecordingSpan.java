package dev.cairn.span;

import dev.cairn.context.TraceContext;
import dev.cairn.internal.Fatal;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A span that records. It is also its own {@link SpanData}: once ended it never changes again, so
 * handing it to exporters needs no copy.
 */
final class RecordingSpan implements Span, SpanData {
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(RecordingSpan.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int RUNNING = 0;
  private static final int ENDING = 1;
  private static final int ENDED = 2;

  private final CairnTracer tracer;
  private final SpanLimits limits;
  private final TraceContext context;
  private final boolean parentRemote;
  private final SpanKind kind;
  private final long startEpochNanos;
  private String name;
  private AttrList attributes;
  private ArrayList<EventData> events;
  private int droppedEvents;
  private ArrayList<LinkData> links;
  private int droppedLinks;
  private StatusCode status = StatusCode.UNSET;
  private String statusDescription = "";
  private long endEpochNanos;
  private volatile int state;
  private Attributes frozenAttributes;
  Object[] listenerStates;

  RecordingSpan(
      CairnTracer tracer,
      TraceContext context,
      boolean parentRemote,
      String name,
      SpanKind kind,
      long startEpochNanos,
      long startNanoTime,
      AttrList attributes,
      ArrayList<LinkData> links,
      int droppedLinks) {
    this.tracer = tracer;
    this.limits = tracer.tracing.limits;
    this.context = context;
    this.parentRemote = parentRemote;
    this.name = name;
    this.kind = kind;
    this.startEpochNanos = startEpochNanos;
    this.attributes = attributes;
    this.links = links;
    this.droppedLinks = droppedLinks;
  }

  // ---- limits helpers (shared with the builder)

  static String cut(String v, SpanLimits limits) {
    int max = limits.maxAttributeValueLength();
    if (v.length() <= max) {
      return v;
    }
    SpanCounters.VALUE_TRUNCATED.increment();
    int end = max;
    if (end > 0 && Character.isHighSurrogate(v.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    return v.substring(0, end);
  }

  static void putLimited(AttrList list, String key, Object value, AttributeType type, SpanLimits l) {
    if (!list.put(key, value, type, l.maxAttributes())) {
      SpanCounters.ATTRIBUTES_DROPPED.increment();
    }
  }

  /** Applies per-item limits to event/link attributes; returns the input when nothing is cut. */
  static Attributes limited(Attributes in, int maxCount, SpanLimits limits, int[] dropped) {
    int max = limits.maxAttributeValueLength();
    boolean fits = in.size() <= maxCount;
    for (int i = 0; fits && i < in.size(); i++) {
      fits = !tooLong(in.type(i), in.value(i), max);
    }
    if (fits) {
      return in;
    }
    AttrList out = new AttrList();
    for (int i = 0; i < in.size(); i++) {
      if (out.size >= maxCount) {
        dropped[0]++;
        continue;
      }
      out.put(in.key(i), cutValue(in.type(i), in.value(i), limits), in.type(i), maxCount);
    }
    return out.freeze();
  }

  private static boolean tooLong(AttributeType type, Object v, int max) {
    if (type == AttributeType.STRING) {
      return ((String) v).length() > max;
    }
    if (type == AttributeType.STRING_ARRAY) {
      for (Object s : (List<?>) v) {
        if (((String) s).length() > max) {
          return true;
        }
      }
    }
    return false;
  }

  private static Object cutValue(AttributeType type, Object v, SpanLimits limits) {
    if (type == AttributeType.STRING) {
      return cut((String) v, limits);
    }
    if (type == AttributeType.STRING_ARRAY) {
      List<?> in = (List<?>) v;
      String[] out = new String[in.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = cut((String) in.get(i), limits);
      }
      return AttrList.strings(out);
    }
    return v;
  }

  static LinkData link(TraceContext context, Attributes attributes, SpanLimits limits) {
    int[] dropped = new int[1];
    Attributes a = limited(attributes, limits.maxAttributesPerLink(), limits, dropped);
    if (dropped[0] > 0) {
      SpanCounters.LINK_ATTRIBUTES_DROPPED.add(dropped[0]);
    }
    return LinkData.trusted(context, a, dropped[0]);
  }

  // ---- Span

  @Override
  public TraceContext context() {
    return context;
  }

  @Override
  public boolean isRecording() {
    return state == RUNNING;
  }

  private Span put(String key, Object value, AttributeType type) {
    if (state != RUNNING) {
      return this;
    }
    if (key == null || value == null) {
      SpanCounters.INVALID_INPUT.increment();
      return this;
    }
    AttrList a = attributes;
    if (a == null) {
      a = attributes = new AttrList();
    }
    putLimited(a, key, value, type, limits);
    return this;
  }

  @Override
  public Span setAttribute(String key, String value) {
    return put(key, value == null ? null : cut(value, limits), AttributeType.STRING);
  }

  @Override
  public Span setAttribute(String key, long value) {
    return put(key, value, AttributeType.LONG);
  }

  @Override
  public Span setAttribute(String key, double value) {
    return put(key, value, AttributeType.DOUBLE);
  }

  @Override
  public Span setAttribute(String key, boolean value) {
    return put(key, value, AttributeType.BOOLEAN);
  }

  @Override
  public Span setAttribute(String key, String[] values) {
    if (values == null || state != RUNNING) {
      return put(key, null, AttributeType.STRING_ARRAY);
    }
    String[] copy = new String[values.length];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = values[i] == null ? "" : cut(values[i], limits);
    }
    return put(key, AttrList.strings(copy), AttributeType.STRING_ARRAY);
  }

  @Override
  public Span setAttribute(String key, long[] values) {
    return put(key, values == null ? null : AttrList.longs(values), AttributeType.LONG_ARRAY);
  }

  @Override
  public Span setAttribute(String key, double[] values) {
    return put(key, values == null ? null : AttrList.doubles(values), AttributeType.DOUBLE_ARRAY);
  }

  @Override
  public Span setAttribute(String key, boolean[] values) {
    return put(key, values == null ? null : AttrList.booleans(values), AttributeType.BOOLEAN_ARRAY);
  }

  @Override
  public Span addEvent(String name) {
    return addEvent(name, Attributes.empty(), 0);
  }

  @Override
  public Span addEvent(String name, Attributes attributes) {
    return addEvent(name, attributes, 0);
  }

  @Override
  public Span addEvent(String name, Attributes attributes, long epochNanos) {
    if (state != RUNNING) {
      return this;
    }
    if (name == null || attributes == null) {
      SpanCounters.INVALID_INPUT.increment();
      return this;
    }
    long at = epochNanos > 0 ? epochNanos : tracer.tracing.nowEpochNanos();
    ArrayList<EventData> ev = events;
    if (ev == null) {
      ev = events = new ArrayList<>(4);
    }
    if (ev.size() >= limits.maxEvents()) {
      droppedEvents++;
      SpanCounters.EVENTS_DROPPED.increment();
      return this;
    }
    int[] dropped = new int[1];
    Attributes a = limited(attributes, limits.maxAttributesPerEvent(), limits, dropped);
    if (dropped[0] > 0) {
      SpanCounters.EVENT_ATTRIBUTES_DROPPED.add(dropped[0]);
    }
    ev.add(EventData.trusted(name, at, a, dropped[0]));
    return this;
  }

  @Override
  public Span addLink(TraceContext context) {
    return addLink(context, Attributes.empty());
  }

  @Override
  public Span addLink(TraceContext context, Attributes attributes) {
    if (state != RUNNING) {
      return this;
    }
    if (context == null || attributes == null) {
      SpanCounters.INVALID_INPUT.increment();
      return this;
    }
    ArrayList<LinkData> l = links;
    if (l == null) {
      l = links = new ArrayList<>(2);
    }
    if (l.size() >= limits.maxLinks()) {
      droppedLinks++;
      SpanCounters.LINKS_DROPPED.increment();
      return this;
    }
    l.add(link(context, attributes, limits));
    return this;
  }

  @Override
  public Span setStatus(StatusCode code) {
    return setStatus(code, "");
  }

  @Override
  public Span setStatus(StatusCode code, String description) {
    if (state != RUNNING || code == null || status == StatusCode.OK) {
      return this;
    }
    status = code;
    statusDescription =
        code == StatusCode.ERROR && description != null ? cut(description, limits) : "";
    return this;
  }

  @Override
  public Span recordException(Throwable exception) {
    return recordException(exception, Attributes.empty());
  }

  @Override
  public Span recordException(Throwable exception, Attributes extra) {
    if (state != RUNNING) {
      return this;
    }
    if (exception == null) {
      SpanCounters.INVALID_INPUT.increment();
      return this;
    }
    Attributes.Builder b = Attributes.builder();
    b.put("exception.type", exception.getClass().getName());
    try {
      String msg = exception.getMessage();
      if (msg != null) {
        b.put("exception.message", msg);
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t); // a hostile getMessage() must not break the caller
    }
    b.put("exception.stacktrace", stackTrace(exception, limits.maxAttributeValueLength()));
    if (extra != null) {
      b.putAll(extra);
    }
    return addEvent("exception", b.build(), 0);
  }

  /** The stack trace as printStackTrace writes it, but never more than {@code max + 1} chars. */
  static String stackTrace(Throwable t, int max) {
    BoundedWriter w = new BoundedWriter(max + 1);
    try (PrintWriter pw = new PrintWriter(w)) {
      t.printStackTrace(pw);
    } catch (Throwable e) {
      Fatal.rethrowIfFatal(e);
    }
    return w.toString();
  }

  @Override
  public Span updateName(String newName) {
    if (state == RUNNING && newName != null) {
      name = newName;
    }
    return this;
  }

  @Override
  public void end() {
    endAt(0);
  }

  @Override
  public void end(long epochNanos) {
    endAt(epochNanos);
  }

  private void endAt(long epochNanos) {
    if (!STATE.compareAndSet(this, RUNNING, ENDING)) {
      return;
    }
    try {
      long end = epochNanos > 0 ? epochNanos : tracer.tracing.nowEpochNanos();
      endEpochNanos = Math.max(end, startEpochNanos);
      state = ENDED;
      tracer.tracing.onEnd(this);
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      SpanCounters.INTERNAL_ERROR.increment();
    }
  }

  // ---- SpanData

  @Override
  public String name() {
    return name;
  }

  @Override
  public SpanKind kind() {
    return kind;
  }

  @Override
  public boolean parentIsRemote() {
    return parentRemote;
  }

  @Override
  public String scopeName() {
    return tracer.scopeName;
  }

  @Override
  public String scopeVersion() {
    return tracer.scopeVersion;
  }

  @Override
  public long startEpochNanos() {
    return startEpochNanos;
  }

  @Override
  public long endEpochNanos() {
    return state == ENDED ? endEpochNanos : 0;
  }

  @Override
  public boolean hasEnded() {
    return state == ENDED;
  }

  @Override
  public Attributes attributes() {
    AttrList a = attributes;
    if (a == null) {
      return Attributes.empty();
    }
    if (state != ENDED) {
      return a.copy();
    }
    Attributes f = frozenAttributes;
    if (f == null) {
      f = frozenAttributes = a.freeze(); // a race freezes twice; both views are equal
    }
    return f;
  }

  @Override
  public List<EventData> events() {
    ArrayList<EventData> e = events;
    if (e == null) {
      return Collections.emptyList();
    }
    return state == ENDED
        ? Collections.unmodifiableList(e)
        : Collections.unmodifiableList(new ArrayList<>(e));
  }

  @Override
  public List<LinkData> links() {
    ArrayList<LinkData> l = links;
    if (l == null) {
      return Collections.emptyList();
    }
    return state == ENDED
        ? Collections.unmodifiableList(l)
        : Collections.unmodifiableList(new ArrayList<>(l));
  }

  @Override
  public StatusCode statusCode() {
    return status;
  }

  @Override
  public String statusDescription() {
    return statusDescription;
  }

  @Override
  public int droppedAttributesCount() {
    AttrList a = attributes;
    return a == null ? 0 : a.dropped;
  }

  @Override
  public int droppedEventsCount() {
    return droppedEvents;
  }

  @Override
  public int droppedLinksCount() {
    return droppedLinks;
  }

  @Override
  public String toString() {
    return "Span[" + name + " " + kind + " " + context + (hasEnded() ? " ended" : "") + "]";
  }

  /** A writer that keeps the first {@code max} chars and ignores the rest. */
  private static final class BoundedWriter extends Writer {
    private final StringBuilder sb = new StringBuilder();
    private final int max;

    BoundedWriter(int max) {
      this.max = max;
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
      int room = max - sb.length();
      if (room > 0) {
        sb.append(cbuf, off, Math.min(room, len));
      }
    }

    @Override
    public void write(String str, int off, int len) {
      int room = max - sb.length();
      if (room > 0) {
        sb.append(str, off, off + Math.min(room, len));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return sb.toString();
    }
  }
}
