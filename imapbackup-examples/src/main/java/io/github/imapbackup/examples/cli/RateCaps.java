package io.github.imapbackup.examples.cli;

import io.github.imapbackup.imap.ImapSource;
import java.util.Locale;

/**
 * An account's rate caps as the options give them ({@code --max-bytes-per-second},
 * {@code --max-messages-per-second}; docs/CLI.md): 0 for none.
 *
 * @param bytesPerSecond the byte cap, or 0
 * @param messagesPerSecond the message cap, or 0
 */
record RateCaps(long bytesPerSecond, double messagesPerSecond) {

    /** No cap. */
    static final RateCaps NONE = new RateCaps(0, 0);

    /**
     * Reads the options.
     *
     * @param bytes {@code N}, {@code Nk}, {@code NM} or {@code NG} (1024 multiples), or null
     * @param messages a decimal number, or null
     * @return the caps
     * @throws UsageException naming the option when a value is malformed or out of range
     */
    static RateCaps of(String bytes, Double messages) {
        long b = bytes == null ? 0 : bytes(bytes.strip());
        double m = messages == null ? 0 : messages;
        if (b != 0 && b < 1024) {
            throw new UsageException("--max-bytes-per-second must be at least 1024 (1k), not " + bytes);
        }
        if (m != 0 && !(m >= 0.001 && m <= 1_000_000)) {
            throw new UsageException("--max-messages-per-second must be between 0.001 and 1000000, not " + messages);
        }
        return new RateCaps(b, m);
    }

    private static long bytes(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        int shift = t.endsWith("k") ? 10 : t.endsWith("m") ? 20 : t.endsWith("g") ? 30 : 0;
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        if (!digits.matches("\\d{1,12}")) {
            throw new UsageException("--max-bytes-per-second takes a whole number of bytes, with k, M or G for"
                    + " 1024, 1024^2, 1024^3 (e.g. 512k), not \"" + text + "\"");
        }
        return Long.parseLong(digits) << shift;
    }

    /** {@return the builder with these caps set} */
    ImapSource.Builder apply(ImapSource.Builder b) {
        return b.maxBytesPerSecond(bytesPerSecond).maxMessagesPerSecond(messagesPerSecond);
    }
}
