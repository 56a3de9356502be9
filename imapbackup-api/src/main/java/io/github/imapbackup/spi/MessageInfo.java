package io.github.imapbackup.spi;

import io.github.imapbackup.MessageIdentity;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What the server tells about one message before its body is fetched.
 *
 * @param uid the UID
 * @param size RFC822.SIZE
 * @param internalDate INTERNALDATE
 * @param flags system flags ({@code \Seen}, {@code \Answered}, ...) and keywords, as the server
 *     spells them
 * @param identity the identity from the header section
 * @param modSeq MODSEQ, or 0 when the server has no CONDSTORE
 * @param sender the sender's addr-spec for the mbox From_ line (from the envelope), or null when
 *     unknown ({@code MAILER-DAEMON} is written then)
 */
public record MessageInfo(long uid, long size, Instant internalDate, Set<String> flags,
        MessageIdentity identity, long modSeq, String sender) {

    /**
     * Validates and copies.
     *
     * @param uid the UID
     * @param size RFC822.SIZE
     * @param internalDate INTERNALDATE
     * @param flags system flags ({@code \Seen}, {@code \Answered}, ...) and keywords, as the server
     *     spells them
     * @param identity the identity from the header section
     * @param modSeq MODSEQ, or 0 when the server has no CONDSTORE
     * @param sender the sender's addr-spec for the mbox From_ line (from the envelope), or null
     *     when unknown ({@code MAILER-DAEMON} is written then)
     */
    public MessageInfo {
        if (uid <= 0) {
            throw new IllegalArgumentException("uid must be positive: " + uid);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        Objects.requireNonNull(internalDate, "internalDate");
        flags = Set.copyOf(flags);
        Objects.requireNonNull(identity, "identity");
    }
}
