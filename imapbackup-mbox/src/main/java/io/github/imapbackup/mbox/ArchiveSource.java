package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A backup directory read as a message source (see {@link MboxStore#asSource(ArchiveSelection)}):
 * each connection is a {@link BackupArchive} view, offering the messages the selection selects. In
 * a folder of the directory a message's UID is its position in the folder's mbox (messages are only
 * appended, so it stays the message's); UIDVALIDITY is taken from the folder's first message, so
 * another archive under the same name is another UIDVALIDITY. A folder made of labels
 * ({@link ArchiveSelection#labelsAsFolders()}) numbers its messages 1, 2, ... in the order of its
 * plan.
 */
final class ArchiveSource implements MessageSource {

    private final MboxStore store;
    private final ArchiveSelection selection;
    /** The folders made of labels, planned on the first connection; null before, or without labels. */
    private volatile Map<String, LabelPlan.Folder> labels;

    ArchiveSource(MboxStore store, ArchiveSelection selection) {
        this.store = store;
        this.selection = Objects.requireNonNull(selection, "selection");
    }

    @Override
    public SourceConnection connect() throws BackupException {
        BackupArchive archive = store.read();
        try {
            if (selection.labelsAsFolders()) {
                plan(archive);
            }
            return new Connection(archive);
        } catch (BackupException | RuntimeException e) {
            archive.close();
            throw e;
        }
    }

    /** Plans the label folders once (one pass over every message's header). */
    private void plan(BackupArchive archive) throws BackupException {
        if (labels == null) {
            synchronized (this) {
                if (labels == null) {
                    labels = LabelPlan.plan(archive, selection);
                }
            }
        }
    }

    @Override
    public String describe() {
        return "backup directory " + store.root();
    }

    @Override
    public String toString() {
        return "ArchiveSource[" + store.root() + ", " + selection + "]";
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
    private final class Connection implements SourceConnection {

        private final BackupArchive archive;
        private List<FolderInfo> folders;

        Connection(BackupArchive archive) {
            this.archive = archive;
        }

        /**
         * Lists the folders: those of the directory, or with labels those of the plan; with a
         * selection of messages only the folders that hold a selected message.
         */
        @Override
        public List<FolderInfo> folders() throws BackupException {
            if (folders == null) {
                if (labels != null) {
                    folders = labels.values().stream().map(LabelPlan.Folder::info).toList();
                } else if (selection.everyMessage()) {
                    folders = archive.folders();
                } else {
                    List<FolderInfo> out = new ArrayList<>();
                    for (FolderInfo f : archive.folders()) {
                        if (selected(f).uids().length > 0) {
                            out.add(f);
                        }
                    }
                    folders = List.copyOf(out);
                }
            }
            return folders;
        }

        @Override
        public FolderStatus status(FolderInfo folder) throws BackupException {
            return selected(folder).status();
        }

        @Override
        public SourceFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
            return new ArchiveSourceFolder(archive, folder, selected(folder));
        }

        /** The selected messages of a folder, with their UIDs. */
        private ArchiveSourceFolder.Selected selected(FolderInfo folder) throws BackupException {
            if (labels != null) {
                LabelPlan.Folder f = labels.get(folder.name());
                if (f == null) {
                    throw new IllegalArgumentException("folder \"" + folder.name() + "\" holds no labelled message of"
                            + " the backup directory " + store.root());
                }
                return f.load(archive);
            }
            List<StoredMessage> all = archive.messages(folder).toList();
            if (selection.everyMessage()) {
                return ArchiveSourceFolder.Selected.byPosition(all, all);
            }
            java.time.Instant since = archive.timesSince(folder).orElse(null);
            return ArchiveSourceFolder.Selected.byPosition(all,
                    all.stream().filter(m -> selection.matches(m, since)).toList());
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
}
