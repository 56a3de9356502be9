package io.github.imapbackup.spi;

import java.util.Objects;

/**
 * What a backup remembers of the server's state of one folder.
 *
 * @param name the exact folder name on the server
 * @param delimiter the server's hierarchy delimiter, or empty
 * @param uidValidity UIDVALIDITY at the last run, 0 when the folder never came from a server
 * @param uidNext UIDNEXT at the last run
 * @param highestModSeq HIGHESTMODSEQ at the last run, 0 without CONDSTORE
 * @param messages MESSAGES at the last run
 */
public record FolderState(String name, String delimiter, long uidValidity, long uidNext,
        long highestModSeq, long messages) {

    /**
     * Validates.
     *
     * @param name the exact folder name on the server
     * @param delimiter the server's hierarchy delimiter, or empty
     * @param uidValidity UIDVALIDITY at the last run, 0 when the folder never came from a server
     * @param uidNext UIDNEXT at the last run
     * @param highestModSeq HIGHESTMODSEQ at the last run, 0 without CONDSTORE
     * @param messages MESSAGES at the last run
     */
    public FolderState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(delimiter, "delimiter");
        if (uidValidity < 0 || uidNext < 0 || highestModSeq < 0 || messages < 0) {
            throw new IllegalArgumentException("negative value in folder state");
        }
    }
}
