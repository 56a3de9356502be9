package io.github.imapbackup.imap;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import java.io.ByteArrayInputStream;

/**
 * The sender's header fields as {@link Messages#sender} read them before, with Jakarta Mail's
 * {@link InternetHeaders}: the oracle {@link MessagesTest} compares {@link SenderFields} with.
 */
final class JakartaSender {

    private JakartaSender() { }

    /** Returns {first From value, first Sender value}, unfolded as Messages did, or nulls. */
    static String[] fields(byte[] header, int off, int len) {
        InternetHeaders fields;
        try {
            fields = new InternetHeaders(new ByteArrayInputStream(header, off, len), true);
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
        return new String[] {unfolded(fields, "From"), unfolded(fields, "Sender")};
    }

    private static String unfolded(InternetHeaders fields, String name) {
        String[] values = fields.getHeader(name);
        return values == null || values.length == 0 ? null : values[0].replaceAll("\r?\n", "");
    }
}
