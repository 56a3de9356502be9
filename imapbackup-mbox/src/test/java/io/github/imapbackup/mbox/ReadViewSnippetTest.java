package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.FolderInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Javadoc snippets of {@link BackupArchive}, {@link VerifyReport}, {@link MboxStore#asSource()},
 * {@link ArchiveSelection} and {@link FolderFilter} compiling.
 */
@Timeout(30)
class ReadViewSnippetTest {

    private static final Logger log = LoggerFactory.getLogger(ReadViewSnippetTest.class);

    @TempDir
    Path tmp;

    static long backupArchive(Path backup) throws IOException {
        try (BackupArchive archive = MboxStore.builder(backup).build().read()) {
            long unread = archive.messages()
                    .filter(m -> !m.message().flags().contains("\\Seen"))
                    .count();
            for (StoredMessage m : archive.messages(archive.folders().get(0)).toList()) {
                try (InputStream in = archive.open(m)) {
                    in.transferTo(OutputStream.nullOutputStream()); // the exact bytes the server sent
                }
            }
            VerifyReport verified = archive.verify();
            assertThat(verified.ok()).isTrue();
            return unread;
        }
    }

    static BackupReport verifyReport(Path backup) throws BackupException {
        try (BackupArchive archive = MboxStore.builder(backup).build().read()) {
            VerifyReport verified = archive.verify();
            verified.problems().forEach(p -> log.warn("{}", verified.describe(p)));
            BackupReport report = verified.toReport(); // command "verify": source = messages checked
            return report;
        }
    }

    static BackupReport asSource(Path tmp) throws BackupException {
        MboxStore backup = MboxStore.builder(tmp.resolve("backup")).build();
        BackupReport copied = BackupSession.builder()
                .source(backup.asSource())
                .target(MboxStore.builder(tmp.resolve("copy")).build())
                .build()
                .run();
        return copied;
    }

    /** The snippets of {@link ArchiveSelection} and {@link MboxStore#asSource(ArchiveSelection)}. */
    static List<io.github.imapbackup.spi.MessageSource> selections(Path backup) {
        ArchiveSelection lastTuesday = ArchiveSelection.builder()
                .asOf(java.time.Instant.parse("2026-12-01T18:00:00Z"))
                .build();
        io.github.imapbackup.spi.MessageSource source = MboxStore.builder(backup).build().asSource(lastTuesday);
        io.github.imapbackup.spi.MessageSource undelete = MboxStore.builder(backup).build()
                .asSource(ArchiveSelection.builder().expungedOnly(true).build());
        return List.of(source, undelete);
    }

    static FolderFilter.Selection folderFilter(List<FolderInfo> listed) {
        FolderFilter filter = FolderFilter.all().include("INBOX", "Archive/2019").exclude("Trash|Junk");
        assertThat(filter.selects("inbox")).isTrue();
        FolderFilter.Selection s = filter.select(listed, "on the server");
        return s;
    }

    @Test
    void theSnippetsRun() throws Exception {
        MboxStore store = MboxStore.builder(tmp.resolve("backup")).build();
        try (var a = store.open(StoreFixtures.INBOX)) {
            byte[] b = StoreFixtures.message("INBOX", 1).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            a.append(StoreFixtures.newMessage(7, 1, b), new java.io.ByteArrayInputStream(b));
        }
        assertThat(backupArchive(tmp.resolve("backup"))).isEqualTo(1);
        assertThat(verifyReport(tmp.resolve("backup")).totals().messagesOnSource()).isEqualTo(1);
        assertThat(asSource(tmp).totals().messagesCopied()).isEqualTo(1);
        for (io.github.imapbackup.spi.MessageSource source : selections(tmp.resolve("backup"))) {
            try (var c = source.connect()) {
                assertThat(c.folders()).extracting(FolderInfo::name).isSubsetOf("INBOX");
            }
        }
        assertThat(folderFilter(List.of(StoreFixtures.INBOX, new FolderInfo("Trash", "/", Set.of(), true))).missing())
                .containsOnlyKeys("Archive/2019");
    }
}
