package io.github.imapbackup;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One message held in a backup, as its folder index records it, or in another target (an IMAP
 * folder) as far as that target can tell.
 *
 * @param uidValidity the UIDVALIDITY under which {@code uid} was valid, or 0 when the message did
 *     not come from a server (import)
 * @param uid the UID on the server, or 0 when unknown
 * @param identity the identity derived from the header section
 * @param offset byte position of the message's separator line in the (uncompressed) mbox
 * @param length number of bytes of the message exactly as the server sent it
 * @param sha256 lowercase hex SHA-256 of those bytes, or null when the target cannot tell without
 *     downloading them (an IMAP folder); an entry of a backup directory always has it
 * @param size RFC822.SIZE as the server reported it (equal to {@code length} for imports)
 * @param internalDate INTERNALDATE
 * @param flags flags and keywords as last seen on the server
 * @param expunged whether the server has expunged the message since (it stays in the mbox)
 * @param labels Gmail's labels as last seen on the server ({@code X-GM-LABELS}), empty when none
 *     were recorded
 */
public record ArchivedMessage(long uidValidity, long uid, MessageIdentity identity, long offset,
        long length, String sha256, long size, Instant internalDate, Set<String> flags,
        boolean expunged, Set<String> labels) {

    /**
     * Validates and copies.
     *
     * @param uidValidity the UIDVALIDITY under which {@code uid} was valid, or 0 when the message
     *     did not come from a server (import)
     * @param uid the UID on the server, or 0 when unknown
     * @param identity the identity derived from the header section
     * @param offset byte position of the message's separator line in the (uncompressed) mbox
     * @param length number of bytes of the message exactly as the server sent it
     * @param sha256 lowercase hex SHA-256 of those bytes, or null when the target cannot tell
     *     without downloading them (an IMAP folder); an entry of a backup directory always has it
     * @param size RFC822.SIZE as the server reported it (equal to {@code length} for imports)
     * @param internalDate INTERNALDATE
     * @param flags flags and keywords as last seen on the server
     * @param expunged whether the server has expunged the message since (it stays in the mbox)
     * @param labels Gmail's labels as last seen on the server, empty when none were recorded
     */
    public ArchivedMessage {
        if (uidValidity < 0 || uid < 0 || offset < 0 || length < 0 || size < 0) {
            throw new IllegalArgumentException("negative value in archived message");
        }
        Objects.requireNonNull(identity, "identity");
        if (sha256 != null && sha256.length() != 64) {
            throw new IllegalArgumentException("sha256 must be 64 hex digits: " + sha256);
        }
        Objects.requireNonNull(internalDate, "internalDate");
        flags = Set.copyOf(flags);
        labels = Set.copyOf(labels);
    }

    /**
     * A message without recorded labels.
     *
     * @param uidValidity the UIDVALIDITY under which {@code uid} was valid, or 0
     * @param uid the UID on the server, or 0 when unknown
     * @param identity the identity derived from the header section
     * @param offset byte position of the message's separator line in the (uncompressed) mbox
     * @param length number of bytes of the message exactly as the server sent it
     * @param sha256 lowercase hex SHA-256 of those bytes, or null when the target cannot tell
     * @param size RFC822.SIZE as the server reported it
     * @param internalDate INTERNALDATE
     * @param flags flags and keywords as last seen on the server
     * @param expunged whether the server has expunged the message since
     */
    public ArchivedMessage(long uidValidity, long uid, MessageIdentity identity, long offset,
            long length, String sha256, long size, Instant internalDate, Set<String> flags,
            boolean expunged) {
        this(uidValidity, uid, identity, offset, length, sha256, size, internalDate, flags, expunged, Set.of());
    }

    /**
     * Every component, as the generated one compares them. Written out: a record's generated
     * {@code equals} and {@code hashCode} are linked at their first call, and the first such link in
     * a JVM sets up {@code java.lang.runtime.ObjectMethods} (30-40 ms cold), which a restore and a
     * migration did for their first folder's plan (docs/benchmarks-imap.md, "Records' first equals
     * and hashCode").
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ArchivedMessage m && uidValidity == m.uidValidity && uid == m.uid
                && offset == m.offset && length == m.length && size == m.size && expunged == m.expunged
                && identity.equals(m.identity) && Objects.equals(sha256, m.sha256)
                && internalDate.equals(m.internalDate) && flags.equals(m.flags) && labels.equals(m.labels);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(uidValidity);
        h = 31 * h + Long.hashCode(uid);
        h = 31 * h + identity.hashCode();
        h = 31 * h + Long.hashCode(offset);
        h = 31 * h + Long.hashCode(length);
        h = 31 * h + Objects.hashCode(sha256);
        h = 31 * h + Long.hashCode(size);
        h = 31 * h + internalDate.hashCode();
        h = 31 * h + flags.hashCode();
        h = 31 * h + Boolean.hashCode(expunged);
        return 31 * h + labels.hashCode();
    }
}
