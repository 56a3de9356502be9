package io.github.imapbackup.mbox;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.mbox.internal.Senders;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A backup directory read as a message source (see {@link MboxStore#asSource()}): each connection
 * is a {@link BackupArchive} view. A message's UID is its position in its folder's mbox (messages
 * are only appended, so it stays the message's); UIDVALIDITY is taken from the folder's first
 * message, so another archive under the same name is another UIDVALIDITY.
 */
final class ArchiveSource implements MessageSource {

    /** How many bytes of a message's header are read for its From_ line sender. */
    private static final int SENDER_SNIFF = 64 * 1024;

    private final MboxStore store;

    ArchiveSource(MboxStore store) {
        this.store = store;
    }

    @Override
    public SourceConnection connect() throws BackupException {
        return new Connection(store.read());
    }

    @Override
    public String describe() {
        return "backup directory " + store.root();
    }

    @Override
    public String toString() {
        return "ArchiveSource[" + store.root() + "]";
    }

    /** The UIDVALIDITY of a folder: from its first message's SHA-256, 1 for an empty folder. */
    static long uidValidity(List<StoredMessage> messages) {
        if (messages.isEmpty()) {
            return 1;
        }
        long v = Long.parseLong(messages.get(0).message().sha256().substring(0, 8), 16);
        return v == 0 ? 1 : v;
    }

    /** One view of the directory. */
    private static final class Connection implements SourceConnection {

        private final BackupArchive archive;

        Connection(BackupArchive archive) {
            this.archive = archive;
        }

        @Override
        public List<FolderInfo> folders() {
            return archive.folders();
        }

        @Override
        public FolderStatus status(FolderInfo folder) throws BackupException {
            return status(archive.messages(folder).toList());
        }

        static FolderStatus status(List<StoredMessage> messages) {
            return new FolderStatus(messages.size(), uidValidity(messages), messages.size() + 1L, 0);
        }

        @Override
        public SourceFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
            return new Folder(archive, folder, archive.messages(folder).toList());
        }

        @Override
        public boolean hasCapability(String capability) {
            return false;
        }

        @Override
        public void close() {
            try {
                archive.close();
            } catch (BackupException e) {
                // a read-only view holds nothing that a failed close could lose
            }
        }
    }

    /** One folder of the view; its messages are listed when it is opened. */
    private static final class Folder implements SourceFolder {

        private final BackupArchive archive;
        private final FolderInfo folder;
        private final List<StoredMessage> messages;

        Folder(BackupArchive archive, FolderInfo folder, List<StoredMessage> messages) {
            this.archive = archive;
            this.folder = folder;
            this.messages = messages;
        }

        @Override
        public FolderInfo folder() {
            return folder;
        }

        @Override
        public FolderStatus status() {
            return Connection.status(messages);
        }

        @Override
        public List<MessageInfo> messages(long fromUid) throws BackupException {
            List<MessageInfo> out = new ArrayList<>();
            for (int i = (int) Math.max(0, Math.min(fromUid - 1, messages.size())); i < messages.size(); i++) {
                StoredMessage s = messages.get(i);
                ArchivedMessage m = s.message();
                out.add(new MessageInfo(s.position(), m.size(), m.internalDate(), m.flags(), m.identity(), 0,
                        sender(s)));
            }
            return out;
        }

        /** The sender for the copy's From_ line, from the message's header (as export finds it). */
        private String sender(StoredMessage s) throws BackupException {
            try (InputStream in = new BufferedInputStream(archive.openExact(s), SENDER_SNIFF)) {
                return Senders.sniff(in, SENDER_SNIFF);
            } catch (BackupException e) {
                throw e;
            } catch (IOException e) {
                throw new BackupException("cannot read the header of message " + s.position() + " of folder \""
                        + folder.name() + "\": " + e.getMessage(), e);
            }
        }

        @Override
        public Optional<String> sha256(long uid) {
            return uid < 1 || uid > messages.size() ? Optional.empty()
                    : Optional.of(messages.get((int) uid - 1).message().sha256());
        }

        @Override
        public long[] uids() {
            return messages.stream().mapToLong(StoredMessage::position).toArray();
        }

        @Override
        public Map<Long, Set<String>> flags(long modSeq) {
            Map<Long, Set<String>> out = new LinkedHashMap<>();
            messages.forEach(s -> out.put(s.position(), s.message().flags()));
            return out;
        }

        @Override
        public InputStream openMessage(long uid) throws BackupException {
            if (uid < 1 || uid > messages.size()) {
                throw new io.github.imapbackup.FolderException(folder.name(), uid, "no message with UID " + uid
                        + " (the folder holds " + messages.size() + ")", null);
            }
            return archive.open(messages.get((int) uid - 1));
        }

        @Override
        public void close() {
            // the connection's view holds the files
        }
    }
}
