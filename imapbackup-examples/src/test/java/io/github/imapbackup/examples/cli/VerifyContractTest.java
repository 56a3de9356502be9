package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code verify} prints and writes as JSON, fixed character for character (times left out): the
 * verification moved into the library, the command only maps options onto it and prints its report.
 */
@Timeout(30)
class VerifyContractTest {

    @TempDir
    Path tmp;
    private Path backup;

    @BeforeEach
    void twoFoldersAndAStrayFile() throws IOException {
        backup = tmp.resolve("backup");
        Path inbox = MboxFiles.mbox(tmp.resolve("Inbox.mbox"), List.of(
                MboxFiles.message("one@example.org", "One", "First.\r\n"),
                MboxFiles.message("two@example.org", "Two", "Second.\r\n")));
        Path sent = MboxFiles.mbox(tmp.resolve("Sent.mbox"), List.of(
                MboxFiles.message("three@example.org", "Three", "Third.\r\n")));
        CliRun imported = CliRun.run("import", "--dir", backup.toString(), inbox.toString(), sent.toString());
        assertThat(imported.status).as(imported.toString()).isZero();
    }

    private String[] verify(String... args) throws IOException {
        Path report = tmp.resolve("verify.json");
        Files.deleteIfExists(report);
        List<String> all = new ArrayList<>(List.of("verify", "--dir", backup.toString(), "--report", report.toString()));
        all.addAll(List.of(args));
        CliRun r = CliRun.run(all.toArray(String[]::new));
        String json = Files.readString(report).replaceAll("\"(startedAt|finishedAt)\":\"[^\"]*\"", "\"$1\":\"T\"");
        return new String[] {String.valueOf(r.status), r.out, json};
    }

    private void corruptSecondMessage() throws IOException {
        Path mbox = backup.resolve("Inbox.mbox");
        byte[] bytes = Files.readAllBytes(mbox);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("Second.");
        bytes[at] ^= 0x20;
        Files.write(mbox, bytes);
    }

    @Test
    void aGoodBackup() throws IOException {
        assertThat(verify()).containsExactly("0",
                "OK: all 3 messages match their SHA-256.\n",
                "{\"command\":\"verify\",\"startedAt\":\"T\",\"finishedAt\":\"T\",\"exitStatus\":0,\"dryRun\":false,\"messagesOnSource\":3,\"messagesCopied\":0,\"messagesSkipped\":0,\"duplicatesOnSource\":0,\"bytesCopied\":425,\"errors\":0,\"flagsUpdated\":0,\"messagesExpunged\":0"
                + ",\"totals\":{\"messagesOnSource\":3,\"messagesCopied\":0,\"messagesSkipped\":0,\"duplicatesOnSource\":0,\"bytesCopied\":425,\"errors\":0,\"flagsUpdated\":0,\"messagesExpunged\":0}"
                + ",\"folders\":[{\"name\":\"Inbox\",\"file\":\"Inbox.mbox\",\"messagesOnSource\":2,\"messagesCopied\":0,\"messagesSkipped\":0,\"duplicatesOnSource\":0,\"bytesCopied\":281,\"flagsUpdated\":0,\"messagesExpunged\":0,\"errors\":[]},{\"name\":\"Sent\",\"file\":\"Sent.mbox\",\"messagesOnSource\":1,\"messagesCopied\":0,\"messagesSkipped\":0,\"duplicatesOnSource\":0,\"bytesCopied\":144,\"flagsUpdated\":0,\"messagesExpunged\":0,\"errors\":[]}]"
                + ",\"failures\":[]}\n");
    }

    @Test
    void aFlippedByteAndAStrayFile() throws IOException {
        corruptSecondMessage();
        Files.writeString(backup.resolve("Stray.mbox"), "From a@b Sat Nov 21 10:00:00 2026\n\nx\n\n");
        assertThat(verify()).containsExactly("1",
                "FAILED: 2 problem(s) in 3 messages:\n"
                + "  Stray.mbox: mbox file without an index (the next backup of its folder rebuilds the index)\n"
                + "  Inbox.mbox at byte 189: SHA-256 66eaef1bfb552fed1a728222b24a6933536736134f23ede8433b441397d18f3e differs from the index (2f0c75bafad64b17600efd8b4cfab2d4b91a1da06ceaa47bfdfe3c38292aa4f8)\n",
                "{\"command\":\"verify\",\"startedAt\":\"T\",\"finishedAt\":\"T\",\"exitStatus\":1,\"dryRun\":false,\"messagesOnSource\":3,\"messagesCopied\":0,\"messagesSkipped\":0,\"duplicatesOnSource\":0,\"bytesCopied\":425,\"errors\":2,\"flagsUpdated\":0,\"messagesExpunged\":0"
                + ",\"totals\":{\"messagesOnSource\":3,\"messagesCopied\":0,\"messagesSkipped\":0,\"duplicatesOnSource\":0,\"bytesCopied\":425,\"errors\":2,\"flagsUpdated\":0,\"messagesExpunged\":0}"
                + ",\"folders\":[{\"name\":\"Inbox\",\"file\":\"Inbox.mbox\",\"messagesOnSource\":2,\"messagesCopied\":0,\"messagesSkipped\":0,\"duplicatesOnSource\":0,\"bytesCopied\":281,\"flagsUpdated\":0,\"messagesExpunged\":0,\"errors\":[{\"folder\":\"Inbox\",\"message\":\"Inbox.mbox at byte 189: SHA-256 66eaef1bfb552fed1a728222b24a6933536736134f23ede8433b441397d18f3e differs from the index (2f0c75bafad64b17600efd8b4cfab2d4b91a1da06ceaa47bfdfe3c38292aa4f8)\"}]},{\"name\":\"Sent\",\"file\":\"Sent.mbox\",\"messagesOnSource\":1,\"messagesCopied\":0,\"messagesSkipped\":0,\"duplicatesOnSource\":0,\"bytesCopied\":144,\"flagsUpdated\":0,\"messagesExpunged\":0,\"errors\":[]}]"
                + ",\"failures\":[{\"message\":\"Stray.mbox: mbox file without an index (the next backup of its folder rebuilds the index)\"},{\"folder\":\"Inbox\",\"message\":\"Inbox.mbox at byte 189: SHA-256 66eaef1bfb552fed1a728222b24a6933536736134f23ede8433b441397d18f3e differs from the index (2f0c75bafad64b17600efd8b4cfab2d4b91a1da06ceaa47bfdfe3c38292aa4f8)\"}]}\n");
    }

    @Test
    void oneFolder() throws IOException {
        corruptSecondMessage();
        assertThat(verify("--folder", "inbox")).containsExactly("1",
                "FAILED: 1 problem(s) in 2 messages:\n"
                + "  Inbox.mbox at byte 189: SHA-256 66eaef1bfb552fed1a728222b24a6933536736134f23ede8433b441397d18f3e differs from the index (2f0c75bafad64b17600efd8b4cfab2d4b91a1da06ceaa47bfdfe3c38292aa4f8)\n",
                "{\"command\":\"verify\",\"startedAt\":\"T\",\"finishedAt\":\"T\",\"exitStatus\":1,\"dryRun\":false,\"messagesOnSource\":2,\"messagesCopied\":0,\"messagesSkipped\":0,\"duplicatesOnSource\":0,\"bytesCopied\":281,\"errors\":1,\"flagsUpdated\":0,\"messagesExpunged\":0"
                + ",\"totals\":{\"messagesOnSource\":2,\"messagesCopied\":0,\"messagesSkipped\":0,\"duplicatesOnSource\":0,\"bytesCopied\":281,\"errors\":1,\"flagsUpdated\":0,\"messagesExpunged\":0}"
                + ",\"folders\":[{\"name\":\"Inbox\",\"file\":\"Inbox.mbox\",\"messagesOnSource\":2,\"messagesCopied\":0,\"messagesSkipped\":0,\"duplicatesOnSource\":0,\"bytesCopied\":281,\"flagsUpdated\":0,\"messagesExpunged\":0,\"errors\":[{\"folder\":\"Inbox\",\"message\":\"Inbox.mbox at byte 189: SHA-256 66eaef1bfb552fed1a728222b24a6933536736134f23ede8433b441397d18f3e differs from the index (2f0c75bafad64b17600efd8b4cfab2d4b91a1da06ceaa47bfdfe3c38292aa4f8)\"}]}]"
                + ",\"failures\":[{\"folder\":\"Inbox\",\"message\":\"Inbox.mbox at byte 189: SHA-256 66eaef1bfb552fed1a728222b24a6933536736134f23ede8433b441397d18f3e differs from the index (2f0c75bafad64b17600efd8b4cfab2d4b91a1da06ceaa47bfdfe3c38292aa4f8)\"}]}\n");
    }

    @Test
    void anExclusion() throws IOException {
        corruptSecondMessage();
        assertThat(verify("--exclude", "Sent")).containsExactly("1",
                "FAILED: 1 problem(s) in 2 messages:\n"
                + "  Inbox.mbox at byte 189: SHA-256 66eaef1bfb552fed1a728222b24a6933536736134f23ede8433b441397d18f3e differs from the index (2f0c75bafad64b17600efd8b4cfab2d4b91a1da06ceaa47bfdfe3c38292aa4f8)\n",
                "{\"command\":\"verify\",\"startedAt\":\"T\",\"finishedAt\":\"T\",\"exitStatus\":1,\"dryRun\":false,\"messagesOnSource\":2,\"messagesCopied\":0,\"messagesSkipped\":0,\"duplicatesOnSource\":0,\"bytesCopied\":281,\"errors\":1,\"flagsUpdated\":0,\"messagesExpunged\":0"
                + ",\"totals\":{\"messagesOnSource\":2,\"messagesCopied\":0,\"messagesSkipped\":0,\"duplicatesOnSource\":0,\"bytesCopied\":281,\"errors\":1,\"flagsUpdated\":0,\"messagesExpunged\":0}"
                + ",\"folders\":[{\"name\":\"Inbox\",\"file\":\"Inbox.mbox\",\"messagesOnSource\":2,\"messagesCopied\":0,\"messagesSkipped\":0,\"duplicatesOnSource\":0,\"bytesCopied\":281,\"flagsUpdated\":0,\"messagesExpunged\":0,\"errors\":[{\"folder\":\"Inbox\",\"message\":\"Inbox.mbox at byte 189: SHA-256 66eaef1bfb552fed1a728222b24a6933536736134f23ede8433b441397d18f3e differs from the index (2f0c75bafad64b17600efd8b4cfab2d4b91a1da06ceaa47bfdfe3c38292aa4f8)\"}]}]"
                + ",\"failures\":[{\"folder\":\"Inbox\",\"message\":\"Inbox.mbox at byte 189: SHA-256 66eaef1bfb552fed1a728222b24a6933536736134f23ede8433b441397d18f3e differs from the index (2f0c75bafad64b17600efd8b4cfab2d4b91a1da06ceaa47bfdfe3c38292aa4f8)\"}]}\n");
    }
}
