package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.internal.GmailLabels;
import io.github.imapbackup.mbox.internal.HeaderFields;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The folders of a backup directory read with {@link ArchiveSelection#labelsAsFolders()}: a message
 * whose index records Gmail labels (a backup of Gmail's All Mail, docs/FORMAT-index.md) goes into
 * each folder they name ({@link GmailLabels#imapFolders}; into its own folder when none does); one
 * pass over the header of every other selected message puts a message with an
 * {@code X-Gmail-Labels} header into each folder its labels name ({@link GmailLabels#folders}),
 * once per folder even when several folders hold it (the same bytes: an "all mail" export and a
 * per-label one, or a per-label backup beside a labelled one), and any other message into its own
 * folder. Spam and Trash ({@code \Junk}, {@code \Trash}) keep their messages. Only references (folder, position) and, for labelled messages, 128 bits of
 * their SHA-256 are kept; a folder's messages are read when it is opened.
 */
final class LabelPlan {

    /** How many bytes of a message's start are searched for its labels. */
    private static final int SNIFF = 64 * 1024;
    private static final Set<String> FIELD = Set.of(GmailLabels.FIELD);

    private LabelPlan() { }

    /** A message of the directory: its folder and its index there (position - 1). */
    private record Ref(FolderInfo folder, int index) { }

    /** The first 128 bits of a SHA-256, to offer a labelled message once per folder. */
    private record Digest(long high, long low) {
        static Digest of(String sha256) {
            return new Digest(Long.parseUnsignedLong(sha256.substring(0, 16), 16),
                    Long.parseUnsignedLong(sha256.substring(16, 32), 16));
        }
    }

    /** A folder of the plan and the messages it offers, in plan order. */
    static final class Folder {

        private final FolderInfo info;
        private final List<Ref> refs = new ArrayList<>();
        /** The labelled messages offered, and the folder of the backup each came from. */
        private final Map<Digest, FolderInfo> labelled = new HashMap<>();

        Folder(FolderInfo info) {
            this.info = info;
        }

        FolderInfo info() {
            return info;
        }

        /** Reads the folder's messages from the directory, each source folder once. */
        ArchiveSourceFolder.Selected load(BackupArchive archive) throws BackupException {
            List<StoredMessage> out = new ArrayList<>(refs.size());
            FolderInfo current = null;
            List<StoredMessage> messages = List.of();
            for (Ref r : refs) {
                if (!r.folder().equals(current)) {
                    current = r.folder();
                    messages = archive.messages(current).toList();
                }
                if (r.index() >= messages.size()) {
                    throw new BackupException("the folder \"" + current.name() + "\" of " + archive.root()
                            + " changed while it was read (message " + (r.index() + 1) + " is gone); run again", null);
                }
                out.add(messages.get(r.index()));
            }
            long validity = Integer.toUnsignedLong(info.name().hashCode()) | 1;
            return ArchiveSourceFolder.Selected.numbered(out, validity);
        }
    }

    /**
     * Plans the folders.
     *
     * @return the folders by name, sorted by name
     * @throws BackupException if a folder or a message header cannot be read
     */
    static Map<String, Folder> plan(BackupArchive archive, ArchiveSelection selection) throws BackupException {
        Map<String, Folder> byName = new TreeMap<>();
        for (FolderInfo f : archive.folders()) {
            List<StoredMessage> all = archive.messages(f).toList();
            Instant since = archive.timesSince(f).orElse(null);
            for (StoredMessage m : all) {
                if (!selection.matches(m, since)) {
                    continue;
                }
                Ref ref = new Ref(f, (int) m.position() - 1);
                List<GmailLabels.Folder> recorded = keepsItsMessages(f) ? List.of()
                        : GmailLabels.imapFolders(m.message().labels());
                String labels = recorded.isEmpty() && m.message().labels().isEmpty() ? labels(archive, m) : null;
                if (recorded.isEmpty() && labels == null) {
                    byName.computeIfAbsent(f.name(), n -> new Folder(f)).refs.add(ref);
                    continue;
                }
                Digest digest = Digest.of(m.message().sha256());
                for (GmailLabels.Folder g : labels != null ? GmailLabels.folders(GmailLabels.parse(labels)) : recorded) {
                    Folder folder = byName.computeIfAbsent(g.name(), n -> new Folder(new FolderInfo(g.name(),
                            GmailLabels.DELIMITER, g.specialUse(), true)));
                    FolderInfo first = folder.labelled.putIfAbsent(digest, f);
                    // a mirror: a message the server held twice in one folder is offered twice
                    if (first == null || labels == null && first.equals(f)) {
                        folder.refs.add(ref);
                    }
                }
            }
        }
        return byName;
    }

    /** Spam and Trash keep their messages, whatever labels these carry. */
    private static boolean keepsItsMessages(FolderInfo f) {
        return f.attributes().stream().anyMatch(a -> a.equalsIgnoreCase("\\Junk") || a.equalsIgnoreCase("\\Trash"));
    }

    /** The value of a message's {@code X-Gmail-Labels} header, or null when it has none. */
    private static String labels(BackupArchive archive, StoredMessage m) throws BackupException {
        try (InputStream in = new BufferedInputStream(archive.openExact(m), SNIFF)) {
            return HeaderFields.sniff(in, SNIFF, FIELD).get(GmailLabels.FIELD);
        } catch (BackupException e) {
            throw e;
        } catch (IOException e) {
            throw new BackupException("cannot read the header of message " + m.position() + " of folder \""
                    + m.folder().name() + "\" in " + archive.root() + ": " + e.getMessage(), e);
        }
    }
}
