package io.github.imapbackup.mbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds a message's envelope sender for a From_ line: Return-Path, else From (first address). */
public final class Senders {

    private static final Pattern ANGLE = Pattern.compile("<([^<>\\s@]+@[^<>\\s@]+)>");
    private static final Pattern BARE = Pattern.compile("([^<>\\s@\",;:()]+@[^<>\\s@\",;:()]+)");
    private static final Set<String> FIELDS = Set.of("return-path", "from");

    private Senders() { }

    /**
     * Reads the header section (at most {@code limit} bytes) and resets the stream.
     *
     * @param in a stream supporting mark, positioned at the start of the message
     * @param limit the most bytes to look at
     * @return the sender's addr-spec, or null (the From_ line then says MAILER-DAEMON)
     * @throws IOException if reading fails
     */
    public static String sniff(InputStream in, int limit) throws IOException {
        Map<String, String> fields = HeaderFields.sniff(in, limit, FIELDS);
        String returnPath = address(fields.get("return-path"));
        return returnPath != null ? returnPath : address(fields.get("from"));
    }

    /** The first {@code <local@domain>} of a field's value, else its first bare address, or null. */
    private static String address(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = ANGLE.matcher(value);
        if (m.find()) {
            return m.group(1);
        }
        m = BARE.matcher(value);
        return m.find() ? m.group(1) : null;
    }
}
