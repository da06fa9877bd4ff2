package dev.cairn.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceTest {

  @Test
  void builderKeepsTypedValuesInInsertionOrder() {
    Resource r =
        Resource.builder().serviceName("shop").put("n", 3L).put("d", 0.5).put("b", true).build();
    assertThat(List.copyOf(r.attributes().keySet())).containsExactly("service.name", "n", "d", "b");
    assertThat(r.get("n")).contains(3L);
    assertThat(r.get("d")).contains(0.5);
    assertThat(r.get("b")).contains(true);
    assertThat(r.getString("n")).isEmpty();
  }

  @Test
  void attributesCannotBeModified() {
    Resource r = Resource.builder().put("k", "v").build();
    assertThatThrownBy(() -> r.attributes().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void builderChangesDoNotLeakIntoBuiltResources() {
    Resource.Builder b = Resource.builder().put("k", "v");
    Resource first = b.build();
    b.put("k", "changed");
    assertThat(first.getString("k")).contains("v");
  }

  @Test
  void mergeLetsTheOtherResourceWin() {
    Resource a = Resource.builder().put("k", "a").put("only.a", "1").build();
    Resource b = Resource.builder().put("k", "b").build();
    Resource m = a.merge(b);
    assertThat(m.getString("k")).contains("b");
    assertThat(m.getString("only.a")).contains("1");
    assertThat(a.merge(Resource.empty())).isSameAs(a);
  }

  @Test
  void serviceNameFallsBackToTheDefault() {
    assertThat(Resource.empty().serviceName()).isEqualTo(Resource.DEFAULT_SERVICE_NAME);
  }

  @Test
  void refusesNullValuesAndEmptyKeys() {
    assertThatThrownBy(() -> Resource.builder().put("k", (String) null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Resource.builder().put("", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void equalResourcesAreEqual() {
    assertThat(Resource.builder().put("k", "v").build())
        .isEqualTo(Resource.builder().put("k", "v").build())
        .hasSameHashCodeAs(Resource.builder().put("k", "v").build());
  }
}
