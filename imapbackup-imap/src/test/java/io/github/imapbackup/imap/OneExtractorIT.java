package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.transfer.MboxExporter;
import io.github.imapbackup.mbox.transfer.MboxImporter;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session's Message-ID extractor is the only one: the run hands it to the source and to the
 * target, and an import with the same extractor recognises what the backup stored.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OneExtractorIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    /** Message-IDs compared case-insensitively (as some list servers rewrite their case). */
    static final MessageIdExtractor LOWER_CASE = new MessageIdExtractor() {
        @Override
        public MessageIdentity identify(InputStream message) throws IOException {
            byte[] header = header(message);
            Optional<String> id = messageId(new ByteArrayInputStream(header));
            return id.isPresent() ? MessageIdentity.ofMessageId(id.get())
                    : MessageIdExtractor.standard().identify(new ByteArrayInputStream(header));
        }

        @Override
        public Optional<String> messageId(InputStream header) throws IOException {
            return MessageIdExtractor.standard().messageId(header).map(id -> id.toLowerCase(Locale.ROOT));
        }
    };

    private static byte[] header(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prev = -1;
        for (int c = in.read(); c >= 0; c = in.read()) {
            out.write(c);
            if (c == '\n' && (prev == '\n' || out.size() == 1)) {
                break;
            }
            if (c != '\r') {
                prev = c;
            }
        }
        return out.toByteArray();
    }

    @Test
    void theSessionsExtractorIdentifiesOnBothSidesAndNothingIsStoredTwice(@TempDir Path dir) throws Exception {
        GreenMailUser user = Fixtures.user(greenMail);
        Fixtures.append(greenMail, user, "INBOX", Fixtures.message("<Mixed.Case@Example.ORG>", "a@x", "one",
                "body\n"), null, Instant.parse("2020-01-01T00:00:00Z"));
        MboxStore store = MboxStore.builder(dir.resolve("backup")).build();
        BackupSession session = BackupSession.builder()
                .source(Fixtures.plain(greenMail).build())
                .target(store)
                .extractor(LOWER_CASE)
                .build();

        BackupReport first = session.run();
        assertThat(first.hasFailures()).as(first.toString()).isFalse();
        FolderInfo inbox = store.folders().get(0);
        assertThat(identities(store, inbox)).as("the source's identity comes from the session's extractor")
                .containsExactly("mid:<mixed.case@example.org>");

        // a lost index is rebuilt by the target with the same extractor: the next run matches
        Files.delete(dir.resolve("backup").resolve(store.location(inbox) + ".index"));
        BackupReport second = session.run();
        assertThat(second.hasFailures()).as(second.toString()).isFalse();
        assertThat(second.totals().messagesCopied()).isZero();
        assertThat(identities(store, inbox)).containsExactly("mid:<mixed.case@example.org>");

        // the same message imported with the same extractor is recognised, not stored again
        MboxExporter.builder(store).build().exportMbox(dir.resolve("out"), Dialect.MBOXRD, Codecs.NONE);
        Path file;
        try (Stream<Path> files = Files.walk(dir.resolve("out"))) {
            file = files.filter(p -> p.toString().endsWith(".mbox")).findFirst().orElseThrow();
        }
        BackupReport imported = MboxImporter.builder(store).extractor(LOWER_CASE).build()
                .importFiles(List.of(file), inbox.name());
        assertThat(imported.hasFailures()).as(imported.toString()).isFalse();
        assertThat(imported.totals().messagesCopied()).as(imported.toString()).isZero();
        assertThat(identities(store, inbox)).hasSize(1);
    }

    private static List<String> identities(MboxStore store, FolderInfo folder) throws Exception {
        try (FolderArchive a = store.openReadOnly(folder).orElseThrow()) {
            return a.messages().stream().map(ArchivedMessage::identity).map(MessageIdentity::value).toList();
        }
    }

}
