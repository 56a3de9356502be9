package io.github.imapbackup.spi;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageInfo;
import java.io.Closeable;
import java.util.List;
import java.util.OptionalLong;

/** One open, authenticated connection to a source. Not thread-safe; {@link #close()} is idempotent. */
public interface SourceConnection extends Closeable {

    /**
     * Lists every folder (LIST "" "*"), with the subscribed state.
     *
     * @return the folders in server order
     * @throws BackupException on failure
     */
    List<FolderInfo> folders() throws BackupException;

    /**
     * Asks the status of a folder without selecting it (STATUS MESSAGES UIDNEXT UIDVALIDITY, and
     * HIGHESTMODSEQ when the server has CONDSTORE).
     *
     * @param folder the folder
     * @return its status
     * @throws BackupException on failure
     */
    FolderStatus status(FolderInfo folder) throws BackupException;

    /**
     * Returns how many messages the folder listing said a folder has, without asking the server
     * again and without using up what {@link #status} would answer (IMAP: the {@code LIST-STATUS}
     * answer, while fresh). When several connections share a run's folders, the engine takes the
     * biggest first (after the smallest, whose bodies flow while the others start), so that the
     * last folders, which one connection finishes while the others are done, are small ones.
     *
     * @param folder the folder
     * @return its message count, or empty when the listing did not say (the default)
     */
    default OptionalLong listedMessages(FolderInfo folder) {
        return OptionalLong.empty();
    }

    /**
     * Opens a folder read-only (EXAMINE). The folder stays open until the returned object is closed.
     *
     * @param folder the folder
     * @param extractor gives each message of the folder its identity ({@link MessageInfo#identity()});
     *     the engine passes the session's, the one the target uses too
     * @return the open folder
     * @throws BackupException on failure
     */
    SourceFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException;

    /**
     * Opens a folder read-only with the standard extractor, as
     * {@link #open(FolderInfo, MessageIdExtractor)}: for tools that look at a source alone.
     *
     * @param folder the folder
     * @return the open folder
     * @throws BackupException on failure
     */
    default SourceFolder open(FolderInfo folder) throws BackupException {
        return open(folder, MessageIdExtractor.standard());
    }

    /**
     * Returns the prefix of the source's personal namespace (IMAP {@code NAMESPACE}), e.g.
     * {@code INBOX.} on Courier or Cyrus, where every folder but INBOX lives under INBOX. A
     * migration's target strips it, so that {@code INBOX.Sent} arrives as {@code Sent} on a server
     * without one ({@link MessageTarget#prepare}).
     *
     * @return the prefix; empty when the source has none or cannot tell (the default)
     * @throws BackupException when the connection fails
     */
    default String personalPrefix() throws BackupException {
        return "";
    }

    /**
     * Returns whether the server announced a capability, e.g. {@code CONDSTORE}.
     *
     * @param capability the capability name, case-insensitive
     * @return whether the server has it
     */
    boolean hasCapability(String capability);

    /**
     * {@return how long this connection waited, since it was opened (its login included), because
     * the server throttled it or a rate cap paced it} The engine reports the difference per folder.
     * The default: no wait, ever.
     */
    default SourceWaits waits() {
        return SourceWaits.NONE;
    }

    @Override
    void close();
}
