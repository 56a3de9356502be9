package io.github.imapbackup.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.imap.Security;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.spi.MessageSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class EmbeddingExamplesIT {

    private static DemoServer server;
    private static int total;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        server = DemoServer.start("demo", "demo");
        total = server.load(SampleAccount.generate(5, 16 * 1024, 10)).values().stream().mapToInt(i -> i).sum();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static MessageSource account() {
        return ImapSource.builder().host(DemoServer.HOST).port(server.port()).security(Security.NONE).user("demo")
                .password("demo"::toCharArray).build();
    }

    @Test
    void simpleBackupCopiesEverythingCompressed() throws IOException {
        BackupReport r = SimpleBackup.backup(account(), tmp);
        assertThat(r.hasFailures()).isFalse();
        assertThat(r.totals().messagesCopied()).isEqualTo(total);
        assertThat(tmp.resolve("INBOX.mbox.zst")).isRegularFile();
    }

    @Test
    void listenerSeesEveryFolderAndThePlanMatchesTheRun() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BackupReport r = ProgressListenerExample.planThenRun(account(), tmp,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(r.totals().messagesCopied()).isEqualTo(total);
        assertThat(out).contains("would copy " + total + " messages").contains("INBOX: ").contains("Entwürfe: ");
        assertThat(out).containsPattern("copied [1-9]\\d* bytes");
    }

    @Test
    void importThenExport() throws IOException {
        Path mbox = tmp.resolve("thunderbird.mbox");
        byte[] message = ("From: a@example.org\r\nSubject: hi\r\nMessage-ID: <hi@example.org>\r\n\r\nHello.\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (MboxWriter w = new MboxWriter(Files.newOutputStream(mbox), 0)) {
            w.write("a@example.org", Instant.parse("2026-01-02T03:04:05Z"), new ByteArrayInputStream(message));
        }
        BackupReport r = ImportAndExport.run(mbox, tmp.resolve("backup"), tmp.resolve("out"));
        assertThat(r.totals().messagesCopied()).isEqualTo(1);
        assertThat(tmp.resolve("out/eml/Imported/000001-0.eml")).hasBinaryContent(message);
        assertThat(tmp.resolve("out/mbox/Imported.mbox.gz")).isRegularFile();
    }
}
