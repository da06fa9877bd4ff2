package dev.cairn.span;

/** A tracer for one instrumentation scope. */
final class CairnTracer implements Tracer {
  final Tracing tracing;
  final String scopeName;
  final String scopeVersion;

  CairnTracer(Tracing tracing, String scopeName, String scopeVersion) {
    this.tracing = tracing;
    this.scopeName = scopeName;
    this.scopeVersion = scopeVersion;
  }

  @Override
  public SpanBuilder spanBuilder(String name) {
    if (tracing.closed) {
      return NoopSpan.NoopBuilder.INSTANCE;
    }
    return new CairnSpanBuilder(this, name == null ? "unnamed" : name);
  }

  @Override
  public String toString() {
    return "Tracer[" + scopeName + (scopeVersion.isEmpty() ? "" : " " + scopeVersion) + "]";
  }
}
