package io.github.imapbackup.mbox;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.FolderInfo;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of a backup directory, as {@link BackupArchive#messages(FolderInfo)} lists it: its
 * folder, its place in the folder, what the folder's index records about it, and when it was
 * archived and marked expunged. Its bytes come from {@link BackupArchive#open(StoredMessage)}.
 *
 * <p>The times come from the store's clock ({@link MboxStore.Builder#clock(java.time.Clock)}), in
 * whole seconds. They are unknown (empty) for messages an older version archived or marked, and for
 * messages of an index rebuilt from the mbox (see {@code docs/FORMAT-index.md}, "Times").
 *
 * @param folder the folder
 * @param position the message's place in the folder's mbox, from 1 (messages are only ever
 *     appended, so a position stays the message's)
 * @param message what the index records: UID, identity, length, SHA-256, INTERNALDATE, flags, ...
 * @param archivedAt when the message was archived (appended to the mbox); empty when unknown
 * @param expungedAt when the message was marked expunged; empty when it is not marked
 *     ({@code message().expunged()} false) or when the time is unknown
 */
public record StoredMessage(FolderInfo folder, long position, ArchivedMessage message, Optional<Instant> archivedAt,
        Optional<Instant> expungedAt) {

    /**
     * Validates.
     *
     * @param folder the folder
     * @param position the message's place in the folder's mbox, from 1
     * @param message what the index records
     * @param archivedAt when the message was archived; empty when unknown
     * @param expungedAt when the message was marked expunged; empty when not marked or unknown
     */
    public StoredMessage {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(archivedAt, "archivedAt");
        Objects.requireNonNull(expungedAt, "expungedAt");
        if (position < 1) {
            throw new IllegalArgumentException("position must be positive: " + position);
        }
        if (expungedAt.isPresent() && !message.expunged()) {
            throw new IllegalArgumentException("an expunge time for a message not marked expunged");
        }
    }

    /**
     * A message whose times are unknown.
     *
     * @param folder the folder
     * @param position the message's place in the folder's mbox, from 1
     * @param message what the index records
     */
    public StoredMessage(FolderInfo folder, long position, ArchivedMessage message) {
        this(folder, position, message, Optional.empty(), Optional.empty());
    }
}
