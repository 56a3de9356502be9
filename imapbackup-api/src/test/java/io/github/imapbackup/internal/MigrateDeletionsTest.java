package io.github.imapbackup.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.spi.MergePlanner;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.testing.DirectoryTarget;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a copy without incremental state finds only on the target, and a migration's opt-in
 * deletions ({@link EngineConfig.Deletions}), through the engine with a source in memory and a
 * target made of real files that behaves like an IMAP account.
 */
@Timeout(20)
class MigrateDeletionsTest {

    private static final EngineConfig.Policy MIGRATE = new EngineConfig.Policy("migrate", false, false);
    private static final EngineConfig.Deletions DELETE2 = new EngineConfig.Deletions(true, false, false);
    private static final EngineConfig.Deletions DELETE1 = new EngineConfig.Deletions(false, true, false);
    private static final EngineConfig.Deletions DELETE2FOLDERS = new EngineConfig.Deletions(false, false, true);

    private final MemorySource host1 = new MemorySource("host1");

    @TempDir
    Path dir;

    private static byte[] message(String id) {
        return ("Message-ID: <" + id + "@example.org>\r\nSubject: " + id + "\r\n\r\nbody of " + id + "\r\n")
                .getBytes(ISO_8859_1);
    }

    private static BackupReport run(MessageSource source, DirectoryTarget target, FolderFilter filter,
            EngineConfig.Policy policy, EngineConfig.Deletions deletions) throws BackupException {
        EngineConfig config = new EngineConfig(source, target, filter, BackupListener.Factory.of(BackupListener.NONE),
                MessageIdExtractor.standard(), MergePlanner.standard(), false, 1, 0, Clock.systemUTC(), policy,
                deletions);
        return new BackupEngine(config, new AtomicBoolean()).run();
    }

    private static BackupReport migrate(MessageSource source, DirectoryTarget target, EngineConfig.Deletions d)
            throws BackupException {
        return run(source, target, FolderFilter.all(), MIGRATE, d);
    }

    /** host2 holds a, b three times and c; host1 holds a and b twice. */
    private DirectoryTarget host2WithSurplus() throws BackupException {
        MemorySource earlier = new MemorySource("earlier");
        MemoryFolder inbox = earlier.folder("INBOX");
        for (String id : List.of("a", "b", "b", "b", "c")) {
            inbox.add(message(id));
        }
        DirectoryTarget host2 = new DirectoryTarget(dir.resolve("host2"));
        migrate(earlier, host2, EngineConfig.Deletions.NONE);
        MemoryFolder mine = host1.folder("INBOX");
        for (String id : List.of("a", "b", "b")) {
            mine.add(message(id));
        }
        return host2;
    }

    private static List<String> subjects(DirectoryTarget target, String folder) {
        return target.messages(folder).stream().map(m -> m.identity().value()).sorted().toList();
    }

    @Test
    void countsWhatOnlyTheTargetHoldsAndTheSurplusCopiesWithoutDeletingThem() throws Exception {
        DirectoryTarget host2 = host2WithSurplus();

        BackupReport r = migrate(host1, host2, EngineConfig.Deletions.NONE);

        assertThat(r.totals().onlyOnTarget()).isEqualTo(1);
        assertThat(r.totals().duplicatesOnTarget()).isEqualTo(1);
        assertThat(r.totals().messagesSkipped()).isEqualTo(3);
        assertThat(r.totals().deletedFromTarget()).isZero();
        assertThat(host2.messages("INBOX")).hasSize(5);
    }

    @Test
    void delete2RemovesFromTheTargetExactlyWhatTheSourceDoesNotHoldCopiesCounted() throws Exception {
        DirectoryTarget host2 = host2WithSurplus();
        List<String> expected = List.of(message("a"), message("b"), message("b")).stream()
                .map(b -> identity(b)).sorted().toList();

        BackupReport dry = run(host1, host2, FolderFilter.all(), MIGRATE.asDryRun(), DELETE2);
        assertThat(dry.totals().deletedFromTarget()).isEqualTo(2);
        assertThat(host2.messages("INBOX")).as("a dry run deletes nothing").hasSize(5);

        BackupReport r = migrate(host1, host2, DELETE2);

        assertThat(r.hasFailures()).isFalse();
        assertThat(r.totals().deletedFromTarget()).isEqualTo(2);
        assertThat(subjects(host2, "INBOX")).isEqualTo(expected);
        assertThat(host1.folder("INBOX").size()).as("host1 untouched").isEqualTo(3);
        BackupReport again = migrate(host1, host2, DELETE2);
        assertThat(again.totals().deletedFromTarget()).isZero();
        assertThat(again.totals().messagesCopied()).isZero();
    }

    private static String identity(byte[] b) {
        try {
            return MessageIdExtractor.standard().identify(new java.io.ByteArrayInputStream(b)).value();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void delete1DeletesFromTheSourceWhatWasPresentOrConfirmedOnTheTarget() throws Exception {
        MemoryFolder inbox = host1.folder("INBOX");
        inbox.add(message("a"));
        inbox.add(message("b"));
        DirectoryTarget host2 = new DirectoryTarget(dir.resolve("host2"));
        migrate(host1, host2, EngineConfig.Deletions.NONE); // a and b present on host2 before
        inbox.add(message("c"));
        inbox.add(message("c"));

        BackupReport dry = run(host1, host2, FolderFilter.all(), MIGRATE.asDryRun(), DELETE1);
        assertThat(dry.totals().deletedFromSource()).isEqualTo(4);
        assertThat(inbox.size()).isEqualTo(4);

        BackupReport r = migrate(host1, host2, DELETE1);

        assertThat(r.hasFailures()).isFalse();
        assertThat(r.totals().messagesCopied()).isEqualTo(2);
        assertThat(r.totals().deletedFromSource()).isEqualTo(4);
        assertThat(inbox.size()).isZero();
        assertThat(host2.messages("INBOX")).hasSize(4);
    }

    @Test
    void aFolderWhereAMessageFailedDeletesNothingOnEitherSide() throws Exception {
        DirectoryTarget host2 = host2WithSurplus();
        MemoryFolder inbox = host1.folder("INBOX");
        long bad = inbox.add(message("d"));
        inbox.failMessage(bad, true);

        BackupReport r = migrate(host1, host2, new EngineConfig.Deletions(true, true, false));

        FolderReport folder = r.folders().get(0);
        assertThat(folder.failed()).isTrue();
        assertThat(folder.errors()).anyMatch(e -> e.message().contains("nothing deleted"));
        assertThat(r.totals().deletedFromTarget()).isZero();
        assertThat(r.totals().deletedFromSource()).isZero();
        assertThat(inbox.size()).isEqualTo(4);
        assertThat(host2.messages("INBOX")).hasSize(5);
    }

    @Test
    void aRunCancelledWhileItCopiesDeletesNothingOnEitherSide() throws Exception {
        DirectoryTarget host2 = host2WithSurplus();
        MemoryFolder inbox = host1.folder("INBOX");
        inbox.add(message("e"));
        inbox.add(message("f"));
        host1.stallAtOpenMessage(1);
        AtomicBoolean cancelled = new AtomicBoolean();
        EngineConfig config = new EngineConfig(host1, host2, FolderFilter.all(),
                BackupListener.Factory.of(BackupListener.NONE), MessageIdExtractor.standard(), MergePlanner.standard(),
                false, 1, 0, Clock.systemUTC(), MIGRATE, new EngineConfig.Deletions(true, true, true));
        ExecutorService exec = Executors.newSingleThreadExecutor();
        try {
            Future<BackupReport> result = exec.submit(() -> new BackupEngine(config, cancelled).run());
            assertThat(host1.awaitStall(10)).isTrue();
            cancelled.set(true);
            host1.releaseStall();
            assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CancelledException.class);
        } finally {
            exec.shutdownNow();
        }

        assertThat(inbox.size()).as("nothing deleted from host1").isEqualTo(5);
        assertThat(subjects(host2, "INBOX")).as("host2's surplus (c, a third b) still there")
                .containsSubsequence(identity(message("b")), identity(message("b")), identity(message("b")),
                        identity(message("c")));
    }

    @Test
    void aMessageTheTargetRefusesIsNeverDeletedFromTheSource() throws Exception {
        MemoryFolder inbox = host1.folder("INBOX");
        inbox.add(message("a"));
        inbox.add(("Message-ID: <big@example.org>\r\n\r\n" + "x".repeat(5000) + "\r\n").getBytes(ISO_8859_1));
        DirectoryTarget host2 = new DirectoryTarget(dir.resolve("host2")).refuseLargerThan(1000).pipelined(true);

        BackupReport r = migrate(host1, host2, DELETE1);

        assertThat(r.hasFailures()).isTrue();
        assertThat(r.totals().deletedFromSource()).isZero();
        assertThat(inbox.size()).isEqualTo(2);
    }

    private DirectoryTarget host2WithFolders(String... names) throws BackupException {
        MemorySource earlier = new MemorySource("earlier");
        for (String n : names) {
            earlier.folder(n).add(message(n));
        }
        DirectoryTarget host2 = new DirectoryTarget(dir.resolve("host2"));
        migrate(earlier, host2, EngineConfig.Deletions.NONE);
        return host2;
    }

    @Test
    void delete2foldersDeletesTheTargetFoldersNoSourceFolderMapsToButNeverInboxNorAParentThatStays()
            throws Exception {
        DirectoryTarget host2 = host2WithFolders("INBOX", "Old", "Old/Child", "Keep", "Keep/Sub", "Same");
        host1.folder("Keep/Sub").add(message("k"));
        host1.folder("Same").add(message("s"));

        BackupReport dry = run(host1, host2, FolderFilter.all(), MIGRATE.asDryRun(), DELETE2FOLDERS);
        assertThat(dry.totals().foldersDeletedFromTarget()).isEqualTo(2);
        assertThat(host2.folderNames()).hasSize(6);

        BackupReport r = migrate(host1, host2, DELETE2FOLDERS);

        assertThat(r.hasFailures()).isFalse();
        assertThat(r.totals().foldersDeletedFromTarget()).isEqualTo(2);
        assertThat(host2.folderNames()).containsExactly("INBOX", "Keep", "Keep/Sub", "Same");
    }

    @Test
    void withAFolderFilterOnlyTargetFoldersTheFilterSelectsByNameAreDeleted() throws Exception {
        DirectoryTarget host2 = host2WithFolders("INBOX", "Old", "Old/Child", "Other");
        host1.folder("INBOX").add(message("i"));

        BackupReport r = run(host1, host2, FolderFilter.all().exclude("^Old/Child$"), MIGRATE, DELETE2FOLDERS);

        assertThat(r.totals().foldersDeletedFromTarget()).isEqualTo(1);
        assertThat(host2.folderNames()).as("Old keeps its excluded child").containsExactly("INBOX", "Old",
                "Old/Child");
    }

    @Test
    void noFolderIsDeletedWhenAFolderFailed() throws Exception {
        DirectoryTarget host2 = host2WithFolders("INBOX", "Old");
        host1.folder("INBOX").add(message("i"));
        host1.folder("Broken").failing(true);

        BackupReport r = migrate(host1, host2, DELETE2FOLDERS);

        assertThat(r.hasFailures()).isTrue();
        assertThat(r.totals().foldersDeletedFromTarget()).isZero();
        assertThat(host2.folderNames()).contains("Old");
    }

    @Test
    void deletingIsRefusedForAnIncrementalPolicy() {
        assertThatThrownBy(() -> new EngineConfig(host1, new DirectoryTarget(dir), FolderFilter.all(),
                BackupListener.Factory.of(BackupListener.NONE), MessageIdExtractor.standard(),
                MergePlanner.standard(), false, 1, 0, Clock.systemUTC(), EngineConfig.Policy.BACKUP, DELETE2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backup");
    }
}
