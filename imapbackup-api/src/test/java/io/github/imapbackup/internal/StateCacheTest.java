package io.github.imapbackup.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MigrateSession;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.MessageTarget;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.TargetFolder;
import io.github.imapbackup.testing.DirectoryTarget;
import io.github.imapbackup.testing.ForwardingTarget;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration's state cache ({@link MigrateSession.Builder#stateCache}) through the engine, with a
 * source in memory that counts its calls and a target of real files that tells its folders'
 * figures as a server's STATUS does: a rerun on unchanged folders opens none, and any change on
 * either side (a new message on host1, an expunge and an append there, a message deleted from
 * host2), a damaged file, or another pair of accounts makes the folder listed again.
 */
@Timeout(30)
class StateCacheTest {

    private static final List<String> FOLDERS = List.of("INBOX", "Archive", "Archive/2019");

    private final MemorySource memory = new MemorySource("host1");
    /** host1: the memory source with a key for the cache. */
    private final Keyed host1 = new Keyed(memory, "imap://alice@host1:143");

    @TempDir
    Path dir;

    private DirectoryTarget files;
    private Target host2;
    private Path cache;

    private static byte[] message(String id) {
        return ("Message-ID: <" + id + "@example.org>\r\nSubject: " + id + "\r\n\r\nbody of " + id + "\r\n")
                .getBytes(ISO_8859_1);
    }

    private void fill() {
        files = new DirectoryTarget(dir.resolve("host2"));
        host2 = new Target(files, "imap://bob@host2:143");
        cache = dir.resolve("state/cache.properties");
        for (String f : FOLDERS) {
            MemoryFolder folder = memory.folder(f);
            for (int i = 0; i < 4; i++) {
                folder.add(message(f + "-" + i));
            }
        }
        folderHoldingOneTwice();
    }

    private void folderHoldingOneTwice() {
        memory.folder("INBOX").add(message("INBOX-0"));
    }

    private BackupReport migrate(MessageSource source, MessageTarget target, Path file) throws BackupException {
        return MigrateSession.builder().source(source).target(target).connections(2).stateCache(file).build().run();
    }

    private BackupReport migrate() throws BackupException {
        return migrate(host1, host2, cache);
    }

    @Test
    void aRerunOnUnchangedFoldersListsNoneAndCountsTheirMessagesAsSkipped() throws Exception {
        fill();
        BackupReport first = migrate();
        assertThat(first.totals().messagesCopied()).isEqualTo(13);
        assertThat(first.totals().foldersFromCache()).isZero();
        assertThat(cache).isRegularFile();
        memory.resetCounters();

        BackupReport again = migrate();

        assertThat(memory.openCalls()).as("no folder of host1 opened").isZero();
        assertThat(memory.statusCalls()).as("one STATUS per folder").isEqualTo(3);
        assertThat(again.totals().foldersFromCache()).isEqualTo(3);
        assertThat(again.totals().messagesOnSource()).isEqualTo(13);
        assertThat(again.totals().messagesSkipped()).isEqualTo(13);
        assertThat(again.totals().duplicatesOnSource()).as("as the listing found")
                .isEqualTo(first.totals().duplicatesOnSource());
        assertThat(again.totals().onlyOnTarget()).isEqualTo(first.totals().onlyOnTarget());
        assertThat(again.totals().messagesCopied()).isZero();
        assertThat(again.hasFailures()).isFalse();
        assertThat(host2.statusCalls).as("host2 asked once for all folders").isEqualTo(2 + 1);
        assertThat(Files.readString(cache)).contains("version=1", "imap://alice@host1:143 -> imap://bob@host2:143",
                "Archive/2019").doesNotContain("secret");
    }

    @Test
    void aNewMessageOnHost1MakesOnlyItsFolderListedAndCopiesExactlyIt() throws Exception {
        fill();
        migrate();
        memory.folder("Archive").add(message("new"));
        memory.resetCounters();

        BackupReport r = migrate();

        assertThat(memory.openCalls()).isEqualTo(1);
        assertThat(r.totals().messagesCopied()).isEqualTo(1);
        assertThat(r.totals().foldersFromCache()).isEqualTo(2);
        assertThat(files.messages("Archive")).hasSize(5);
        memory.resetCounters();
        assertThat(migrate().totals().foldersFromCache()).as("recorded anew").isEqualTo(3);
        assertThat(memory.openCalls()).isZero();
    }

    @Test
    void anExpungeAndAnAppendOnHost1ChangeUidNextAndTheFolderIsListed() throws Exception {
        fill();
        migrate();
        MemoryFolder archive = memory.folder("Archive");
        archive.expunge(archive.uids()[0]);
        archive.add(message("replacement"));
        memory.resetCounters();

        BackupReport r = migrate();

        assertThat(memory.openCalls()).isEqualTo(1);
        assertThat(r.totals().messagesCopied()).isEqualTo(1);
        assertThat(files.messages("Archive").stream().map(m -> m.identity().value()))
                .contains("mid:<replacement@example.org>");
    }

    @Test
    void aMessageDeletedFromHost2ByHandIsCopiedBack() throws Exception {
        fill();
        migrate();
        Path inbox = dir.resolve("host2").resolve(URLEncoder.encode("Archive/2019", StandardCharsets.UTF_8));
        Files.delete(inbox.resolve("4.eml"));
        Files.delete(inbox.resolve("4.meta"));
        memory.resetCounters();

        BackupReport r = migrate();

        assertThat(memory.openCalls()).isEqualTo(1);
        assertThat(r.totals().messagesCopied()).isEqualTo(1);
        assertThat(files.messages("Archive/2019")).hasSize(4);
    }

    @Test
    void aDamagedFileIsAWarningAndAFullPassThenWrittenAnew() throws Exception {
        fill();
        migrate();
        Files.writeString(cache, "version=1\nnot a cache \\u12");
        memory.resetCounters();
        String[] log = new String[1];

        BackupReport r = RunEventsTest.captureStderr(log, this::migrate);

        assertThat(r.hasFailures()).isFalse();
        assertThat(memory.openCalls()).isEqualTo(3);
        assertThat(log[0]).contains("WARN", "state cache " + cache, "every folder is listed").doesNotContain("\tat ");
        memory.resetCounters();
        assertThat(migrate().totals().foldersFromCache()).isEqualTo(3);
        assertThat(memory.openCalls()).isZero();
    }

    @Test
    void damagedRecordsAreIgnoredAndTheOthersUsed() throws Exception {
        fill();
        migrate();
        String text = Files.readString(cache);
        Files.writeString(cache, text.replaceFirst("(\\.1\\.state=)\\d+", "$1x"));
        memory.resetCounters();

        BackupReport r = migrate();

        assertThat(memory.openCalls()).isEqualTo(1);
        assertThat(r.totals().foldersFromCache()).isEqualTo(2);
    }

    @Test
    void anotherPairOfAccountsOrOtherNameSettingsDoNotUseTheRecordsAndKeepThem() throws Exception {
        fill();
        migrate();
        Target renamed = new Target(files, "imap://bob@host2:143 names: other");
        memory.resetCounters();

        migrate(host1, renamed, cache);

        assertThat(memory.openCalls()).isEqualTo(3);
        memory.resetCounters();
        assertThat(migrate().totals().foldersFromCache()).as("the first pair's records kept").isEqualTo(3);
        assertThat(migrate(host1, renamed, cache).totals().foldersFromCache()).isEqualTo(3);
    }

    @Test
    void deletionsAndSourcesWithoutAKeyNeitherUseNorWriteTheCache() throws Exception {
        fill();
        migrate(memory, host2, cache);
        assertThat(cache).doesNotExist();
        migrate();
        memory.resetCounters();

        EngineConfig delete2 = new EngineConfig(host1, host2, io.github.imapbackup.FolderFilter.all(),
                io.github.imapbackup.BackupListener.Factory.of(io.github.imapbackup.BackupListener.NONE),
                MessageIdExtractor.standard(), io.github.imapbackup.spi.MergePlanner.standard(), false, 1, 0,
                java.time.Clock.systemUTC(), EngineConfig.Policy.MIGRATE, new EngineConfig.Deletions(true, false, false),
                cache);
        BackupReport r = new BackupEngine(delete2, new java.util.concurrent.atomic.AtomicBoolean()).run();

        assertThat(r.totals().foldersFromCache()).isZero();
        assertThat(memory.openCalls()).isEqualTo(3);
    }

    @Test
    void aDryRunUsesTheCacheAndWritesNothing() throws Exception {
        fill();
        BackupReport dry = MigrateSession.builder().source(host1).target(host2).stateCache(cache).build().plan();
        assertThat(dry.totals().messagesCopied()).isEqualTo(13);
        assertThat(cache).doesNotExist();
        migrate();
        memory.resetCounters();

        BackupReport again = MigrateSession.builder().source(host1).target(host2).stateCache(cache).build().plan();

        assertThat(again.totals().foldersFromCache()).isEqualTo(3);
        assertThat(memory.openCalls()).isZero();
    }

    @Test
    void aFolderWhereAMessageFailedIsNotRecorded() throws Exception {
        fill();
        MemoryFolder archive = memory.folder("Archive");
        archive.failMessage(archive.uids()[1], true);
        BackupReport first = migrate();
        assertThat(first.hasFailures()).isTrue();
        memory.resetCounters();

        BackupReport r = migrate();

        assertThat(memory.openCalls()).as("Archive listed again").isEqualTo(1);
        assertThat(r.totals().foldersFromCache()).isEqualTo(2);
    }

    @Test
    void aTargetThatChangedMeanwhileIsNotRecorded() throws Exception {
        fill();
        host2.outsideAppend = "INBOX";
        migrate();
        memory.resetCounters();

        migrate();

        assertThat(memory.openCalls()).as("INBOX: host2 changed by more than the run appended").isEqualTo(1);
    }

    @Test
    void aCacheThatCannotBeWrittenIsAWarningAndTheRunSucceeds() throws Exception {
        fill();
        Files.writeString(dir.resolve("state"), "a file where the cache's directory should be");
        String[] log = new String[1];

        BackupReport r = RunEventsTest.captureStderr(log, this::migrate);

        assertThat(r.hasFailures()).isFalse();
        assertThat(r.totals().messagesCopied()).isEqualTo(13);
        assertThat(log[0]).contains("WARN", "state cache " + cache + " cannot be written",
                "the next run lists every folder").doesNotContain("\tat ");
        assertThat(dir.resolve("state")).isRegularFile();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void twoMigrationsAtOnceKeepEachOthersRecords() throws Exception {
        fill();
        MemorySource other = new MemorySource("host3");
        for (int i = 0; i < 3; i++) {
            other.folder("Other" + i).add(message("o" + i));
        }
        Keyed host3 = new Keyed(other, "imap://carol@host3:143");
        Target host4 = new Target(new DirectoryTarget(dir.resolve("host4")), "imap://dave@host4:143");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> migrate());
            var b = pool.submit(() -> migrate(host3, host4, cache));
            a.get();
            b.get();
        } finally {
            pool.shutdown();
        }
        memory.resetCounters();
        other.resetCounters();

        assertThat(migrate().totals().foldersFromCache()).isEqualTo(3);
        assertThat(migrate(host3, host4, cache).totals().foldersFromCache()).isEqualTo(3);
        assertThat(memory.openCalls() + other.openCalls()).isZero();
    }

    /** A source with a key for the cache. */
    private record Keyed(MessageSource source, String key) implements MessageSource {
        @Override
        public SourceConnection connect() throws BackupException {
            return source.connect();
        }

        @Override
        public String describe() {
            return source.describe();
        }

        @Override
        public Optional<String> stateKey() {
            return Optional.of(key);
        }
    }

    /** The target of files, telling each folder's figures as STATUS: UIDs are dense, UIDNEXT the last one's next. */
    private final class Target extends ForwardingTarget {
        private final DirectoryTarget files;
        private final String key;
        int statusCalls;
        String outsideAppend;

        Target(DirectoryTarget files, String key) {
            super(files);
            this.files = files;
            this.key = key;
        }

        @Override
        public Optional<String> stateKey() {
            return Optional.of(key);
        }

        @Override
        public synchronized Map<String, FolderStatus> status(List<FolderInfo> folders) throws BackupException {
            statusCalls++;
            if (statusCalls == 2 && outsideAppend != null) {
                // someone else appends to host2 while the run copies
                TargetFolder f = files.open(new FolderInfo(outsideAppend, "/", java.util.Set.of(), true),
                        MessageIdExtractor.standard());
                f.append(new TargetFolder.NewMessage(0, 0, io.github.imapbackup.MessageIdentity.ofMessageId("<x@y>"), -1,
                        java.time.Instant.now(), java.util.Set.of(), "a@b"), new java.io.ByteArrayInputStream(
                        message("outside")));
                f.close();
            }
            Map<String, FolderStatus> out = new HashMap<>();
            for (FolderInfo f : folders) {
                List<ArchivedMessage> held = files.messages(f.name());
                if (!held.isEmpty()) {
                    out.put(f.name(), new FolderStatus(held.size(), 7, held.get(held.size() - 1).uid() + 1, 0));
                }
            }
            return out;
        }
    }
}
