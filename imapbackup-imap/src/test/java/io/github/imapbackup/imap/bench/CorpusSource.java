package io.github.imapbackup.imap.bench;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link RestoreCorpus} as a message source (an account of a server that has no CONDSTORE), so
 * that {@link #backupDirectory} writes it through {@code BackupSession} into an {@code MboxStore},
 * as a real backup would. Messages are generated when they are listed and fetched.
 */
final class CorpusSource implements MessageSource {

    private final RestoreCorpus corpus;
    private final List<List<Integer>> byFolder;

    CorpusSource(RestoreCorpus corpus) {
        this.corpus = corpus;
        this.byFolder = corpus.byFolder();
    }

    /**
     * Returns the backup directory of the corpus under {@code work}, written now or by an earlier
     * run with the same seed and count (a marker file says it was complete).
     *
     * @param corpus the corpus
     * @param work the work directory
     * @return the backup directory
     * @throws IOException if it cannot be written, or the backup reports a failure
     */
    static Path backupDirectory(RestoreCorpus corpus, Path work) throws IOException {
        String name = "backup-v1-s" + corpus.seed() + "-n" + corpus.count();
        Path dir = work.resolve(name);
        Path done = work.resolve(name + ".done");
        if (Files.isRegularFile(done) && Files.isDirectory(dir)) {
            System.err.println("... reusing the backup directory " + dir + " (" + Files.readString(done).trim() + ")");
            return dir;
        }
        BackupBenchmark.deleteRecursively(dir);
        long t0 = System.nanoTime();
        BackupReport report = BackupSession.builder().source(new CorpusSource(corpus))
                .target(MboxStore.builder(dir).codec("none").build()).build().run();
        if (report.hasFailures() || report.totals().messagesCopied() != corpus.count()) {
            throw new IOException("writing the backup directory " + dir + " failed: " + report);
        }
        String summary = report.totals().messagesCopied() + " messages, " + report.totals().bytesCopied()
                + " bytes, written in " + String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9);
        Files.writeString(done, summary + "\n");
        System.err.println("... wrote the backup directory " + dir + ": " + summary);
        return dir;
    }

    @Override
    public SourceConnection connect() {
        return new Connection();
    }

    @Override
    public String describe() {
        return "generated://restore-benchmark/seed-" + corpus.seed();
    }

    private FolderInfo info(int f) {
        return new FolderInfo(RestoreCorpus.FOLDERS.get(f), "/", Set.of(), true);
    }

    private int index(FolderInfo folder) throws FolderException {
        int f = RestoreCorpus.FOLDERS.indexOf(folder.name());
        if (f < 0) {
            throw new FolderException(folder.name(), "no such folder", null);
        }
        return f;
    }

    private FolderStatus status(int f) {
        int n = byFolder.get(f).size();
        return new FolderStatus(n, 1_700_000_000L + f, n + 1L, 0);
    }

    /** A connection: lists the folders, opens one. */
    private final class Connection implements SourceConnection {

        @Override
        public List<FolderInfo> folders() {
            List<FolderInfo> all = new ArrayList<>();
            for (int f = 0; f < RestoreCorpus.FOLDERS.size(); f++) {
                all.add(info(f));
            }
            return all;
        }

        @Override
        public FolderStatus status(FolderInfo folder) throws BackupException {
            return CorpusSource.this.status(index(folder));
        }

        @Override
        public SourceFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
            return new Folder(index(folder), extractor);
        }

        @Override
        public boolean hasCapability(String capability) {
            return false;
        }

        @Override
        public void close() {
            // nothing held
        }
    }

    /** An open folder; message UID n is the folder's n-th message. */
    private final class Folder implements SourceFolder {

        private final int index;
        private final List<Integer> messages;
        private final MessageIdExtractor extractor;

        Folder(int index, MessageIdExtractor extractor) {
            this.index = index;
            this.messages = byFolder.get(index);
            this.extractor = extractor;
        }

        @Override
        public FolderInfo folder() {
            return info(index);
        }

        @Override
        public FolderStatus status() {
            return CorpusSource.this.status(index);
        }

        @Override
        public List<MessageInfo> messages(long fromUid) throws BackupException {
            List<MessageInfo> list = new ArrayList<>();
            for (long uid = Math.max(1, fromUid); uid <= messages.size(); uid++) {
                int i = message(uid);
                MessageIdentity identity;
                try {
                    identity = extractor.identify(new ByteArrayInputStream(corpus.header(i)));
                } catch (IOException e) {
                    throw new FolderException(folder().name(), "cannot identify message " + i, e);
                }
                list.add(new MessageInfo(uid, corpus.size(i), corpus.internalDate(i), corpus.flags(i), identity, 0,
                        corpus.sender(i)));
            }
            return list;
        }

        @Override
        public long[] uids() {
            long[] uids = new long[messages.size()];
            for (int k = 0; k < uids.length; k++) {
                uids[k] = k + 1L;
            }
            return uids;
        }

        @Override
        public Map<Long, Set<String>> flags(long modSeq) {
            Map<Long, Set<String>> flags = new LinkedHashMap<>();
            for (long uid = 1; uid <= messages.size(); uid++) {
                flags.put(uid, corpus.flags(message(uid)));
            }
            return flags;
        }

        @Override
        public InputStream openMessage(long uid) {
            return new ByteArrayInputStream(corpus.message(message(uid)));
        }

        private int message(long uid) {
            if (uid < 1 || uid > messages.size()) {
                throw new IllegalArgumentException("no UID " + uid + " in " + folder().name());
            }
            return messages.get((int) uid - 1);
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
