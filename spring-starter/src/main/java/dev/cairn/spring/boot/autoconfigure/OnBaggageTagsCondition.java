package dev.cairn.spring.boot.autoconfigure;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code cairn.metrics.baggage-tags} lists at least one name (in any list form). */
final class OnBaggageTagsCondition extends SpringBootCondition {
  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    List<String> tags =
        Binder.get(context.getEnvironment())
            .bind("cairn.metrics.baggage-tags", Bindable.listOf(String.class))
            .orElse(List.of());
    return tags.isEmpty()
        ? ConditionOutcome.noMatch("cairn.metrics.baggage-tags is empty")
        : ConditionOutcome.match("cairn.metrics.baggage-tags = " + tags);
  }
}
