package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import java.util.List;

/**
 * The duplicates count the engine reports for a folder, over a target's entries: for
 * {@link io.github.imapbackup.spi.TargetFolder#duplicates(long)}, so that a target that records it
 * counts exactly as the engine does.
 */
public final class Duplicates {

    private Duplicates() { }

    /**
     * Returns the extra byte-identical copies among the entries live under a UIDVALIDITY: bound to a
     * UID of it and not marked expunged (the last entry of a UID counting), same SHA-256.
     *
     * @param entries a target folder's entries, in its order
     * @param uidValidity the UIDVALIDITY
     * @return the extra copies; a message held three times counts two
     */
    public static long among(List<ArchivedMessage> entries, long uidValidity) {
        return new LiveIndex(entries, uidValidity).duplicates();
    }
}
