package io.github.imapbackup.mbox.transfer;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.StoredMessage;
import io.github.imapbackup.mbox.codec.CodecRegistry;
import io.github.imapbackup.mbox.internal.DiskErrors;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageTarget;
import io.github.imapbackup.spi.TargetFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An export directory as a {@link MessageTarget}: the target of an export run, whose source is the
 * same backup directory read as a message source. The backup's own view names the files (each
 * message's position and UID) and tells what an output written before already holds, so a repeated
 * export skips it. Subclasses write {@code .eml} files ({@link EmlExport}) or one mbox file per
 * folder ({@link MboxExport}).
 */
abstract class ExportTarget implements MessageTarget {

    /** The backup directory's view, open for the whole export. */
    final BackupArchive archive;
    /** The output directory. */
    final Path outDir;
    private final CodecRegistry codecs;
    /** Folders whose pass was aborted, and what became of their output (for the report). */
    private final Map<String, String> aborted = new ConcurrentHashMap<>();

    ExportTarget(BackupArchive archive, Path outDir, CodecRegistry codecs) {
        this.archive = archive;
        this.outDir = outDir;
        this.codecs = codecs;
    }

    @Override
    public TargetFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        return open(folder, false);
    }

    @Override
    public TargetFolder inspect(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        return open(folder, true);
    }

    /**
     * Opens a folder's output.
     *
     * @param folder the folder
     * @param readOnly for a dry run: create nothing
     * @return the folder's output
     * @throws BackupException on failure
     */
    abstract TargetFolder open(FolderInfo folder, boolean readOnly) throws BackupException;

    /** The store's file, as the report names a folder's source. */
    @Override
    public String location(FolderInfo folder) {
        return archive.location(folder);
    }

    @Override
    public String describe() {
        return "export directory " + outDir;
    }

    /** {@return the folder's messages in the backup, in mbox order} */
    List<StoredMessage> messages(FolderInfo folder) throws BackupException {
        return archive.messages(folder).toList();
    }

    /**
     * Returns a folder's output path without extension, inside the output directory.
     *
     * @throws BackupException if the folder's name would lead outside it
     */
    Path base(FolderInfo folder) throws BackupException {
        Path p = outDir.resolve(MboxExporter.baseName(archive.location(folder), codecs));
        if (!p.toAbsolutePath().normalize().startsWith(outDir.toAbsolutePath().normalize())) {
            throw new FolderException(folder.name(), "refusing to write outside " + outDir + ": " + p, null);
        }
        return p;
    }

    /** One folder's output: what it holds, as the backup's entries. */
    abstract class Output implements TargetFolder {

        final FolderInfo folder;
        final Entries entries;

        Output(FolderInfo folder, Entries entries) {
            this.folder = folder;
            this.entries = entries;
        }

        @Override
        public List<ArchivedMessage> messages() {
            return entries.held();
        }

        /** Opens the backup's copy of a message the output holds (checked against its SHA-256). */
        @Override
        public InputStream openMessage(ArchivedMessage message) throws BackupException {
            for (StoredMessage m : entries.all()) {
                if (m.message().equals(message)) {
                    return archive.open(m);
                }
            }
            throw new IllegalArgumentException("not a message of folder \"" + folder.name() + "\"");
        }

        /** Returns the entry a message given to the output is ({@link Entries#next}). */
        int next(NewMessage message) throws FolderException {
            int i = entries.next(message.identity(), message.internalDate());
            if (i < 0) {
                throw new FolderException(folder.name(), "a message the backup's index does not list was given"
                        + " for export", null);
            }
            return i;
        }
    }

    /** Notes that a folder's pass was aborted, e.g. {@code (partly)}. */
    void aborted(FolderInfo folder, String what) {
        aborted.put(folder.name(), what);
    }

    /** {@return what became of an aborted folder's output, or null when it was not aborted} */
    String aborted(String folder) {
        return aborted.get(folder);
    }

    static BackupException cannotWrite(Path file, IOException e) {
        if (e instanceof BackupException b) {
            return b; // already says what failed
        }
        if (e.getCause() instanceof BackupException b) {
            return b;
        }
        return new BackupException("cannot write " + file + ": " + DiskErrors.why(e), e);
    }

    static String sha256(Path file) throws IOException {
        MessageDigest d = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /**
     * A folder's messages in the backup, and which of them the output holds or was given. The
     * engine appends the messages the output lacks in mbox order, so the next message given is
     * found by scanning forward; its bytes then confirm it (the SHA-256 the index records).
     */
    static final class Entries {

        private final List<StoredMessage> all;
        private final boolean[] used;
        private int cursor;

        Entries(List<StoredMessage> all) {
            this.all = all;
            this.used = new boolean[all.size()];
        }

        List<StoredMessage> all() {
            return all;
        }

        /** Marks an entry as held by the output already. */
        void hold(int i) {
            used[i] = true;
        }

        /** {@return the entries the output holds, as the planner sees them} */
        List<ArchivedMessage> held() {
            List<ArchivedMessage> out = new java.util.ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (used[i]) {
                    out.add(all.get(i).message());
                }
            }
            return out;
        }

        /**
         * Returns the entry a message given to the target most likely is (the next unused one of
         * its identity and INTERNALDATE), marking it used; -1 when there is none.
         */
        int next(MessageIdentity identity, Instant internalDate) {
            for (int pass = 0; pass < 2; pass++) {
                for (int i = pass == 0 ? cursor : 0; i < (pass == 0 ? all.size() : cursor); i++) {
                    ArchivedMessage m = all.get(i).message();
                    if (!used[i] && m.identity().equals(identity) && m.internalDate().equals(internalDate)) {
                        used[i] = true;
                        cursor = i + 1;
                        return i;
                    }
                }
            }
            return -1;
        }

        /**
         * Returns the entry whose bytes a message turned out to have: {@code guess} when its SHA-256
         * matches, else another unused entry with that SHA-256 (then {@code guess} is free again);
         * -1 when the backup has no such message.
         */
        int confirm(int guess, String sha256) {
            if (guess >= 0 && all.get(guess).message().sha256().equals(sha256)) {
                return guess;
            }
            for (int i = 0; i < all.size(); i++) {
                if (!used[i] && all.get(i).message().sha256().equals(sha256)) {
                    used[i] = true;
                    if (guess >= 0) {
                        used[guess] = false;
                    }
                    return i;
                }
            }
            return -1;
        }

        StoredMessage get(int i) {
            return all.get(i);
        }
    }
}
