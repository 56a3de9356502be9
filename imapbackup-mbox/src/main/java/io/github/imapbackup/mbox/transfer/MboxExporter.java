package io.github.imapbackup.mbox.transfer;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.internal.BackupEngine;
import io.github.imapbackup.internal.EngineConfig;
import io.github.imapbackup.internal.StandardMergePlanner;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.codec.CodecRegistry;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

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
 * <p>An export is a run of the one engine: the backup directory ({@link MboxStore#asSource()}) is
 * the source, the export directory the target, which lists what an earlier export already wrote so
 * that only what is missing is written. Every exported message is checked against the SHA-256 its
 * index records; a mismatch is reported as a failure.
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

    /** An export: matched by identity against what the output holds, no incremental state. */
    private static final EngineConfig.Policy POLICY = new EngineConfig.Policy("export", false, false);

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
        return export(outDir, archive -> new EmlExport(archive, outDir, codecs));
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
        return export(outDir, archive -> new MboxExport(archive, outDir, codecs, dialect, codec));
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

    private BackupReport export(Path outDir, Function<BackupArchive, ExportTarget> targetFor) throws BackupException {
        Objects.requireNonNull(outDir, "outDir");
        AtomicBoolean cancelled = new AtomicBoolean();
        running.add(cancelled);
        try (BackupArchive archive = store.read()) {
            ExportTarget target = targetFor.apply(archive);
            EngineConfig config = new EngineConfig(store.asSource(), target, folders, listenerFactory,
                    MessageIdExtractor.standard(), StandardMergePlanner.INSTANCE, false, 1, 0, clock,
                    dryRun ? POLICY.asDryRun() : POLICY);
            try {
                return new BackupEngine(config, cancelled).run();
            } catch (CancelledException e) {
                return interrupted(e.report().orElseThrow(), target, archive);
            }
        } finally {
            running.remove(cancelled);
        }
    }

    /**
     * The report of an interrupted export: the folder it stopped in gets an error saying what of
     * it was exported, and one error says what was not and how to finish.
     */
    private BackupReport interrupted(BackupReport engine, ExportTarget target, BackupArchive archive) {
        List<FolderReport> folders = new ArrayList<>(engine.folders());
        String in = null;
        for (int i = folders.size() - 1; i >= 0 && in == null; i--) {
            FolderReport f = folders.get(i);
            String what = target.aborted(f.name());
            if (what != null) {
                in = "folder \"" + f.name() + "\" " + what;
                folders.set(i, interrupted(f, what));
            }
        }
        Set<String> reported = new HashSet<>();
        folders.forEach(f -> reported.add(f.name()));
        List<String> notStarted = new ArrayList<>();
        for (FolderInfo f : archive.folders()) {
            if (this.folders.selects(f.name()) && !reported.contains(f.name())) {
                notStarted.add(f.name());
            }
        }
        List<ReportError> errors = new ArrayList<>(engine.errors());
        errors.add(new ReportError(null, -1, summary(folders, in, notStarted)));
        return new BackupReport(engine.command(), engine.startedAt(), engine.finishedAt(), engine.dryRun(),
                Outcome.CANCELLED, folders, errors);
    }

    /** A folder's report with the error of the interruption; nothing counts as copied if its file was removed. */
    private static FolderReport interrupted(FolderReport f, String what) {
        Counters c = f.counters();
        boolean removed = what.contains("removed");
        List<ReportError> errors = new ArrayList<>(f.errors());
        errors.add(new ReportError(f.name(), -1, "interrupted: " + (c.messagesCopied() + c.messagesSkipped())
                + " of " + c.messagesOnSource() + " messages exported"
                + (removed ? "; the file being written was removed" : "")));
        Counters.Builder b = c.toBuilder().errors(errors.size());
        if (removed) {
            b.messagesCopied(0).bytesCopied(0);
        }
        return new FolderReport(f.name(), f.file(), b.build(), errors);
    }

    /** What an interrupted export did and did not do. */
    private static String summary(List<FolderReport> reports, String in, List<String> notStarted) {
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
