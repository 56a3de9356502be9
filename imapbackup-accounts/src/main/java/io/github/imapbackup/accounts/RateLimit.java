package io.github.imapbackup.accounts;

/**
 * Caps on how fast one account is read: bytes per second and messages per second, each 0 for no
 * cap. Several caps that apply to one account (the configuration's, the provider's) combine into
 * the stricter of each ({@link #stricter(RateLimit)}); an account's own cap replaces them.
 *
 * <pre>{@code
 * RateLimit gmail = new RateLimit(23_000, 0);          // about 2 GB a day, no cap on messages
 * RateLimit both = gmail.stricter(new RateLimit(0, 5)); // 23,000 bytes/s and 5 messages/s
 * }</pre>
 *
 * @param bytesPerSecond the most bytes per second, 0 for no cap
 * @param messagesPerSecond the most messages per second, 0 for no cap
 */
public record RateLimit(long bytesPerSecond, double messagesPerSecond) {

    /** No cap at all. */
    public static final RateLimit NONE = new RateLimit(0, 0);

    /**
     * A rate limit.
     *
     * @param bytesPerSecond the most bytes per second, 0 for no cap
     * @param messagesPerSecond the most messages per second, 0 for no cap
     * @throws IllegalArgumentException if a value is negative, or the message rate is not finite
     */
    public RateLimit {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytes per second must be 0 (no cap) or more: " + bytesPerSecond);
        }
        if (!(messagesPerSecond >= 0) || Double.isInfinite(messagesPerSecond)) {
            throw new IllegalArgumentException("messages per second must be 0 (no cap) or more: "
                    + messagesPerSecond);
        }
    }

    /** {@return whether neither rate is capped} */
    public boolean isNone() {
        return bytesPerSecond == 0 && messagesPerSecond == 0;
    }

    /**
     * Combines two caps: for each rate, the lower of the two (a missing cap imposes nothing).
     *
     * @param other the other cap
     * @return the stricter of each rate
     */
    public RateLimit stricter(RateLimit other) {
        return new RateLimit(min(bytesPerSecond, other.bytesPerSecond),
                minDouble(messagesPerSecond, other.messagesPerSecond));
    }

    private static long min(long a, long b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    private static double minDouble(double a, double b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }
}
