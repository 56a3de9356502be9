package io.github.imapbackup.mbox.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.RunInfo;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.SourceFolder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A foreign mbox file as the source of an import run through the engine. */
@Timeout(60)
class MboxFileSourceTest {

    private static final Instant DATE = Instant.parse("2024-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private Path mbox(String name, String... messages) throws IOException {
        Path file = dir.resolve(name);
        try (MboxWriter w = new MboxWriter(Files.newOutputStream(file), 0)) {
            for (String m : messages) {
                w.write("a@x", DATE, new ByteArrayInputStream(m.getBytes(StandardCharsets.US_ASCII)));
            }
        }
        return file;
    }

    @Test
    void positionsAreUidsAndTheFirstPassKnowsEachDigest() throws Exception {
        Path file = mbox("In.mbox", "Message-ID: <a@x>\r\nStatus: RO\r\n\r\na\r\n", "Message-ID: <b@x>\r\n\r\nb\r\n");
        FolderInfo info = new FolderInfo("In", "/", Set.of(), false);
        MboxFileSource source = new MboxFileSource(file, info, null, () -> false);
        try (SourceConnection c = source.connect(); SourceFolder f = c.open(info, MessageIdExtractor.standard())) {
            List<MessageInfo> all = f.messages(1);
            assertThat(all).extracting(MessageInfo::uid).containsExactly(1L, 2L);
            assertThat(all.get(0).flags()).contains("\\Seen");
            assertThat(all.get(0).internalDate()).isEqualTo(DATE);
            assertThat(f.messages(2)).extracting(MessageInfo::uid).containsExactly(2L);
            assertThat(f.sha256(1)).get().asString().hasSize(64);
            assertThat(f.sha256(3)).isEmpty();
            List<Long> handed = new ArrayList<>();
            f.fetchMessages(List.of(all.get(1)), (uid, in) -> {
                handed.add(uid);
                try {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).contains("<b@x>");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThat(handed).containsExactly(2L);
            try (InputStream in = f.openMessage(1)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).contains("<a@x>");
            }
        }
    }

    @Test
    void aFileThatChangesBetweenThePassesFailsNamingTheFileAndOffset() throws Exception {
        Path file = mbox("Grows.mbox", "Message-ID: <a@x>\r\n\r\na\r\n", "Message-ID: <b@x>\r\n\r\nb\r\n");
        MboxStore store = MboxStore.builder(dir.resolve("backup")).build();
        BackupReport r = MboxImporter.builder(store).listener(new BackupListener() {
            @Override
            public void folderStarted(RunInfo run, FolderInfo folder, long onSource, long toCopy, long bytes) {
                try {
                    Files.writeString(file, "From c@x Mon Jan  1 00:00:00 2024\nMessage-ID: <c@x>\n\nc\n\n",
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }).build().importFiles(List.of(file), "Grows");
        assertThat(r.hasFailures()).isTrue();
        assertThat(r.allErrors()).extracting(ReportError::message).singleElement().asString()
                .contains(file.toString()).contains("at byte").contains("the file changed during the import");
        assertThat(r.totals().messagesCopied()).as("what was appended before is kept").isEqualTo(2);
    }

    @Test
    void copiesAreCountedAndDistinctMessagesSharingAMessageIdAreBothKept() throws Exception {
        String a = "Message-ID: <a@x>\r\n\r\ntwice\r\n";
        Path file = mbox("Copies.mbox", a, a, "Message-ID: <x@x>\r\n\r\none\r\n",
                "Message-ID: <x@x>\r\n\r\nanother\r\n");
        MboxStore store = MboxStore.builder(dir.resolve("backup")).build();
        MboxImporter importer = MboxImporter.builder(store).build();
        BackupReport first = importer.importFiles(List.of(file), "Copies");
        assertThat(first.allErrors()).isEmpty();
        assertThat(first.totals().messagesCopied()).isEqualTo(4);
        assertThat(first.totals().duplicatesOnSource()).isEqualTo(1);
        BackupReport again = importer.importFiles(List.of(file), "Copies");
        assertThat(again.totals().messagesCopied()).as("importing twice adds nothing").isZero();
        assertThat(again.totals().messagesSkipped()).isEqualTo(4);
        Path thrice = mbox("Thrice.mbox", a, a, a);
        BackupReport third = importer.importFiles(List.of(thrice), "Copies");
        assertThat(third.totals().messagesCopied()).as("a third copy only for a third copy in the file").isEqualTo(1);
        try (io.github.imapbackup.spi.FolderArchive f = store.openReadOnly(
                new FolderInfo("Copies", "/", Set.of(), false)).orElseThrow()) {
            assertThat(f.messages()).hasSize(5);
        }
    }

    @Test
    void aMissingFileIsAFailureNamingIt() throws Exception {
        MboxStore store = MboxStore.builder(dir.resolve("backup")).build();
        Path missing = dir.resolve("Gone.mbox");
        BackupReport r = MboxImporter.builder(store).build().importFiles(List.of(missing), null);
        assertThat(r.hasFailures()).isTrue();
        assertThat(r.allErrors()).extracting(ReportError::message).singleElement().asString()
                .contains("no such file").contains(missing.toString());
    }
}
