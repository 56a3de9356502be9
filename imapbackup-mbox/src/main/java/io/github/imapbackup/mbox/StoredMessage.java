package io.github.imapbackup.mbox;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.FolderInfo;
import java.util.Objects;

/**
 * One message of a backup directory, as {@link BackupArchive#messages(FolderInfo)} lists it: its
 * folder, its place in the folder and what the folder's index records about it. Its bytes come from
 * {@link BackupArchive#open(StoredMessage)}.
 *
 * @param folder the folder
 * @param position the message's place in the folder's mbox, from 1 (messages are only ever
 *     appended, so a position stays the message's)
 * @param message what the index records: UID, identity, length, SHA-256, INTERNALDATE, flags, ...
 */
public record StoredMessage(FolderInfo folder, long position, ArchivedMessage message) {

    /**
     * Validates.
     *
     * @param folder the folder
     * @param position the message's place in the folder's mbox, from 1
     * @param message what the index records
     */
    public StoredMessage {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(message, "message");
        if (position < 1) {
            throw new IllegalArgumentException("position must be positive: " + position);
        }
    }
}
