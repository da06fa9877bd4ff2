package dev.cairn.internal.context;

import dev.cairn.context.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * The scopes one observation (or any unit of work) opened, with the thread that opened each. Why:
 * an observation's scope may be opened on one thread and reopened on another (Reactor hops) before
 * the first is closed, and a scope must be closed on the thread that opened it.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public class ThreadScopes {
  // Usually one entry: sized for it.
  private final List<Scope> scopes = new ArrayList<>(1);
  private final List<Thread> owners = new ArrayList<>(1);

  /** Remembers {@code scope} as opened by the calling thread. */
  public synchronized void push(Scope scope) {
    scopes.add(scope);
    owners.add(Thread.currentThread());
  }

  /** The most recent scope the calling thread opened and has not popped, or {@code null}. */
  public synchronized Scope popForCurrentThread() {
    Thread me = Thread.currentThread();
    for (int i = owners.size() - 1; i >= 0; i--) {
      if (owners.get(i) == me) {
        owners.remove(i);
        return scopes.remove(i);
      }
    }
    return null;
  }
}
