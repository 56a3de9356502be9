package io.github.imapbackup.examples.cli;

/** A minimal streaming JSON writer (RFC 8259) for the JSON report. Not thread-safe. */
final class Json {

    private final StringBuilder out = new StringBuilder(256);
    private boolean needComma;

    /** Starts an object. */
    public Json beginObject() {
        comma();
        out.append('{');
        needComma = false;
        return this;
    }

    /** Ends an object. */
    public Json endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    /** Starts an array. */
    public Json beginArray() {
        comma();
        out.append('[');
        needComma = false;
        return this;
    }

    /** Ends an array. */
    public Json endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    /** Writes a member name; the next call writes its value. */
    public Json name(String name) {
        comma();
        string(name);
        out.append(':');
        needComma = false;
        return this;
    }

    /** Writes a string value, or null. */
    public Json value(String value) {
        comma();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        needComma = true;
        return this;
    }

    /** Writes a number. */
    public Json value(long value) {
        comma();
        out.append(value);
        needComma = true;
        return this;
    }

    /** Writes a boolean. */
    public Json value(boolean value) {
        comma();
        out.append(value);
        needComma = true;
        return this;
    }

    private void comma() {
        if (needComma) {
            out.append(',');
            needComma = false;
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)
                            && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                                    && Character.isLowSurrogate(s.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0
                                    && Character.isHighSurrogate(s.charAt(i - 1)))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
