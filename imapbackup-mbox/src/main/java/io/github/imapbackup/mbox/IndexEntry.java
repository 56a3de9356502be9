package io.github.imapbackup.mbox;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.MessageIdentity;
import java.time.Instant;
import java.util.Set;

/** One message of a folder index; update records change its UID, flags and expunged mark. */
final class IndexEntry {

    /** {@link #newline} value of an entry rebuilt from a scan: the separator bytes are not checked. */
    static final int NEWLINE_UNKNOWN = -1;
    /**
     * {@link #newline} value of an entry that holds the server's message in another program's form
     * (the original script's): {@link #length} and {@link #sha256} are those of the stored bytes, not
     * the server's, and {@link #size} is the server's RFC822.SIZE. Written {@code c}.
     */
    static final int NEWLINE_CONVERTED = -2;

    long uidValidity;
    long uid;
    final MessageIdentity identity;
    final long offset;
    final long end;
    final long length;
    final String sha256;
    final long size;
    final Instant internalDate;
    /** 1 when a {@code \n} was added after the message, 0 when not, -1 when unknown, -2 when converted. */
    final int newline;
    /** Physical offset of the compressed member holding the From_ line, -1 when uncompressed. */
    final long memberStart;
    /** Uncompressed offset at which that member starts, -1 when uncompressed. */
    final long memberUncompressedStart;
    Set<String> flags;
    boolean expunged;
    /** When the message was archived (appended), or null when unknown (see docs/FORMAT-index.md). */
    final Instant archivedAt;
    /** When the message was marked expunged, or null when not marked or unknown. */
    Instant expungedAt;
    /** Gmail's labels as last recorded (version 3), empty when none. */
    Set<String> labels = Set.of();

    /** An entry whose archived time is unknown. */
    IndexEntry(long uidValidity, long uid, MessageIdentity identity, long offset, long end,
            long length, String sha256, long size, Instant internalDate, int newline,
            long memberStart, long memberUncompressedStart, Set<String> flags, boolean expunged) {
        this(uidValidity, uid, identity, offset, end, length, sha256, size, internalDate, newline, memberStart,
                memberUncompressedStart, flags, expunged, null);
    }

    IndexEntry(long uidValidity, long uid, MessageIdentity identity, long offset, long end,
            long length, String sha256, long size, Instant internalDate, int newline,
            long memberStart, long memberUncompressedStart, Set<String> flags, boolean expunged,
            Instant archivedAt) {
        this.uidValidity = uidValidity;
        this.uid = uid;
        this.identity = identity;
        this.offset = offset;
        this.end = end;
        this.length = length;
        this.sha256 = sha256;
        this.size = size;
        this.internalDate = internalDate;
        this.newline = newline;
        this.memberStart = memberStart;
        this.memberUncompressedStart = memberUncompressedStart;
        this.flags = Set.copyOf(flags);
        this.expunged = expunged;
        this.archivedAt = archivedAt;
    }

    /** Returns the UID, or -1 when unknown (for exceptions). */
    long knownUid() {
        return uid > 0 ? uid : -1;
    }

    ArchivedMessage toArchived() {
        return new ArchivedMessage(uidValidity, uid, identity, offset, length, sha256, size,
                internalDate, flags, expunged, labels);
    }
}
