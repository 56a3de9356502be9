package io.github.imapbackup.internal;

/** Turns the raw value of a Message-ID field into its normalized form (docs/FORMAT-identity.md). */
final class MessageIdCleaner {

    private MessageIdCleaner() { }

    /**
     * Normalizes a raw field value: comments and white space removed, the first bracketed id
     * taken, brackets added. Bytes map one to one to chars U+0000 to U+00FF.
     *
     * @param raw the unfolded field value (line breaks may still be present)
     * @param len how many bytes of {@code raw} are valid
     * @return {@code <id>}, or null when nothing usable remains
     */
    static String normalize(byte[] raw, int len) {
        String s = stripCommentsAndSpace(raw, len);
        String inner = innermost(s);
        return inner.isEmpty() ? null : "<" + inner + ">";
    }

    /** Removes comments (nested, with quoted-pairs) and every SP, HTAB, CR and LF. */
    static String stripCommentsAndSpace(byte[] raw, int len) {
        StringBuilder sb = new StringBuilder(Math.min(len, 256));
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < len; i++) {
            char c = (char) (raw[i] & 0xff);
            if (depth > 0) {
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
                continue;
            }
            if (isSpace(c)) {
                continue;
            }
            if (quoted) {
                if (c == '\\' && i + 1 < len) {
                    sb.append(c);
                    char next = (char) (raw[++i] & 0xff);
                    if (!isSpace(next)) {
                        sb.append(next);
                    }
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                }
                sb.append(c);
                continue;
            }
            if (c == '(') {
                depth = 1;
            } else {
                if (c == '"') {
                    quoted = true;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Returns the text between the first {@code <} and the next {@code >} outside a quoted string
     * (or to the end), or the whole text when it has no {@code <}; stray brackets removed.
     */
    static String innermost(String s) {
        int open = indexOutsideQuotes(s, '<', 0);
        String inner;
        if (open < 0) {
            inner = s;
        } else {
            int close = indexOutsideQuotes(s, '>', open + 1);
            inner = close < 0 ? s.substring(open + 1) : s.substring(open + 1, close);
        }
        if (inner.indexOf('<') >= 0 || inner.indexOf('>') >= 0) {
            inner = removeBracketsOutsideQuotes(inner);
        }
        return inner;
    }

    private static String removeBracketsOutsideQuotes(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\' && i + 1 < s.length()) {
                sb.append(c).append(s.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '<' || c == '>')) {
                continue;
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static int indexOutsideQuotes(String s, char wanted, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == wanted && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
