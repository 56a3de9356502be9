package io.github.imapbackup.mbox.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Formats mbox separator lines: {@code From <addr> <asctime UTC>}. */
public final class FromLine {

    /** The sender written when none is known. */
    public static final String UNKNOWN_SENDER = "MAILER-DAEMON";

    private FromLine() { }

    /**
     * Returns the separator line, with its final {@code \n}.
     *
     * @param sender the sender's addr-spec, or null; anything with white space, control characters
     *     or non-ASCII characters, or without content, becomes {@code MAILER-DAEMON}
     * @param date the INTERNALDATE
     * @return the line as US-ASCII bytes
     */
    public static byte[] format(String sender, Instant date) {
        return ("From " + sanitize(sender) + " " + asctime(date) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Returns the date in asctime form, UTC: {@code Sat Nov 21 23:39:50 2026} (day padded with a
     * space).
     *
     * @param date the date
     * @return the text
     */
    public static String asctime(Instant date) {
        return UtcTimes.asctime(date);
    }

    /**
     * Returns the sender as it can stand in a From_ line.
     *
     * @param sender the addr-spec, or null
     * @return the sender, or {@code MAILER-DAEMON}
     */
    public static String sanitize(String sender) {
        if (sender == null) {
            return UNKNOWN_SENDER;
        }
        String s = sender.strip();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isEmpty() || s.length() > 512) {
            return UNKNOWN_SENDER;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return UNKNOWN_SENDER;
            }
        }
        return s;
    }
}
