package io.github.imapbackup.spi;

/**
 * What STATUS (or SELECT/EXAMINE) tells about a folder.
 *
 * @param messages number of messages (MESSAGES)
 * @param uidValidity UIDVALIDITY
 * @param uidNext UIDNEXT, or 0 when the server did not say
 * @param highestModSeq HIGHESTMODSEQ, or 0 when the server has no CONDSTORE for this folder
 */
public record FolderStatus(long messages, long uidValidity, long uidNext, long highestModSeq) {

    /**
     * Validates.
     *
     * @param messages number of messages (MESSAGES)
     * @param uidValidity UIDVALIDITY
     * @param uidNext UIDNEXT, or 0 when the server did not say
     * @param highestModSeq HIGHESTMODSEQ, or 0 when the server has no CONDSTORE for this folder
     */
    public FolderStatus {
        if (messages < 0 || uidValidity < 0 || uidNext < 0 || highestModSeq < 0) {
            throw new IllegalArgumentException("negative status value");
        }
    }
}
