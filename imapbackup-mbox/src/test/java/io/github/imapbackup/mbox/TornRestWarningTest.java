package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static io.github.imapbackup.mbox.StoreFixtures.INBOX;
import static io.github.imapbackup.mbox.StoreFixtures.newMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.FolderArchive;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed just after a repair cut a torn rest from the mbox must still have named the file
 * it went to: the next open finds nothing left to repair and would never name it (found by the kill
 * harness's check that every {@code .torn-} file is named on stderr, KillBackupIT). The cut is made
 * to fail here (a channel open for reading only), standing in for a kill at that moment.
 */
@Timeout(60)
class TornRestWarningTest {

    @TempDir
    Path dir;

    @Test
    void theFileATornRestGoesToIsNamedBeforeTheMboxIsCut() throws Exception {
        byte[] ours = "Message-ID: <ours@x>\n\nours\n".getBytes(StandardCharsets.US_ASCII);
        try (FolderArchive a = MboxStore.builder(dir).build().open(INBOX, EXTRACTOR)) {
            a.append(newMessage(9, 1, ours), new ByteArrayInputStream(ours));
        }
        Path mbox = dir.resolve("INBOX.mbox");
        long committed = Files.size(mbox);
        Files.writeString(mbox, "From a@b Sat Nov 21 23:39:50 2026\nSubject: torn\n\npart of a bo",
                StandardOpenOption.APPEND);

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (FileChannel reading = FileChannel.open(mbox, StandardOpenOption.READ)) {
            assertThatThrownBy(() -> TailRepair.repair(reading, mbox, Codecs.NONE, Codecs.DEFAULT_MAX_EXPANSION,
                    new IndexRecord.Commit(committed, committed, 1, Instant.now()), EXTRACTOR))
                    .isInstanceOf(NonWritableChannelException.class);
        } finally {
            System.setErr(old);
        }

        List<Path> aside;
        try (Stream<Path> s = Files.list(dir)) {
            aside = s.filter(p -> p.getFileName().toString().startsWith("INBOX.mbox.torn-")).toList();
        }
        assertThat(aside).hasSize(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("WARN").contains(aside.get(0).toString())
                .contains("byte " + committed);
        assertThat(Files.size(mbox)).as("not cut: the next open sets the rest aside again").isGreaterThan(committed);
    }
}
