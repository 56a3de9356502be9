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
 * @param labels Gmail's labels of the message ({@code X-GM-LABELS}: system labels such as
 *     {@code \Inbox}, {@code \Sent}, {@code \Important} with their backslash, user labels decoded
 *     from modified UTF-7), recorded when a source asks for them; empty otherwise
 */
public record MessageInfo(long uid, long size, Instant internalDate, Set<String> flags,
        MessageIdentity identity, long modSeq, String sender, Set<String> labels) {

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
     * @param labels Gmail's labels of the message, or empty
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
        labels = Set.copyOf(labels);
    }

    /**
     * A message without labels (every source but Gmail's with labels asked for).
     *
     * @param uid the UID
     * @param size RFC822.SIZE
     * @param internalDate INTERNALDATE
     * @param flags system flags and keywords, as the server spells them
     * @param identity the identity from the header section
     * @param modSeq MODSEQ, or 0 when the server has no CONDSTORE
     * @param sender the sender's addr-spec for the mbox From_ line, or null when unknown
     */
    public MessageInfo(long uid, long size, Instant internalDate, Set<String> flags,
            MessageIdentity identity, long modSeq, String sender) {
        this(uid, size, internalDate, flags, identity, modSeq, sender, Set.of());
    }
}
