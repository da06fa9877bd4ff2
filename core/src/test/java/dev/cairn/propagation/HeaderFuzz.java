package dev.cairn.propagation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Grammar-aware generator of header sets: valid headers of each format, then mutated (a character
 * replaced, inserted or deleted, a field cut or repeated, limits pushed), plus plain random text.
 * Seeded, so a failure reproduces.
 */
final class HeaderFuzz {
  private static final String LOWER_HEX = "0123456789abcdef";
  private static final String NASTY = "-_=,;/ \t%\"\\@*:.0fFAZaz\r\n\u00e9\u2028\u0000~!#";

  final SplittableRandom r;

  HeaderFuzz(long seed) {
    this.r = new SplittableRandom(seed);
  }

  // ---- building blocks ----

  String hex(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(LOWER_HEX.charAt(r.nextInt(16)));
    }
    return sb.toString();
  }

  /** Mostly random hex ids, sometimes all zero, sometimes upper case. */
  String id(int n) {
    int p = r.nextInt(40);
    if (p == 0) {
      return "0".repeat(n);
    }
    if (p == 1) {
      return hex(n).toUpperCase();
    }
    return hex(n);
  }

  char anyChar() {
    int p = r.nextInt(10);
    if (p < 6) {
      return NASTY.charAt(r.nextInt(NASTY.length()));
    }
    if (p < 9) {
      return (char) (0x20 + r.nextInt(0x5F));
    }
    return (char) r.nextInt(0x3000);
  }

  String randomText(int maxLen) {
    int n = r.nextInt(maxLen + 1);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(anyChar());
    }
    return sb.toString();
  }

  /** Applies 0–3 random edits, or sometimes replaces the text outright. */
  String mutate(String s) {
    int p = r.nextInt(10);
    if (p < 4) {
      return s; // keep a good share valid, so acceptance is compared too
    }
    if (p == 9) {
      return randomText(80);
    }
    StringBuilder sb = new StringBuilder(s);
    int edits = 1 + r.nextInt(3);
    for (int e = 0; e < edits; e++) {
      int op = r.nextInt(5);
      int at = sb.length() == 0 ? 0 : r.nextInt(sb.length());
      switch (op) {
        case 0:
          if (sb.length() > 0) {
            sb.setCharAt(at, anyChar());
          }
          break;
        case 1:
          sb.insert(at, anyChar());
          break;
        case 2:
          if (sb.length() > 0) {
            sb.deleteCharAt(at);
          }
          break;
        case 3:
          sb.setLength(at);
          break;
        default:
          sb.append(sb, at, sb.length());
          break;
      }
    }
    return sb.toString();
  }

  // ---- formats ----

  String traceparent() {
    String version;
    int v = r.nextInt(20);
    version = v == 0 ? "ff" : v == 1 ? "01" : v == 2 ? "cc" : v == 3 ? "0A" : "00";
    String flags = r.nextInt(10) == 0 ? hex(2) : r.nextBoolean() ? "01" : "00";
    String tp = version + "-" + id(32) + "-" + id(16) + "-" + flags;
    if (!version.equals("00") && r.nextBoolean()) {
      tp += "-" + hex(r.nextInt(8));
    }
    return mutate(tp);
  }

  String tracestateKey() {
    int p = r.nextInt(20);
    String base = "k" + hex(1 + r.nextInt(4));
    switch (p) {
      case 0:
        return "a".repeat(256);
      case 1:
        return "a".repeat(257);
      case 2:
        return hex(6) + "@" + "vendor" + hex(1);
      case 3:
        return "Upper";
      case 4:
        return "k" + hex(1); // invites duplicates
      case 5:
        return "0" + hex(3);
      case 6:
        return "_bad";
      default:
        return base;
    }
  }

  String tracestateValue() {
    int p = r.nextInt(15);
    switch (p) {
      case 0:
        return "";
      case 1:
        return "a b";
      case 2:
        return "trailing ";
      case 3:
        return "x".repeat(r.nextInt(300));
      case 4:
        return "has=eq";
      default:
        return hex(1 + r.nextInt(16));
    }
  }

  String tracestate() {
    int n = r.nextInt(10) == 0 ? 28 + r.nextInt(10) : r.nextInt(5);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(r.nextInt(8) == 0 ? " , " : ",");
      }
      if (r.nextInt(25) == 0) {
        continue; // an empty member
      }
      sb.append(tracestateKey()).append('=').append(tracestateValue());
    }
    return r.nextInt(4) == 0 ? mutate(sb.toString()) : sb.toString();
  }

  Map<String, String> w3cHeaders() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("traceparent", traceparent());
    if (r.nextInt(3) > 0) {
      m.put("tracestate", tracestate());
    }
    return m;
  }

  String baggageValue() {
    int p = r.nextInt(12);
    switch (p) {
      case 0:
        return "";
      case 1:
        return "%20x%2C";
      case 2:
        return "%E2%9C%93";
      case 3:
        return "%zz";
      case 4:
        return "a b";
      case 5:
        return "x".repeat(r.nextInt(50) == 0 ? 9000 : r.nextInt(300));
      case 6:
        return "q\"uote";
      default:
        return hex(1 + r.nextInt(10));
    }
  }

  String baggage() {
    int n = r.nextInt(20) == 0 ? 60 + r.nextInt(10) : r.nextInt(6);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(r.nextInt(6) == 0 ? " , " : ",");
      }
      String key = r.nextInt(15) == 0 ? "bad key" : "k" + hex(1 + r.nextInt(2));
      sb.append(key).append(r.nextInt(10) == 0 ? " = " : "=").append(baggageValue());
      if (r.nextInt(5) == 0) {
        sb.append(r.nextBoolean() ? ";prop" : ";ttl=60;flag");
      }
    }
    return mutate(sb.toString());
  }

  Map<String, String> baggageHeaders() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("baggage", baggage());
    return m;
  }

  String sampling() {
    int p = r.nextInt(12);
    return p == 0 ? "d" : p == 1 ? "x" : p == 2 ? "true" : r.nextBoolean() ? "1" : "0";
  }

  Map<String, String> b3SingleHeaders() {
    Map<String, String> m = new LinkedHashMap<>();
    String h;
    int p = r.nextInt(20);
    if (p == 0) {
      h = sampling();
    } else {
      h = id(r.nextInt(4) == 0 ? 16 : 32) + "-" + id(16);
      if (r.nextInt(4) > 0) {
        h += "-" + sampling();
        if (r.nextInt(3) == 0) {
          h += "-" + id(16);
        }
      }
    }
    m.put("b3", mutate(h));
    return m;
  }

  Map<String, String> b3MultiHeaders() {
    Map<String, String> m = new LinkedHashMap<>();
    if (r.nextInt(20) > 0) {
      m.put("x-b3-traceid", mutate(id(r.nextInt(4) == 0 ? 16 : 32)));
    }
    if (r.nextInt(20) > 0) {
      m.put("x-b3-spanid", mutate(id(16)));
    }
    if (r.nextInt(3) == 0) {
      m.put("x-b3-parentspanid", mutate(id(16)));
    }
    if (r.nextInt(4) > 0) {
      String s = sampling();
      m.put("x-b3-sampled", mutate(s.equals("d") ? "1" : s));
    }
    if (r.nextInt(10) == 0) {
      m.put("x-b3-flags", mutate("1"));
    }
    return m;
  }

  Map<String, String> xrayHeaders() {
    String h = "Root=1-" + id(8) + "-" + id(24) + ";Parent=" + id(16) + ";Sampled=" + (r.nextBoolean() ? "1" : "0");
    Map<String, String> m = new LinkedHashMap<>();
    m.put("x-amzn-trace-id", mutate(h));
    return m;
  }

  Map<String, String> gcpHeaders() {
    String h = id(32) + "/" + Long.toUnsignedString(r.nextLong()) + (r.nextBoolean() ? ";o=1" : "");
    Map<String, String> m = new LinkedHashMap<>();
    m.put("x-cloud-trace-context", mutate(h));
    return m;
  }
}
