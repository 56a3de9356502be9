package io.github.imapbackup.mbox;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A lost index stores nothing twice, whatever the shape of the message (docs/FORMAT-identity.md), and the next
 * run learns the server's exact bytes again.
 */
@Timeout(120)
class LostIndexTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static final FolderInfo INBOX = new FolderInfo("INBOX", "/", Set.of(), true);

    @TempDir
    Path dir;

    /** Every shape the writer handles, each with and without a Message-ID. */
    static List<byte[]> shapes(Random rnd) {
        List<String> bodies = List.of(
                "\r\n\r\nno final newline",
                "\r\n\r\nends in CRLF\r\n",
                "\n\nends in LF\n",
                "\r\n\r\nends in a lone CR\r",
                "\r\n\r\n",
                "\r\n",
                "",
                "\n\nFrom the start\n>From quoted\n>>From twice\nFrom ",
                "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\ncaf\u00e9 \u00fcber \u00ff\r\n\u00e9",
                "\n\n\n\n");
        List<byte[]> out = new ArrayList<>();
        int n = 0;
        for (String body : bodies) {
            for (boolean id : new boolean[] {true, false}) {
                n++;
                String header = (id ? "Message-ID: <shape" + n + "@x>\r\n" : "") + "Subject: shape " + n
                        + " " + rnd.nextInt(1000);
                out.add((header + body).getBytes(ISO_8859_1));
            }
        }
        for (int i = 0; i < 150; i++) {
            out.add(random(rnd, i));
        }
        return out;
    }

    private static byte[] random(Random rnd, int i) {
        String[] eols = {"\r\n", "\n", "\r"};
        String[] lines = {"From me", ">From you", "", "plain", "caf\u00e9", " folded", "\t"};
        StringBuilder sb = new StringBuilder();
        if (rnd.nextBoolean()) {
            sb.append("Message-ID: <r").append(i).append("@x>").append(eols[rnd.nextInt(2)]);
        }
        sb.append("Subject: random ").append(i).append(' ').append(rnd.nextLong());
        for (int k = rnd.nextInt(8); k > 0; k--) {
            sb.append(eols[rnd.nextInt(3)]).append(lines[rnd.nextInt(lines.length)]);
        }
        if (rnd.nextBoolean()) {
            sb.append(eols[rnd.nextInt(3)]);
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(sb.toString().getBytes(ISO_8859_1));
        if (rnd.nextInt(4) == 0) {
            b.write(0x80 + rnd.nextInt(0x80));
        }
        return b.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "bzip2", "xz", "zstd"})
    void aLostIndexCopiesNothingTwiceAndTheNextRunLearnsTheExactBytes(String codec) throws Exception {
        long seed = seeds.pick();
        String where = codec + ", seed " + seed + " (-Dimapbackup.seed)";
        MemorySource source = new MemorySource();
        MemoryFolder inbox = source.folder("INBOX");
        for (byte[] m : shapes(new Random(seed))) {
            inbox.add(m, "\\Seen");
        }
        MboxStore store = MboxStore.builder(dir).codec(codec).build();
        BackupSession session = BackupSession.builder().source(source).target(store).build();
        assertThat(session.run().totals().messagesCopied()).as(where).isEqualTo(inbox.size());
        Path mbox = dir.resolve("INBOX.mbox" + io.github.imapbackup.mbox.codec.Codecs.byName(codec).suffix());
        byte[] before = Files.readAllBytes(mbox);

        deleteIndexes();
        BackupReport r = session.run();
        assertThat(r.allErrors()).as(where).isEmpty();
        assertThat(r.totals().messagesCopied()).as(where).isZero();
        assertThat(Files.readAllBytes(mbox)).as(where).isEqualTo(before);
        try (FolderArchive a = store.openReadOnly(INBOX).orElseThrow()) {
            assertThat(a.messages()).as(where).hasSize(inbox.size());
            for (ArchivedMessage m : a.messages()) {
                assertThat(m.uid()).as(where).isPositive();
                try (InputStream in = a.openMessage(m)) {
                    assertThat(in.readAllBytes()).as(where + " UID " + m.uid()).isEqualTo(inbox.content(m.uid()));
                }
                assertThat(m.length()).as(where).isEqualTo(inbox.content(m.uid()).length);
            }
        }
        assertThat(new BackupVerifier(dir).verify().problems()).as(where).isEmpty();
        // and once more: nothing changes
        assertThat(session.run().totals().messagesCopied()).as(where).isZero();
        assertThat(Files.readAllBytes(mbox)).as(where).isEqualTo(before);
    }

    @Test
    void aCopyOfAMessageAdoptedAfterALostIndexCountsAsItsByteIdenticalTwin() throws Exception {
        MemorySource source = new MemorySource();
        MemoryFolder inbox = source.folder("INBOX");
        byte[] noFinalNewline = "Message-ID: <twin@x>\r\nSubject: twin\r\n\r\nno final newline".getBytes(ISO_8859_1);
        inbox.add(noFinalNewline, "\\Seen");
        MboxStore store = MboxStore.builder(dir).build();
        BackupSession session = BackupSession.builder().source(source).target(store).build();
        assertThat(session.run().totals().messagesCopied()).isEqualTo(1);

        deleteIndexes();
        inbox.add(noFinalNewline, "\\Seen"); // the server now holds it twice
        BackupReport r = session.run();

        assertThat(r.allErrors()).isEmpty();
        assertThat(r.totals().messagesCopied()).as("the second copy is the only new message").isEqualTo(1);
        assertThat(r.totals().duplicatesOnSource()).as("one extra byte-identical copy").isEqualTo(1);
    }

    private void deleteIndexes() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".index")).toList()) {
                Files.delete(p);
            }
        }
    }
}
