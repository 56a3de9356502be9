package io.github.imapbackup.mbox.transfer;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.internal.BackupEngine;
import io.github.imapbackup.internal.EngineConfig;
import io.github.imapbackup.internal.SafeListener;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.format.MboxReader;
import io.github.imapbackup.mbox.format.MboxWarning;
import io.github.imapbackup.spi.MailboxStore;
import io.github.imapbackup.spi.MergePlanner;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports foreign mbox files (Thunderbird, Apple Mail, mutt, Dovecot, Google Takeout; any dialect,
 * any codec) into a folder of a {@link MailboxStore}, merging without duplicates: a message the
 * folder already holds is skipped, a message the file holds twice is stored twice (and never a
 * third time), two distinct messages sharing a Message-ID are both kept. Importing the same file
 * twice adds nothing.
 *
 * <p>Each file is read twice, streaming, never holding a whole message in memory: the first pass
 * derives each message's identity (from its header section) and its length and SHA-256, then the
 * {@link MergePlanner} decides against the folder's archive; the second pass appends what is new.
 * A malformed file (reported with its byte offset) adds nothing. Messages count as imported
 * once the archive committed them. {@link #cancel()} stops an import at the next message: what
 * was appended is committed, and the report says what was not imported; importing the same files
 * again completes the import without storing anything twice. Where the reader was unsure how
 * to split a file ({@link MboxReader#warnings()}), the messages are imported as read and each such
 * place is listed as a failure in the report (file and byte offset), so the run does not end as a
 * plain success.
 *
 * <pre>{@code
 * MailboxStore store = MboxStore.builder(Path.of("backup")).build();
 * BackupReport report = MboxImporter.builder(store)
 *         .build()
 *         .importFiles(List.of(Path.of("Inbox.mbox"), Path.of("Old.mbox.gz")), "INBOX");
 * log.info("{} messages imported", report.totals().messagesCopied());
 * }</pre>
 *
 * <p>Each file is imported by one run of the same engine that backs up a server, with the file as
 * its source (positions in the file act as UIDs) and a policy that keeps no incremental state:
 * imported messages are stored without UIDs and no folder state is recorded, so a later backup of
 * the folder adopts them and stays incremental (see docs/ARCHITECTURE.md).
 *
 * <p>Immutable and thread-safe; a store allows one writer per folder at a time.
 */
public final class MboxImporter {

    private static final Logger LOG = LoggerFactory.getLogger(MboxImporter.class);
    private static final String COMMAND = "import";

    private final MailboxStore store;
    private final MessageIdExtractor extractor;
    private final MergePlanner planner;
    private final BackupListener.Factory listenerFactory;
    private final Dialect dialect;
    private final String delimiter;
    private final boolean dryRun;
    private final Clock clock;
    private final int maxExpansion;
    /** The cancellation flags of the imports in progress; {@link #cancel()} sets them all. */
    private final Set<AtomicBoolean> running = ConcurrentHashMap.newKeySet();

    private MboxImporter(Builder b) {
        this.store = b.store;
        this.extractor = b.extractor;
        this.planner = b.planner;
        this.listenerFactory = b.listenerFactory;
        this.dialect = b.dialect;
        this.delimiter = b.delimiter;
        this.dryRun = b.dryRun;
        this.clock = b.clock;
        this.maxExpansion = b.maxExpansion;
    }

    /**
     * Returns a builder for imports into a store.
     *
     * @param store the store
     * @return the builder
     */
    public static Builder builder(MailboxStore store) {
        return new Builder(store);
    }

    /**
     * Returns the folder name a file is imported into by default: its file name without the
     * codec suffix and without {@code .mbox} ({@code Inbox.mbox.gz} gives {@code Inbox}; an Apple
     * Mail bundle {@code Work.mbox/} gives {@code Work}).
     *
     * @param file the file or bundle directory
     * @return the folder name
     * @throws IllegalArgumentException if the path has no file name
     */
    public static String folderName(Path file) {
        Path name = file.toAbsolutePath().normalize().getFileName();
        if (name == null) {
            throw new IllegalArgumentException("no file name in " + file);
        }
        String n = name.toString();
        Optional<io.github.imapbackup.spi.CompressionCodec> codec = Codecs.bySuffix(n);
        if (codec.isPresent()) {
            n = n.substring(0, n.length() - codec.get().suffix().length());
        }
        for (String ext : List.of(".mbox", ".mbx", ".mbs")) {
            if (n.toLowerCase(Locale.ROOT).endsWith(ext) && n.length() > ext.length()) {
                n = n.substring(0, n.length() - ext.length());
                break;
            }
        }
        return n;
    }

    /**
     * Imports files, each into a folder: {@code folder}, or when null the name
     * {@link #folderName(Path)} derives from the file. A file that fails is listed in the report
     * and the others go on. Files that go to one folder give one entry in the report.
     *
     * @param files the mbox files (or Apple Mail bundle directories)
     * @param folder the target folder's full name, or null to derive it from each file name
     * @return the report (command {@code import})
     * @throws BackupException if the store itself fails (e.g. its directory cannot be listed)
     */
    public BackupReport importFiles(List<Path> files, String folder) throws BackupException {
        SafeListener events = SafeListener.start(listenerFactory, COMMAND, dryRun, clock.instant());
        Map<String, FolderReport> byFolder = new LinkedHashMap<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        running.add(cancelled);
        List<String> notImported = new ArrayList<>();
        try {
            for (Path file : files) {
                if (!notImported.isEmpty() || stopped(cancelled)) {
                    notImported.add(file.toString());
                    continue;
                }
                String target = folder != null ? folder : folderName(file);
                Tally t = new Tally(cancelled, events);
                FolderReport r = importFile(file, target, t);
                if (t.interrupted) {
                    notImported.add(file + " (partly)");
                }
                byFolder.merge(target, r, MboxImporter::merge);
            }
        } catch (BackupException e) {
            throw stopped(events, List.copyOf(byFolder.values()), e);
        } finally {
            running.remove(cancelled);
        }
        List<FolderReport> reports = List.copyOf(byFolder.values());
        List<ReportError> failures = List.of();
        if (!notImported.isEmpty()) {
            long done = reports.stream().mapToLong(r -> r.counters().messagesCopied()).sum();
            failures = List.of(new ReportError(null, -1, "import interrupted after importing and saving " + done
                    + (done == 1 ? " message" : " messages") + "; not imported: " + String.join(", ", notImported)
                    + ". Run the same import again to finish: messages already imported are recognised"
                    + " and not stored twice"));
        }
        return finish(events, notImported.isEmpty() ? Outcome.COMPLETED : Outcome.CANCELLED, reports, failures);
    }

    private BackupReport finish(SafeListener events, Outcome outcome, List<FolderReport> reports,
            List<ReportError> failures) {
        return events.finish(outcome, reports, failures, clock.instant());
    }

    /** The store failed: the run ends with outcome FAILED, and the failure carries the report. */
    private BackupException stopped(SafeListener events, List<FolderReport> reports, BackupException e) {
        return e.initReport(finish(events, Outcome.FAILED, reports, List.of(ReportError.of(null, e))));
    }

    /**
     * Stops every import of this importer in progress at the next message (or when its thread is
     * interrupted): what was appended is committed, and the report lists what was not imported.
     * Importing the same files again completes the import without storing anything twice. Safe to
     * call from any thread (e.g. a shutdown hook).
     */
    public void cancel() {
        running.forEach(flag -> flag.set(true));
    }

    private static boolean stopped(AtomicBoolean cancelled) {
        return cancelled.get() || Thread.currentThread().isInterrupted();
    }

    /**
     * Imports one file into one folder. Failures are recorded in the returned report, not thrown.
     *
     * @param file the mbox file (or Apple Mail bundle directory)
     * @param folder the target folder's full name
     * @return what was done
     * @throws BackupException if the store itself fails
     */
    public FolderReport importFile(Path file, String folder) throws BackupException {
        AtomicBoolean cancelled = new AtomicBoolean();
        running.add(cancelled);
        SafeListener events = SafeListener.start(listenerFactory, COMMAND, dryRun, clock.instant());
        try {
            Tally t = new Tally(cancelled, events);
            FolderReport report = importFile(file, folder, t);
            finish(events, t.interrupted ? Outcome.CANCELLED : Outcome.COMPLETED, List.of(report), List.of());
            return report;
        } catch (BackupException e) {
            throw stopped(events, List.of(), e);
        } finally {
            running.remove(cancelled);
        }
    }

    private FolderReport importFile(Path file, String folder, Tally t) throws BackupException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(folder, "folder");
        FolderInfo info = folderInfo(folder);
        MboxFileSource source = new MboxFileSource(file, info, dialect, maxExpansion, () -> stopped(t.cancelled));
        FolderEvents events = new FolderEvents(t.events);
        EngineConfig config = new EngineConfig(source, store, FolderFilter.all(), BackupListener.Factory.of(events),
                extractor, planner, false, 1, 0, clock,
                dryRun ? EngineConfig.Policy.IMPORT.asDryRun() : EngineConfig.Policy.IMPORT);
        try {
            new BackupEngine(config, t.cancelled).run();
        } catch (CancelledException e) {
            t.interrupted = true;
        }
        FolderReport r = events.report(info, store.location(info));
        List<ReportError> errors = new ArrayList<>(r.errors());
        if (t.interrupted) {
            Counters c = r.counters();
            errors.add(new ReportError(folder, -1, c.messagesOnSource() == 0
                    ? "interrupted while reading " + file + " (before writing anything)"
                    : "interrupted: " + c.messagesCopied() + " of " + c.messagesOnSource() + " messages of " + file
                            + " imported and saved (" + c.messagesSkipped() + " were there already)"));
        }
        MboxFileFolder read = source.opened();
        for (MboxWarning w : read == null ? List.<MboxWarning>of() : read.warnings()) {
            errors.add(new ReportError(folder, -1, w + "; check the messages around it"));
        }
        FolderReport report = new FolderReport(folder, r.file(), r.counters().plus(
                Counters.builder().errors(errors.size() - r.errors().size()).build()), errors);
        t.events.folderFinished(info, report);
        return report;
    }

    private FolderInfo folderInfo(String folder) throws BackupException {
        for (FolderInfo f : store.folders()) {
            if (f.name().equals(folder)) {
                return f;
            }
        }
        return new FolderInfo(folder, delimiter, Set.of(), false);
    }

    private static FolderReport merge(FolderReport a, FolderReport b) {
        List<ReportError> errors = new ArrayList<>(a.errors());
        errors.addAll(b.errors());
        return new FolderReport(a.name(), a.file(), a.counters().plus(b.counters()), errors);
    }

    /** The cancellation flag of one import and whether it stopped in this file. */
    private static final class Tally {
        final AtomicBoolean cancelled;
        final SafeListener events;
        boolean interrupted;

        Tally(AtomicBoolean cancelled, SafeListener events) {
            this.cancelled = cancelled;
            this.events = events;
        }
    }

    /**
     * Builds an {@link MboxImporter}. Not thread-safe.
     */
    public static final class Builder {

        private final MailboxStore store;
        private MessageIdExtractor extractor = MessageIdExtractor.standard();
        private MergePlanner planner = MergePlanner.standard();
        private BackupListener.Factory listenerFactory = BackupListener.Factory.of(BackupListener.NONE);
        private Dialect dialect;
        private String delimiter = "/";
        private boolean dryRun;
        private Clock clock = Clock.systemUTC();
        private int maxExpansion = Codecs.DEFAULT_MAX_EXPANSION;

        private Builder(MailboxStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /**
         * Replaces the Message-ID extractor (default: {@link MessageIdExtractor#standard()}).
         *
         * @param extractor the extractor
         * @return this builder
         */
        public Builder extractor(MessageIdExtractor extractor) {
            this.extractor = Objects.requireNonNull(extractor, "extractor");
            return this;
        }

        /**
         * Replaces the merge planner (default: {@link MergePlanner#standard()}).
         *
         * @param planner the planner
         * @return this builder
         */
        public Builder planner(MergePlanner planner) {
            this.planner = Objects.requireNonNull(planner, "planner");
            return this;
        }

        /**
         * Sets the listener of every import (default: none): run and folder started/finished/failed,
         * message copied. Replaces an earlier {@link #listenerFactory}.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(BackupListener listener) {
            this.listenerFactory = BackupListener.Factory.of(listener);
            return this;
        }

        /**
         * Sets the factory that makes one listener per import run. Replaces an earlier
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
         * Reads every file in this dialect instead of detecting it.
         *
         * @param dialect the dialect, or null to detect (the default)
         * @return this builder
         */
        public Builder dialect(Dialect dialect) {
            this.dialect = dialect;
            return this;
        }

        /**
         * Sets the hierarchy delimiter of folders the store does not hold yet (default {@code /}:
         * {@code Archive/2019} is a child of {@code Archive}).
         *
         * @param delimiter one character, or empty for a flat name
         * @return this builder
         */
        public Builder delimiter(String delimiter) {
            if (delimiter.length() > 1) {
                throw new IllegalArgumentException("delimiter must be one character or empty: " + delimiter);
            }
            this.delimiter = delimiter;
            return this;
        }

        /**
         * Writes nothing; the report says what would be imported.
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
         * Sets how many times a compressed file may expand when it is read: a file that expands
         * more (a decompression bomb) fails its folder with a
         * {@link io.github.imapbackup.mbox.codec.DecompressionBombException} naming it, and nothing
         * of it is imported. Default {@link Codecs#DEFAULT_MAX_EXPANSION}.
         *
         * @param maxExpansion uncompressed bytes per compressed byte; 0 for no limit
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxExpansion(int maxExpansion) {
            if (maxExpansion < 0) {
                throw new IllegalArgumentException("maxExpansion must be 0 (no limit) or positive, not " + maxExpansion);
            }
            this.maxExpansion = maxExpansion;
            return this;
        }

        /**
         * Builds the importer (no I/O).
         *
         * @return the importer
         */
        public MboxImporter build() {
            return new MboxImporter(this);
        }
    }
}
