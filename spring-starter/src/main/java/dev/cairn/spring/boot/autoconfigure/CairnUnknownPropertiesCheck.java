package dev.cairn.spring.boot.autoconfigure;

import dev.cairn.diagnostics.DiagnosticsSettings;
import dev.cairn.internal.Fatal;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Warns once at start for every {@code cairn.*} property that nothing binds, naming the closest
 * known property: a misspelt name is otherwise ignored in silence (a black box that never starts).
 *
 * <p>The known names are read from the {@code META-INF/spring-configuration-metadata.json} the
 * build generates from {@link CairnProperties}, so they follow the properties class; the keys of
 * {@code cairn.diagnostics.*} come from {@link DiagnosticsSettings#KEYS}. Names are compared the
 * way Boot binds them (relaxed binding): {@code cairn.jfr.blackBoxDirectory}, {@code
 * cairn.jfr.black-box-directory} and the variable {@code CAIRN_JFR_BLACKBOXDIRECTORY} are the same
 * property. Under a map-valued property ({@code cairn.export.headers.*}) every key is known, and
 * so is every index of a list-valued one.
 */
final class CairnUnknownPropertiesCheck {
  static final String LOGGER = "dev.cairn.spring.boot.autoconfigure.CairnUnknownPropertiesCheck";
  private static final String METADATA = "META-INF/spring-configuration-metadata.json";
  private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("cairn");
  private static final ConfigurationPropertyName INTERNAL = ConfigurationPropertyName.of("cairn.internal");
  private static final Pattern ENTRY =
      Pattern.compile("\"name\"\\s*:\\s*\"(cairn\\.[^\"]+)\"(?:[^{}]*?\"type\"\\s*:\\s*\"([^\"]+)\")?");

  /** A known property: its dashed name, as documented, and whether it holds a map or a list. */
  record Known(String name, ConfigurationPropertyName key, boolean open) {}

  private CairnUnknownPropertiesCheck() {}

  /** Logs one WARN per unknown {@code cairn.*} property of {@code env}. Never throws. */
  static void check(Environment env, ClassLoader loader) {
    try {
      List<Known> known = knownProperties(loader);
      if (known.isEmpty()) {
        return; // no metadata on the class path (a repackaged jar without it): nothing to compare to
      }
      Logger log = LoggerFactory.getLogger(LOGGER);
      for (Map.Entry<ConfigurationPropertyName, String> u : unknown(env, known).entrySet()) {
        log.warn(
            "Cairn: unknown property '{}' ({}) is ignored; did you mean '{}'?",
            u.getKey(), u.getValue(), closest(u.getKey(), known));
      }
    } catch (Throwable t) {
      Fatal.rethrowIfFatal(t);
      LoggerFactory.getLogger(LOGGER).debug("Cairn: property check skipped", t);
    }
  }

  /** The unknown names, each with where it was set, in property-source order. */
  static Map<ConfigurationPropertyName, String> unknown(Environment env, List<Known> known) {
    Map<ConfigurationPropertyName, String> found = new LinkedHashMap<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(env)) {
      if (!(source instanceof IterableConfigurationPropertySource names)) {
        continue;
      }
      boolean variables = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
      names.stream()
          .filter(n -> ROOT.isAncestorOf(n) && !INTERNAL.isAncestorOf(n))
          .filter(n -> !isKnown(n, known) && !(variables && isKnownVariable(n, known)))
          .forEach(n -> found.computeIfAbsent(n, k -> where(source, k)));
    }
    return found;
  }

  private static String where(ConfigurationPropertySource source, ConfigurationPropertyName name) {
    ConfigurationProperty p = source.getConfigurationProperty(name);
    if (p != null && p.getOrigin() != null) {
      return p.getOrigin().toString();
    }
    Object underlying = source.getUnderlyingSource();
    return underlying instanceof org.springframework.core.env.PropertySource<?> ps
        ? ps.getName()
        : String.valueOf(underlying);
  }

  static boolean isKnown(ConfigurationPropertyName name, List<Known> known) {
    for (Known k : known) {
      if (k.key().equals(name)) {
        return true;
      }
      if (k.key().isAncestorOf(name)) {
        // A map takes any key below it; a list takes indexes ("formats[0]", FORMATS_0).
        if (k.open() || (name.getNumberOfElements() == k.key().getNumberOfElements() + 1
            && name.isLastElementIndexed())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Boot also binds a variable written with underscores for dashes ({@code
   * CAIRN_JFR_BLACK_BOX_DIRECTORY} for {@code cairn.jfr.black-box-directory}), which its mapper
   * names {@code cairn.jfr.black.box.directory}.
   */
  static boolean isKnownVariable(ConfigurationPropertyName name, List<Known> known) {
    String n = name.toString();
    for (Known k : known) {
      String legacy = k.name().replace('-', '.');
      if (n.equals(legacy) || (k.open() && n.startsWith(legacy + "."))) {
        return true;
      }
    }
    return false;
  }

  /** The known property with the smallest edit distance to {@code name}, dashes ignored. */
  static String closest(ConfigurationPropertyName name, List<Known> known) {
    String n = squash(name.toString());
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Known k : known) {
      int d = distance(n, squash(k.name()));
      if (d < bestDistance) {
        bestDistance = d;
        best = k.name();
      }
    }
    return best;
  }

  private static String squash(String s) {
    return s.replace("-", "").toLowerCase(Locale.ROOT);
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /**
   * The {@code cairn.*} properties of every metadata file on the class path, plus the keys of
   * {@code cairn.diagnostics.*}. The metadata is read with a pattern rather than a JSON library,
   * which the starter does not require: each property entry names {@code name} before {@code
   * type}, and neither sits inside a nested object.
   */
  static List<Known> knownProperties(ClassLoader loader) throws IOException {
    Map<String, Known> known = new LinkedHashMap<>();
    Enumeration<URL> files = loader.getResources(METADATA);
    while (files.hasMoreElements()) {
      String json;
      try (InputStream in = files.nextElement().openStream()) {
        json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      int properties = json.indexOf("\"properties\"");
      if (properties < 0) {
        continue;
      }
      Matcher m = ENTRY.matcher(json);
      m.region(properties, json.length());
      while (m.find()) {
        String name = m.group(1);
        String type = m.group(2) == null ? "" : m.group(2);
        if (!ConfigurationPropertyName.isValid(name)) {
          continue;
        }
        boolean open = type.startsWith("java.util.Map");
        known.merge(
            name,
            new Known(name, ConfigurationPropertyName.of(name), open),
            (a, b) -> new Known(name, a.key(), a.open() || b.open()));
      }
    }
    if (known.isEmpty()) {
      return List.of();
    }
    for (String key : DiagnosticsSettings.KEYS) {
      String name = DiagnosticsSettings.PREFIX + key;
      known.putIfAbsent(name, new Known(name, ConfigurationPropertyName.of(name), false));
    }
    return new ArrayList<>(known.values());
  }
}
