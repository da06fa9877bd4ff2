package dev.cairn.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What Maven gives an application that depends on the starter: only the starter's dependencies
 * that are neither optional nor test-scoped. Read from the pom the starter is published with.
 */
class StarterDependenciesTest {

  record Dependency(String groupId, String artifactId, String scope, boolean optional) {}

  static List<Dependency> declared() throws Exception {
    Path pom = Path.of("pom.xml");
    assertThat(pom).as("run from the starter's module directory").exists();
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Element project = f.newDocumentBuilder().parse(Files.newInputStream(pom)).getDocumentElement();
    List<Dependency> all = new ArrayList<>();
    for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals("dependencies")) {
        NodeList deps = e.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
          Element d = (Element) deps.item(i);
          all.add(
              new Dependency(
                  text(d, "groupId"), text(d, "artifactId"), text(d, "scope"), "true".equals(text(d, "optional"))));
        }
      }
    }
    return all;
  }

  private static String text(Element dependency, String tag) {
    for (Node n = dependency.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        return e.getTextContent().trim();
      }
    }
    return "";
  }

  /**
   * A WebFlux application gets Micrometer's context-propagation library from nothing but the
   * starter (neither Boot's WebFlux starter nor its WebClient starter depend on it), and without it
   * no reactive log line carries a trace id.
   */
  @Test
  void contextPropagation_reachesEveryApplicationThroughTheStarter() throws Exception {
    assertThat(declared())
        .filteredOn(d -> d.groupId().equals("io.micrometer") && d.artifactId().equals("context-propagation"))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.optional()).as("optional").isFalse();
              assertThat(d.scope()).as("scope").isIn("", "compile", "runtime");
            });
  }
}
