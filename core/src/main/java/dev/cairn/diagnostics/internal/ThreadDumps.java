package dev.cairn.diagnostics.internal;

import dev.cairn.diagnostics.Redactor;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Thread dumps through {@link ThreadMXBean}: every platform thread with its state, the lock it waits
 * for and that lock's owner, the monitors and ownable synchronizers ({@code ReentrantLock} and
 * friends) it holds, and its stack (bounded). Deadlocks are found with {@link
 * ThreadMXBean#findDeadlockedThreads()}, which covers both kinds of lock. On JDK 21+ the JDK's own
 * JSON dump (which includes virtual threads) is available through {@link #virtualAwareJson}.
 *
 * <p>Thread names go through the {@link Redactor}: names are application data and sometimes carry
 * request details.
 *
 * <p>Internal API: unsupported, may change without notice.
 */
public final class ThreadDumps {
  private final Redactor redactor;
  private final int maxFrames;
  private final int maxThreads;

  public ThreadDumps(Redactor redactor, int maxFrames, int maxThreads) {
    this.redactor = redactor;
    this.maxFrames = maxFrames;
    this.maxThreads = maxThreads;
  }

  private static ThreadMXBean mx() {
    return ManagementFactory.getThreadMXBean();
  }

  private List<ThreadInfo> infos() {
    ThreadMXBean mx = mx();
    ThreadInfo[] all =
        mx.dumpAllThreads(
            mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported(), maxFrames);
    List<ThreadInfo> out = new ArrayList<>(all.length);
    for (ThreadInfo t : all) {
      if (t != null) {
        out.add(t);
      }
    }
    out.sort(Comparator.comparing(ThreadInfo::getThreadName));
    return out;
  }

  /** Ids of deadlocked threads (monitors and ownable synchronizers), sorted; empty when none. */
  public static long[] deadlockedIds() {
    ThreadMXBean mx = mx();
    long[] ids =
        mx.isSynchronizerUsageSupported() ? mx.findDeadlockedThreads() : mx.findMonitorDeadlockedThreads();
    if (ids == null) {
      return new long[0];
    }
    Arrays.sort(ids);
    return ids;
  }

  /** A jstack-like text dump, deadlocks first. */
  public String text() {
    StringBuilder sb = new StringBuilder(64 * 1024);
    List<ThreadInfo> infos = infos();
    long[] deadlocked = deadlockedIds();
    sb.append("Thread dump: ").append(infos.size()).append(" threads, ")
        .append(deadlocked.length).append(" deadlocked\n\n");
    if (deadlocked.length > 0) {
      sb.append("Found ").append(deadlocked.length).append(" deadlocked threads:\n");
      for (ThreadInfo t : mx().getThreadInfo(deadlocked, false, false)) {
        if (t != null) {
          sb.append("  \"").append(name(t)).append("\" waits for ").append(t.getLockName())
              .append(" held by \"").append(redactor.redactValue(String.valueOf(t.getLockOwnerName())))
              .append("\"\n");
        }
      }
      sb.append('\n');
    }
    int n = 0;
    for (ThreadInfo t : infos) {
      if (n++ >= maxThreads) {
        sb.append("... ").append(infos.size() - maxThreads).append(" more threads not shown\n");
        break;
      }
      sb.append('"').append(name(t)).append("\" #").append(id(t))
          .append(t.isDaemon() ? " daemon" : "").append(" prio=").append(t.getPriority())
          .append('\n').append("   java.lang.Thread.State: ").append(t.getThreadState());
      if (t.getLockName() != null) {
        sb.append(" on ").append(t.getLockName());
        if (t.getLockOwnerName() != null) {
          sb.append(" owned by \"").append(redactor.redactValue(t.getLockOwnerName()))
              .append("\" #").append(t.getLockOwnerId());
        }
      }
      sb.append('\n');
      StackTraceElement[] stack = t.getStackTrace();
      MonitorInfo[] monitors = t.getLockedMonitors();
      for (int i = 0; i < stack.length; i++) {
        sb.append("\tat ").append(stack[i]).append('\n');
        for (MonitorInfo m : monitors) {
          if (m.getLockedStackDepth() == i) {
            sb.append("\t- locked ").append(lock(m)).append('\n');
          }
        }
      }
      if (stack.length == maxFrames) {
        sb.append("\t...\n");
      }
      LockInfo[] syncs = t.getLockedSynchronizers();
      if (syncs.length > 0) {
        sb.append("   Locked ownable synchronizers:\n");
        for (LockInfo l : syncs) {
          sb.append("\t- ").append(lock(l)).append('\n');
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The dump as JSON: {@code threads}, {@code deadlocked} (ids) and counts. */
  public void json(JsonOut w) {
    List<ThreadInfo> infos = infos();
    long[] deadlocked = deadlockedIds();
    w.beginObject();
    w.field("threadCount", infos.size());
    w.field("daemonThreadCount", mx().getDaemonThreadCount());
    w.field("peakThreadCount", mx().getPeakThreadCount());
    w.name("deadlocked").beginArray();
    for (long id : deadlocked) {
      w.value(id);
    }
    w.endArray();
    w.name("threads").beginArray();
    int n = 0;
    for (ThreadInfo t : infos) {
      if (n++ >= maxThreads) {
        break;
      }
      w.beginObject();
      w.field("name", name(t));
      w.field("id", id(t));
      w.field("state", t.getThreadState().name());
      w.field("daemon", t.isDaemon());
      w.field("deadlocked", Arrays.binarySearch(deadlocked, id(t)) >= 0);
      if (t.getLockName() != null) {
        w.field("waitingOn", t.getLockName());
      }
      if (t.getLockOwnerName() != null) {
        w.field("lockOwner", redactor.redactValue(t.getLockOwnerName()));
        w.field("lockOwnerId", t.getLockOwnerId());
      }
      w.field("blockedCount", t.getBlockedCount());
      w.field("waitedCount", t.getWaitedCount());
      w.name("stack").beginArray();
      for (StackTraceElement e : t.getStackTrace()) {
        w.value(e.toString());
      }
      w.endArray();
      w.name("lockedMonitors").beginArray();
      for (MonitorInfo m : t.getLockedMonitors()) {
        w.beginObject().field("lock", lock(m)).field("depth", m.getLockedStackDepth()).endObject();
      }
      w.endArray();
      w.name("lockedSynchronizers").beginArray();
      for (LockInfo l : t.getLockedSynchronizers()) {
        w.value(lock(l));
      }
      w.endArray();
      w.endObject();
    }
    w.endArray();
    w.field("truncated", infos.size() > maxThreads);
    w.endObject();
  }

  /** Deadlocks as JSON: each deadlocked thread with the lock it waits for and that lock's owner. */
  public void deadlocksJson(JsonOut w) {
    long[] ids = deadlockedIds();
    w.beginObject();
    w.field("count", ids.length);
    w.name("threads").beginArray();
    if (ids.length > 0) {
      for (ThreadInfo t : mx().getThreadInfo(ids, true, true)) {
        if (t == null) {
          continue;
        }
        w.beginObject();
        w.field("name", name(t));
        w.field("id", id(t));
        w.field("state", t.getThreadState().name());
        w.field("waitingOn", String.valueOf(t.getLockName()));
        w.field("lockOwner", redactor.redactValue(String.valueOf(t.getLockOwnerName())));
        w.field("lockOwnerId", t.getLockOwnerId());
        w.name("stack").beginArray();
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < st.length && i < maxFrames; i++) {
          w.value(st[i].toString());
        }
        w.endArray();
        w.endObject();
      }
    }
    w.endArray();
    w.endObject();
  }

  /**
   * The JDK's own JSON thread dump, which includes virtual threads (JDK 21+, through {@code
   * HotSpotDiagnosticMXBean.dumpThreads}, called reflectively so Cairn runs on 17). Empty on older
   * JDKs. The file is written to {@code tmpDir}, read up to {@code maxBytes} and deleted.
   */
  public Optional<String> virtualAwareJson(Path tmpDir, long maxBytes) throws Exception {
    Class<?> bean;
    Class<?> format;
    try {
      bean = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
      format = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
    Method dump;
    try {
      dump = bean.getMethod("dumpThreads", String.class, format);
    } catch (NoSuchMethodException e) {
      return Optional.empty();
    }
    Object json = null;
    for (Object c : format.getEnumConstants()) {
      if ("JSON".equals(((Enum<?>) c).name())) {
        json = c;
      }
    }
    Object mxBean =
        ManagementFactory.getPlatformMXBean(bean.asSubclass(java.lang.management.PlatformManagedObject.class));
    Path file = tmpDir.resolve("threads-" + System.nanoTime() + ".json");
    try {
      dump.invoke(mxBean, file.toAbsolutePath().toString(), json);
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new JsonOut.TooLargeException((int) Math.min(Integer.MAX_VALUE, maxBytes));
      }
      return Optional.of(redactor.redactText(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private String name(ThreadInfo t) {
    return redactor.redactValue(t.getThreadName());
  }

  private static String lock(LockInfo l) {
    return l.getClassName() + "@" + Integer.toHexString(l.getIdentityHashCode());
  }

  private static long id(ThreadInfo t) {
    return t.getThreadId();
  }
}
