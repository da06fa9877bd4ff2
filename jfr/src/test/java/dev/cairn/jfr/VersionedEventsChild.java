package dev.cairn.jfr;

import dev.cairn.jfr.internal.LogEvent;
import dev.cairn.jfr.internal.ScopeEvent;
import dev.cairn.jfr.internal.SpanEvent;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.SettingDescriptor;
import jdk.jfr.ValueDescriptor;

/**
 * A child JVM for {@link PackagedJarIT}: prints, for each event class that has a JDK 25 variant,
 * the settings and the {@code @Contextual} fields that the JVM running it sees. Uses only JDK 17
 * API, so it reports the same way whichever variant the class path gives it.
 */
public final class VersionedEventsChild {
  private VersionedEventsChild() {}

  public static void main(String[] args) {
    for (Class<? extends Event> c : List.of(SpanEvent.class, ScopeEvent.class, LogEvent.class)) {
      EventType type = EventType.getEventType(c);
      String settings =
          type.getSettingDescriptors().stream()
              .map(SettingDescriptor::getName)
              .sorted()
              .collect(Collectors.joining(","));
      String contextual =
          type.getFields().stream()
              .filter(
                  f ->
                      f.getAnnotationElements().stream()
                          .anyMatch(a -> a.getTypeName().equals("jdk.jfr.Contextual")))
              .map(ValueDescriptor::getName)
              .collect(Collectors.joining(","));
      System.out.println(type.getName() + " settings=" + settings + " contextual=" + contextual);
    }
  }
}
