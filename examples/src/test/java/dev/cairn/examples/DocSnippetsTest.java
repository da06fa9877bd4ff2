package dev.cairn.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block in the README and in {@code docs/} compiles against Cairn's modules
 * with only the imports it shows, so the docs cannot drift from the API and a reader who copies a
 * block knows which types it uses. A block is compiled as written when it declares a type;
 * otherwise as the body of a method, or failing that as members of a class, with the block's own
 * import lines moved above it and nothing else imported ({@code java.lang} aside). Blocks meant as
 * prose use another fence language (```text).
 */
class DocSnippetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  record Snippet(String file, int line, String code) {
    String className() {
      return "Snippet_" + file.replaceAll("[^A-Za-z0-9]", "_") + "_" + line;
    }
  }

  @Test
  void everyJavaSnippetInTheReadmeAndDocsCompilesWithItsOwnImportsOnly() throws IOException {
    List<Snippet> snippets = snippets();
    assertThat(snippets).as("java snippets found in README.md and docs/").isNotEmpty();

    Map<Snippet, String> failures = new LinkedHashMap<>();
    Map<Snippet, String> asWritten = new LinkedHashMap<>();
    for (Snippet s : snippets) {
      asWritten.put(s, declaresType(s.code())
          ? s.code()
          : ownImports(s) + "class " + s.className()
              + " { void snippet() throws Exception {\n" + withoutImports(s) + "\n} }\n");
    }
    Map<Snippet, String> failed = compile(asWritten);
    Map<Snippet, String> asMembers = new LinkedHashMap<>();
    for (Snippet s : failed.keySet()) {
      if (!declaresType(s.code())) {
        asMembers.put(s, ownImports(s) + "class " + s.className() + " {\n"
            + withoutImports(s) + "\n}\n");
      } else {
        failures.put(s, failed.get(s));
      }
    }
    Map<Snippet, String> stillFailing = compile(asMembers);
    for (Snippet s : stillFailing.keySet()) {
      failures.put(s, failed.get(s));
    }

    assertThat(failures)
        .as("snippets that do not compile (file:line -> first error)")
        .isEmpty();
  }

  /** A fragment's own import lines move above the class that wraps it. */
  private static String ownImports(Snippet s) {
    StringBuilder sb = new StringBuilder();
    s.code().lines().filter(l -> l.startsWith("import ")).forEach(l -> sb.append(l).append('\n'));
    return sb.toString();
  }

  private static String withoutImports(Snippet s) {
    StringBuilder sb = new StringBuilder();
    s.code().lines().forEach(l -> sb.append(l.startsWith("import ") ? "" : l).append('\n'));
    return sb.toString();
  }

  private static boolean declaresType(String code) {
    return code.lines().anyMatch(l -> l.matches(
        "^(public |final |abstract )*(class|record|interface|enum) \\w+.*"));
  }

  static List<Snippet> snippets() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Snippet> out = new ArrayList<>();
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).strip().equals("```java")) {
          int start = i + 1;
          StringBuilder code = new StringBuilder();
          for (i = start; i < lines.size() && !lines.get(i).strip().startsWith("```"); i++) {
            code.append(lines.get(i)).append('\n');
          }
          out.add(new Snippet(ROOT.relativize(f).toString(), start, code.toString()));
        }
      }
    }
    return out;
  }

  /** Compiles each source alone-in-a-batch; returns the ones with errors and their first error. */
  private static Map<Snippet, String> compile(Map<Snippet, String> sources) throws IOException {
    Map<Snippet, String> failures = new LinkedHashMap<>();
    if (sources.isEmpty()) {
      return failures;
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Path out = Files.createTempDirectory("snippets");
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      Map<String, Snippet> byUri = new LinkedHashMap<>();
      List<JavaFileObject> units = new ArrayList<>();
      sources.forEach((snippet, code) -> {
        String name = typeName(snippet, code);
        JavaFileObject unit = new SimpleJavaFileObject(
            URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
          }
        };
        byUri.put(unit.toUri().toString(), snippet);
        units.add(unit);
      });
      List<String> options = List.of("-proc:none", "-d", out.toString(),
          "-cp", System.getProperty("java.class.path"));
      javac.getTask(new StringWriter(), files, diagnostics, options, null, units).call();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.ERROR && d.getSource() != null) {
          Snippet s = byUri.get(d.getSource().toUri().toString());
          if (s != null) {
            failures.putIfAbsent(s, s.file() + ":" + s.line() + " -> " + d.getMessage(Locale.ROOT));
          }
        }
      }
    }
    return failures;
  }

  private static String typeName(Snippet snippet, String code) {
    java.util.regex.Matcher pkg = java.util.regex.Pattern.compile("(?m)^package ([\\w.]+);").matcher(code);
    java.util.regex.Matcher type = java.util.regex.Pattern.compile(
        "(?m)^(?:public )?(?:final |abstract )*(?:class|record|interface|enum) (\\w+)").matcher(code);
    String simple = type.find() ? type.group(1) : snippet.className();
    return (pkg.find() ? pkg.group(1) + "." : "") + simple;
  }
}
