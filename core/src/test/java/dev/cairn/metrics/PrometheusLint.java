package dev.cairn.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of {@code promtool check metrics} that matter for Cairn's meter families, in Java so a
 * build without promtool still checks them: names match {@code [a-zA-Z_:][a-zA-Z0-9_:]*} and are
 * snake case, every family has HELP and TYPE once, counters end in {@code _total}, units are base
 * units written as suffixes (seconds and bytes, never milliseconds or kilobytes, no abbreviations
 * such as {@code _ms}), and no name carries its type ({@code _counter}, {@code _gauge}).
 */
final class PrometheusLint {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern CAMEL = Pattern.compile("[a-z][A-Z]");
  private static final String[] NON_BASE_UNITS = {
    "nanoseconds", "microseconds", "milliseconds", "minutes", "hours", "days", "weeks",
    "kilobytes", "megabytes", "gigabytes", "terabytes", "petabytes", "kibibytes", "mebibytes",
    "gibibytes", "bits", "kilometers", "millimeters", "centimeters", "grams", "kilograms",
    "celsius", "fahrenheit", "percent"
  };
  private static final String[] ABBREVIATIONS = {
    "s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"
  };

  private PrometheusLint() {}

  /** Problems in the families whose name starts with {@code prefix}, one line each. */
  static List<String> check(String exposition, String prefix) {
    List<String> problems = new ArrayList<>();
    Set<String> help = new HashSet<>();
    Map<String, String> types = new HashMap<>();
    for (String line : exposition.split("\n")) {
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ", 4);
        String name = parts[2];
        if (!name.startsWith(prefix)) {
          continue;
        }
        if (line.startsWith("# HELP ")) {
          if (!help.add(name)) {
            problems.add(name + ": HELP given twice");
          }
          if (parts.length < 4 || parts[3].isBlank()) {
            problems.add(name + ": no help text");
          }
        } else {
          String type = parts.length > 3 ? parts[3].trim() : "";
          if (types.put(name, type) != null) {
            problems.add(name + ": TYPE given twice");
          }
          checkFamily(name, type, problems);
        }
      }
    }
    for (String name : types.keySet()) {
      if (!help.contains(name)) {
        problems.add(name + ": no HELP");
      }
    }
    return problems;
  }

  private static void checkFamily(String name, String type, List<String> problems) {
    if (!NAME.matcher(name).matches()) {
      problems.add(name + ": not a valid metric name");
    }
    if (CAMEL.matcher(name).find()) {
      problems.add(name + ": camel case; use snake_case");
    }
    if (type.equals("counter") && !name.endsWith("_total")) {
      problems.add(name + ": counter names should end in _total");
    }
    if (!type.equals("counter") && name.endsWith("_total")) {
      problems.add(name + ": only counters end in _total");
    }
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    for (String unit : NON_BASE_UNITS) {
      if (lower.contains(unit)) {
        problems.add(name + ": '" + unit + "' is not a base unit (use seconds, bytes, meters, ratios)");
      }
    }
    for (String a : ABBREVIATIONS) {
      if (lower.contains("_" + a + "_") || lower.endsWith("_" + a)) {
        problems.add(name + ": abbreviated unit '" + a + "'");
      }
    }
    for (String t : new String[] {"counter", "gauge", "histogram", "summary"}) {
      if (type.equals(t) && (lower.contains("_" + t + "_") || lower.endsWith("_" + t))) {
        problems.add(name + ": the name carries its type '" + t + "'");
      }
    }
  }
}
