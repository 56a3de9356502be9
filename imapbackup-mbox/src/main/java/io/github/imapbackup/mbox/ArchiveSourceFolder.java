package io.github.imapbackup.mbox;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.SourceFolder;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One folder of an {@link ArchiveSource}: the selected messages, listed when it is opened. */
final class ArchiveSourceFolder implements SourceFolder {

    private final BackupArchive archive;
    private final FolderInfo folder;
    private final Selected selected;

    /**
     * The selected messages of a folder, their UIDs (ascending) and the folder's status.
     *
     * @param messages the messages, in UID order
     * @param uids their UIDs
     * @param status the status: the selected messages, a UIDVALIDITY, UIDNEXT
     */
    record Selected(List<StoredMessage> messages, long[] uids, FolderStatus status) {

        /** Messages of one folder of the directory, with their positions as UIDs. */
        static Selected byPosition(List<StoredMessage> all, List<StoredMessage> chosen) {
            long[] uids = chosen.stream().mapToLong(StoredMessage::position).toArray();
            return new Selected(chosen, uids, new FolderStatus(chosen.size(), ArchiveSource.uidValidity(all),
                    all.size() + 1L, 0));
        }

        /** Messages gathered from several folders, numbered 1, 2, ... */
        static Selected numbered(List<StoredMessage> messages, long uidValidity) {
            long[] uids = new long[messages.size()];
            Arrays.setAll(uids, i -> i + 1L);
            return new Selected(messages, uids, new FolderStatus(messages.size(), uidValidity,
                    messages.size() + 1L, 0));
        }

        /** {@return the message with this UID, or null} */
        StoredMessage byUid(long uid) {
            int i = Arrays.binarySearch(uids, uid);
            return i < 0 ? null : messages.get(i);
        }
    }

    ArchiveSourceFolder(BackupArchive archive, FolderInfo folder, Selected selected) {
        this.archive = archive;
        this.folder = folder;
        this.selected = selected;
    }

    @Override
    public FolderInfo folder() {
        return folder;
    }

    @Override
    public FolderStatus status() {
        return selected.status();
    }

    @Override
    public List<MessageInfo> messages(long fromUid) throws BackupException {
        List<MessageInfo> out = new ArrayList<>();
        long[] uids = selected.uids();
        for (int i = 0; i < uids.length; i++) {
            if (uids[i] >= fromUid) {
                StoredMessage s = selected.messages().get(i);
                ArchivedMessage m = s.message();
                // no sender: only an mbox target needs it, and it reads it from the header as it
                // writes, so a restore to IMAP or .eml files does not open each message twice
                out.add(new MessageInfo(uids[i], m.size(), m.internalDate(), m.flags(), m.identity(), 0, null));
            }
        }
        return out;
    }

    @Override
    public long[] uids() {
        return selected.uids().clone();
    }

    @Override
    public Map<Long, Set<String>> flags(long modSeq) {
        Map<Long, Set<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < selected.uids().length; i++) {
            out.put(selected.uids()[i], selected.messages().get(i).message().flags());
        }
        return out;
    }

    /** The archive knows each message's SHA-256: that of the bytes {@link #openMessage} gives. */
    @Override
    public Optional<String> sha256(long uid) {
        StoredMessage s = selected.byUid(uid);
        return s == null ? Optional.empty() : Optional.of(s.message().sha256());
    }

    @Override
    public InputStream openMessage(long uid) throws BackupException {
        StoredMessage s = selected.byUid(uid);
        if (s == null) {
            throw new FolderException(folder.name(), uid, "no message with UID " + uid + " (the folder offers "
                    + selected.uids().length + ")", null);
        }
        return archive.open(s);
    }

    @Override
    public void close() {
        // the connection's view holds the files
    }
}
