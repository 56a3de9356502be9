package io.github.imapbackup.mbox.transfer;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.IntegrityException;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.internal.SafeListener;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.StoredMessage;
import io.github.imapbackup.mbox.internal.FileSupport;
import io.github.imapbackup.mbox.internal.Senders;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.mbox.codec.CodecRegistry;
import io.github.imapbackup.spi.CompressionCodec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports a backup directory (read through its {@link BackupArchive} view): each message as an {@code .eml} file
 * with its exact bytes, or each folder as an mbox file in a chosen dialect and codec. The folder
 * layout is kept: folder {@code Archive/2019} of a nested store becomes {@code
 * OUT/Archive/2019/000001-4711.eml} (position in the folder, six digits, then the UID; 0 for
 * imported messages) or {@code OUT/Archive/2019.mbox.gz}. Names are deterministic, so an export
 * can be repeated: an {@code .eml} file that already holds the same bytes is skipped, and so is an
 * mbox file that already holds exactly what would be written; any other existing file is never
 * overwritten (the message or folder fails). Each file is written under a temporary name
 * ({@code NAME.imapbackup-partial}) and moved into place when complete, so an interrupted export
 * leaves no truncated file; the leftover temporary file of a run that was killed is replaced by
 * the next one. {@link #cancel()} stops an export at the next message: the report then says what
 * was exported and what was not, and running the same export again completes it.
 *
 * <p>Every exported message is checked against the SHA-256 its index records; a mismatch is
 * reported as a failure of that message.
 *
 * <pre>{@code
 * MboxStore store = MboxStore.builder(Path.of("backup")).build();
 * BackupReport eml = MboxExporter.builder(store).build().exportEml(Path.of("eml"));
 * BackupReport mutt = MboxExporter.builder(store).build()
 *         .exportMbox(Path.of("mbox"), Dialect.MBOXO, Codecs.NONE);
 * }</pre>
 *
 * <p>Immutable and thread-safe. Streams: never holds a whole message in memory.
 */
public final class MboxExporter {

    private static final Logger LOG = LoggerFactory.getLogger(MboxExporter.class);
    private static final String COMMAND = "export";
    private static final int SNIFF = 64 * 1024;

    private final MboxStore store;
    /** The codecs of the store's file names. */
    private final CodecRegistry codecs;
    private final FolderFilter folders;
    private final BackupListener.Factory listenerFactory;
    private final boolean dryRun;
    private final Clock clock;
    /** The cancellation flags of the exports in progress; {@link #cancel()} sets them all. */
    private final Set<AtomicBoolean> running = ConcurrentHashMap.newKeySet();

    private MboxExporter(Builder b) {
        this.store = b.store;
        this.codecs = b.store.codecs();
        this.folders = b.folders;
        this.listenerFactory = b.listenerFactory;
        this.dryRun = b.dryRun;
        this.clock = b.clock;
    }

    /**
     * Returns a builder for exports of a store.
     *
     * @param store the backup directory's store
     * @return the builder
     */
    public static Builder builder(MboxStore store) {
        return new Builder(store);
    }

    /**
     * Writes every message as an {@code .eml} file with its exact bytes.
     *
     * @param outDir the output directory (created when absent)
     * @return the report (command {@code export})
     * @throws BackupException if the store cannot list its folders
     */
    public BackupReport exportEml(Path outDir) throws BackupException {
        return export(outDir, (archive, messages, base, tally) -> eml(outDir, archive, messages, base, tally));
    }

    /**
     * Writes each folder as an mbox file in a dialect and codec.
     *
     * @param outDir the output directory (created when absent)
     * @param dialect {@link Dialect#MBOXRD}, {@link Dialect#MBOXO} or {@link Dialect#MBOXCL2}
     * @param codec the compression of the written files
     * @return the report (command {@code export})
     * @throws BackupException if the store cannot list its folders
     * @throws IllegalArgumentException for {@link Dialect#MBOXCL}, which cannot be written streaming
     */
    public BackupReport exportMbox(Path outDir, Dialect dialect, CompressionCodec codec) throws BackupException {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(codec, "codec");
        if (dialect == Dialect.MBOXCL) {
            throw new IllegalArgumentException("mboxcl cannot be written while streaming; choose mboxcl2, mboxo or mboxrd");
        }
        codec.requireAvailable();
        return export(outDir, (archive, messages, base, tally) -> mbox(outDir, dialect, codec, archive, messages, base,
                tally));
    }

    /**
     * Stops every export of this exporter in progress at the next message (or when its thread is
     * interrupted): the file being written is removed, files already complete stay, and the report
     * lists what was not exported. Running the same export again completes it. Safe to call from
     * any thread (e.g. a shutdown hook).
     */
    public void cancel() {
        running.forEach(flag -> flag.set(true));
    }

    /**
     * Returns the path of a folder's export relative to the output directory, without extension:
     * the store's file name without its codec suffix and {@code .mbox}.
     *
     * @param location the store's location of the folder, e.g. {@code Archive/2019.mbox.gz}
     * @return e.g. {@code Archive/2019}
     */
    static String baseName(String location) {
        return baseName(location, CodecRegistry.installed());
    }

    /** As {@link #baseName(String)}, with the codecs of the store. */
    static String baseName(String location, CodecRegistry codecs) {
        String n = location;
        Optional<CompressionCodec> c = codecs.bySuffix(n);
        if (c.isPresent()) {
            n = n.substring(0, n.length() - c.get().suffix().length());
        }
        if (n.endsWith(".mbox")) {
            n = n.substring(0, n.length() - ".mbox".length());
        }
        return n;
    }

    /** The per-folder part of an export. */
    private interface FolderJob {
        void run(BackupArchive archive, List<StoredMessage> messages, String base, Tally tally) throws IOException;
    }

    private BackupReport export(Path outDir, FolderJob job) throws BackupException {
        Objects.requireNonNull(outDir, "outDir");
        AtomicBoolean cancelled = new AtomicBoolean();
        running.add(cancelled);
        try {
            return export(outDir, job, cancelled);
        } finally {
            running.remove(cancelled);
        }
    }

    private BackupReport export(Path outDir, FolderJob job, AtomicBoolean cancelled) throws BackupException {
        SafeListener events = SafeListener.start(listenerFactory, COMMAND, dryRun, clock.instant());
        List<FolderReport> reports = new ArrayList<>();
        List<String> notStarted = new ArrayList<>();
        String[] interruptedIn = new String[1];
        try (BackupArchive archive = store.read()) {
            export(archive, job, cancelled, reports, notStarted, interruptedIn, events);
        } catch (BackupException e) {
            throw e.initReport(finish(events, Outcome.FAILED, reports, List.of(ReportError.of(null, e))));
        }
        List<ReportError> failures = interruptedIn[0] == null && notStarted.isEmpty() ? List.of()
                : List.of(new ReportError(null, -1, interrupted(reports, interruptedIn[0], notStarted)));
        return finish(events, failures.isEmpty() ? Outcome.COMPLETED : Outcome.CANCELLED, reports, failures);
    }

    private BackupReport finish(SafeListener events, Outcome outcome, List<FolderReport> reports,
            List<ReportError> failures) {
        return events.finish(outcome, reports, failures, clock.instant());
    }

    private void export(BackupArchive archive, FolderJob job, AtomicBoolean cancelled, List<FolderReport> reports,
            List<String> notStarted, String[] interruptedIn, SafeListener events) {
        for (FolderInfo folder : archive.folders()) {
            if (!folders.selects(folder.name())) {
                continue;
            }
            if (interruptedIn[0] != null || stopped(cancelled)) {
                notStarted.add(folder.name());
                continue;
            }
            String location = archive.location(folder);
            Tally t = new Tally(folder, cancelled, events);
            List<ReportError> errors = t.errors;
            try {
                List<StoredMessage> messages = archive.messages(folder).toList();
                t.onSource = messages.size();
                long bytes = messages.stream().mapToLong(m -> m.message().length()).sum();
                events.folderStarted(folder, messages.size(), messages.size(), bytes);
                job.run(archive, messages, baseName(location, codecs), t);
            } catch (CancelledException e) {
                t.interrupted = true;
            } catch (BackupException e) {
                LOG.debug("export of {} failed", folder.name(), e);
                errors.add(ReportError.of(folder.name(), e));
                events.folderFailed(folder, e);
            } catch (IOException e) {
                LOG.debug("export of {} failed", folder.name(), e);
                BackupException be = new BackupException("export of folder \"" + folder.name() + "\" failed: "
                        + e.getMessage(), e);
                errors.add(new ReportError(folder.name(), -1, be.getMessage()));
                events.folderFailed(folder, be);
            }
            if (t.interrupted) {
                interruptedIn[0] = "folder \"" + folder.name() + "\""
                        + (t.partial ? " (its file was not finished and was removed)" : " (partly)");
                errors.add(new ReportError(folder.name(), -1, "interrupted: " + (t.copied + t.skipped) + " of "
                        + t.onSource + " messages exported" + (t.partial ? "; the file being written was removed" : "")));
            }
            FolderReport r = new FolderReport(folder.name(), location,
                    Counters.builder().messagesOnSource(t.onSource).messagesCopied(t.copied)
                            .messagesSkipped(t.skipped).bytesCopied(t.bytes).errors(errors.size()).build(), errors);
            reports.add(r);
            events.folderFinished(folder, r);
        }
    }

    private static boolean stopped(AtomicBoolean cancelled) {
        return cancelled.get() || Thread.currentThread().isInterrupted();
    }

    /** What an interrupted export did and did not do. */
    private static String interrupted(List<FolderReport> reports, String in, List<String> notStarted) {
        long messages = reports.stream().mapToLong(r -> r.counters().messagesCopied()).sum();
        StringBuilder sb = new StringBuilder("export interrupted after writing ").append(messages)
                .append(messages == 1 ? " message" : " messages");
        List<String> left = new ArrayList<>();
        if (in != null) {
            left.add(in);
        }
        notStarted.stream().limit(5).forEach(n -> left.add("\"" + n + "\""));
        if (notStarted.size() > 5) {
            left.add((notStarted.size() - 5) + " more folders");
        }
        sb.append("; not exported: ").append(String.join(", ", left));
        return sb.append(". Files already written are complete (no partial file is left);"
                + " run the same export again to finish: it skips what is already there").toString();
    }

    private void eml(Path outDir, BackupArchive archive, List<StoredMessage> messages, String base, Tally t)
            throws IOException {
        Path dir = outDir.resolve(base);
        checkInside(outDir, dir);
        if (!dryRun) {
            FileSupport.createDirectories(dir);
        }
        int n = 0;
        for (StoredMessage stored : messages) {
            ArchivedMessage m = stored.message();
            t.checkpoint();
            n++;
            Path file = dir.resolve(String.format(Locale.ROOT, "%06d-%d.eml", n, m.uid()));
            try {
                if (Files.exists(file)) {
                    if (sha256(file).equals(m.sha256())) {
                        t.skipped++;
                        continue;
                    }
                    throw new FileAlreadyExistsException(file.toString(), null, "exists with other content; not overwritten");
                }
                if (dryRun) {
                    t.copied++;
                    t.bytes += m.length();
                    continue;
                }
                try (PartialFile tmp = PartialFile.start(file)) {
                    String sha;
                    try (InputStream in = archive.openExact(stored);
                            DigestOutputStream out = new DigestOutputStream(tmp.out(), digest())) {
                        in.transferTo(out);
                        out.flush();
                        sha = HexFormat.of().formatHex(out.getMessageDigest().digest());
                    }
                    if (!sha.equals(m.sha256())) {
                        throw new IntegrityException(file, m.offset(), m.uid(),
                                "the message's bytes do not match the SHA-256 in the index");
                    }
                    tmp.finish(false);
                }
                copied(t, m);
            } catch (BackupException e) {
                messageFailed(t, m, e);
            } catch (IOException e) {
                messageFailed(t, m, new BackupException("cannot write " + file + ": " + e.getMessage(), e));
            }
        }
    }

    private void mbox(Path outDir, Dialect dialect, CompressionCodec codec, BackupArchive archive,
            List<StoredMessage> messages, String base, Tally t) throws IOException {
        Path file = outDir.resolve(base + ".mbox" + codec.suffix());
        checkInside(outDir, file);
        if (Files.exists(file)) {
            // a repeated (or resumed) export: a file holding exactly what would be written is done
            if (!sameMbox(file, dialect, codec, archive, messages, t)) {
                throw new FileAlreadyExistsException(file.toString(), null,
                        "exists with other content; not overwritten (remove it or export elsewhere)");
            }
            t.skipped += messages.size();
            return;
        }
        if (dryRun) {
            for (StoredMessage m : messages) {
                t.copied++;
                t.bytes += m.message().length();
            }
            return;
        }
        FileSupport.createDirectories(file.getParent());
        List<ArchivedMessage> written = new ArrayList<>();
        try (PartialFile tmp = PartialFile.start(file)) {
            t.partial = true;
            try (OutputStream out = codec.compress(tmp.out())) {
                writeMbox(out, dialect, archive, messages, file, t, written);
            }
            tmp.finish(true);
            t.partial = false;
        }
        written.forEach(m -> copied(t, m));
    }

    /**
     * Writes the messages as one mbox; returns (in {@code good}) those whose bytes matched their
     * SHA-256 and records the others as failed. Stops at {@link Tally#checkpoint()}.
     */
    private void writeMbox(OutputStream out, Dialect dialect, BackupArchive archive, List<StoredMessage> messages,
            Path file, Tally t, List<ArchivedMessage> good) throws IOException {
        try (MboxWriter w = new MboxWriter(out, 0, dialect)) {
            for (StoredMessage stored : messages) {
                ArchivedMessage m = stored.message();
                t.checkpoint();
                MboxWriter.Written written;
                try (BufferedInputStream in = new BufferedInputStream(archive.openExact(stored), SNIFF)) {
                    String sender = Senders.sniff(in, SNIFF);
                    written = w.write(sender, m.internalDate(), in, m.length());
                }
                if (!written.sha256().equals(m.sha256())) {
                    messageFailed(t, m, new IntegrityException(file, written.offset(), m.uid(),
                            "the message's bytes do not match the SHA-256 in the index"));
                    continue;
                }
                good.add(m);
            }
        }
    }

    /** Returns whether an existing mbox file holds (uncompressed) exactly what would be written. */
    private boolean sameMbox(Path file, Dialect dialect, CompressionCodec codec, BackupArchive archive,
            List<StoredMessage> messages, Tally t) throws IOException {
        MessageDigest want = digest();
        Tally probe = new Tally(t.info, t.cancelled, t.events);
        probe.quiet = true;
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), want)) {
            writeMbox(out, dialect, archive, messages, file, probe, new ArrayList<>());
        }
        if (!probe.errors.isEmpty()) {
            return false;
        }
        MessageDigest have = digest();
        try (InputStream in = codec.decompress(Files.newInputStream(file))) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                have.update(buf, 0, n);
            }
        } catch (IOException e) {
            LOG.debug("{} cannot be read as {}: {}", file, codec.name(), e.toString());
            return false;
        }
        return MessageDigest.isEqual(want.digest(), have.digest());
    }

    private void copied(Tally t, ArchivedMessage m) {
        t.copied++;
        t.bytes += m.length();
        t.events.messageCopied(t.info, m.uid(), m.length());
    }

    private void messageFailed(Tally t, ArchivedMessage m, BackupException e) {
        t.errors.add(new ReportError(t.folder, m.uid() > 0 ? m.uid() : -1, String.valueOf(e.getMessage())));
        if (t.quiet) {
            return;
        }
        LOG.debug("export of a message of {} failed", t.folder, e);
        t.events.messageFailed(t.info, m.uid(), e);
    }

    private static void checkInside(Path outDir, Path p) throws IOException {
        if (!p.toAbsolutePath().normalize().startsWith(outDir.toAbsolutePath().normalize())) {
            throw new IOException("refusing to write outside " + outDir + ": " + p);
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest d = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** Counters and failures of one folder. */
    private static final class Tally {
        final FolderInfo info;
        final String folder;
        final AtomicBoolean cancelled;
        final SafeListener events;
        final List<ReportError> errors = new ArrayList<>();
        long onSource;
        long copied;
        long skipped;
        long bytes;
        /** Whether the export stopped in this folder. */
        boolean interrupted;
        /** Whether a file of this folder was being written (it is removed when interrupted). */
        boolean partial;
        /** Whether failures are only counted, not reported (a dry comparison). */
        boolean quiet;

        Tally(FolderInfo info, AtomicBoolean cancelled, SafeListener events) {
            this.info = info;
            this.folder = info.name();
            this.cancelled = cancelled;
            this.events = events;
        }

        /** Throws when the export is to stop before the next message. */
        void checkpoint() throws CancelledException {
            if (stopped(cancelled)) {
                interrupted = true;
                throw new CancelledException();
            }
        }
    }

    /** Builds an {@link MboxExporter}. Not thread-safe. */
    public static final class Builder {

        private final MboxStore store;
        private FolderFilter folders = FolderFilter.all();
        private BackupListener.Factory listenerFactory = BackupListener.Factory.of(BackupListener.NONE);
        private boolean dryRun;
        private Clock clock = Clock.systemUTC();

        private Builder(MboxStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * Exports only the folders the filter selects by name (default: all).
         *
         * @param filter the filter
         * @return this builder
         */
        public Builder folders(FolderFilter filter) {
            this.folders = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /**
         * Sets the listener of every export (default: none). Replaces an earlier
         * {@link #listenerFactory}.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(BackupListener listener) {
            this.listenerFactory = BackupListener.Factory.of(listener);
            return this;
        }

        /**
         * Sets the factory that makes one listener per export run. Replaces an earlier
         * {@link #listener}.
         *
         * @param factory the factory
         * @return this builder
         */
        public Builder listenerFactory(BackupListener.Factory factory) {
            this.listenerFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Writes nothing; the report says what would be exported.
         *
         * @param dryRun whether to
         * @return this builder
         */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /**
         * Sets the clock for report times (default: system UTC).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the exporter (no I/O).
         *
         * @return the exporter
         */
        public MboxExporter build() {
            return new MboxExporter(this);
        }
    }
}
