package io.github.imapbackup;

import java.util.Objects;

/**
 * The identity of a message derived from its header section: the normalized first Message-ID
 * ({@code mid:<local@domain>}), or a deterministic synthetic value ({@code syn:<sha-256 hex>})
 * when the message has no usable Message-ID.
 *
 * <p>The same message yields the same identity whether its header came from a server or from a
 * stored mbox file; see {@link io.github.imapbackup.spi.MessageIdExtractor}.
 *
 * @param value the identity, starting with {@code mid:} or {@code syn:}
 */
public record MessageIdentity(String value) {

    /** Prefix of identities derived from a Message-ID field. */
    public static final String MESSAGE_ID_PREFIX = "mid:";
    /** Prefix of synthetic identities. */
    public static final String SYNTHETIC_PREFIX = "syn:";

    /**
     * Validates the value.
     *
     * @param value the identity, starting with {@code mid:} or {@code syn:}
     */
    public MessageIdentity {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(MESSAGE_ID_PREFIX) && !value.startsWith(SYNTHETIC_PREFIX)) {
            throw new IllegalArgumentException("identity must start with mid: or syn: : " + value);
        }
        if (value.length() <= 4) {
            throw new IllegalArgumentException("empty identity: " + value);
        }
    }

    /**
     * Returns the identity of a normalized Message-ID.
     *
     * @param normalizedMessageId the Message-ID without comments and white space, e.g.
     *     {@code <abc@example.org>}
     * @return the identity
     */
    public static MessageIdentity ofMessageId(String normalizedMessageId) {
        return new MessageIdentity(MESSAGE_ID_PREFIX + normalizedMessageId);
    }

    /** {@return whether this identity is synthetic (the message had no usable Message-ID)} */
    public boolean synthetic() {
        return value.startsWith(SYNTHETIC_PREFIX);
    }

    /**
     * Written out, as the generated one would be: a record's generated {@code equals} and
     * {@code hashCode} are linked at their first call, and the first such link in a JVM sets up
     * {@code java.lang.runtime.ObjectMethods} (30-40 ms cold), on the first restore's or
     * migration's way to its first message (docs/benchmarks-imap.md, "Records' first equals and hashCode").
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof MessageIdentity other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
