package io.github.imapbackup.examples.cli;

import java.time.Duration;
import java.util.Locale;

/** Number formatting for people: sizes, rates, durations. */
final class Format {

    private Format() { }

    /** Returns {@code 999 B}, {@code 1.5 KB}, {@code 12.3 MB}, ... (powers of 1024). */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB", "EB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    /** Returns {@code 1:02:03} or {@code 2:03}. */
    static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        long h = s / 3600;
        long m = s / 60 % 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /** Returns a string of at most {@code width} characters, cut with an ellipsis. */
    static String fit(String s, int width) {
        if (s.length() <= width) {
            return s;
        }
        return width <= 3 ? s.substring(0, width) : s.substring(0, width - 3) + "...";
    }

    /**
     * Indents compact JSON two spaces per level (for people; the report file stays compact).
     *
     * @param json compact JSON
     * @return the same JSON, indented
     */
    static String prettyJson(String json) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < json.length()) {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    inString = true;
                    out.append(c);
                }
                case '{', '[' -> {
                    char close = c == '{' ? '}' : ']';
                    if (i + 1 < json.length() && json.charAt(i + 1) == close) {
                        out.append(c).append(close);
                        i++;
                    } else {
                        depth++;
                        out.append(c).append('\n').append("  ".repeat(depth));
                    }
                }
                case '}', ']' -> {
                    depth--;
                    out.append('\n').append("  ".repeat(depth)).append(c);
                }
                case ',' -> out.append(",\n").append("  ".repeat(depth));
                case ':' -> out.append(": ");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
