package dev.cairn.diagnostics.internal;

import dev.cairn.diagnostics.Access;
import dev.cairn.diagnostics.DiagnosticsEndpoint;
import java.util.Collection;
import java.util.Optional;

/**
 * The one HTML page: every endpoint, with a link for those a browser can open as they are (GET,
 * read access, no parameter needed). Plain HTML, no script, no external assets.
 *
 * <p>Links are relative to the page's own URL, so they work wherever the surface is served: at the
 * loopback server's root ({@code ./threads}), or as {@code /actuator/cairn}, whose relative base is
 * {@code /actuator/} ({@code cairn/threads}).
 *
 * <p>Internal API: unsupported, may change without notice.
 */
final class IndexPage {
  private IndexPage() {}

  /**
   * @param mount the last segment of the index's URL when another server serves the surface (no
   *     token instructions then), empty for the loopback server
   */
  static String render(Collection<DiagnosticsEndpoint> endpoints, Optional<String> mount) {
    String base = mount.map(m -> m + "/").orElse("./");
    StringBuilder sb = new StringBuilder(4096);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Cairn diagnostics</title>")
        .append("<style>body{font:15px/1.5 sans-serif;margin:2em;max-width:60em}")
        .append("table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;")
        .append("text-align:left}code{font-size:90%}</style></head><body>\n")
        .append("<h1>Cairn diagnostics</h1>\n");
    if (mount.isEmpty()) {
      sb.append("<p>Every request needs <code>Authorization: Bearer &lt;token&gt;</code>. ")
          .append("Example: <code>curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:PORT/threads</code></p>\n");
    }
    sb.append("<table><tr><th>Method</th><th>Path</th><th>Access</th><th>What</th></tr>\n");
    for (DiagnosticsEndpoint e : endpoints) {
      sb.append("<tr><td>").append(e.method()).append("</td><td>");
      if (e.method().equals("GET") && e.access() == Access.READ) {
        String target = e.path().substring(1);
        if (target.isEmpty()) {
          target = mount.orElse("./");
        } else {
          target = base + target;
        }
        sb.append("<a href=\"").append(html(target))
            .append("\">").append(html(e.path())).append("</a>");
      } else {
        sb.append("<code>").append(html(e.path())).append("</code>");
      }
      sb.append("</td><td>").append(e.access()).append(e.exclusive() ? ", one at a time" : "")
          .append("</td><td>").append(html(e.description())).append("</td></tr>\n");
    }
    sb.append("</table>\n</body></html>\n");
    return sb.toString();
  }

  static String html(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<':
          sb.append("&lt;");
          break;
        case '>':
          sb.append("&gt;");
          break;
        case '&':
          sb.append("&amp;");
          break;
        case '"':
          sb.append("&quot;");
          break;
        case '\'':
          sb.append("&#39;");
          break;
        default:
          sb.append(c);
      }
    }
    return sb.toString();
  }
}
