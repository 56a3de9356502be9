package io.github.imapbackup.mbox;

import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.format.MboxEntry;
import io.github.imapbackup.mbox.format.MboxReader;
import io.github.imapbackup.mbox.transfer.MboxImporter;
import io.github.imapbackup.testing.OriginalScript;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index-less directory the original imapbackup.py wrote is adopted without storing its messages
 * twice, although the script did not store the server's bytes: it removed every CR and the white
 * space at both ends of each message, wrote it unquoted after {@code From nobody <time>}, followed by
 * an empty line, and put a {@code Message-Id: <19AF1258-…>} line before a message without one.
 */
@Timeout(120)
class OriginalScriptAdoptionTest {

    private static final String SCRIPT_UUID = "19AF1258-1AAF-44EF-9D9A-731079D6FAD7";
    private static final FolderInfo SENT = new FolderInfo("INBOX.Sent", ".", Set.of(), true);

    @TempDir
    Path dir;

    private MemorySource source;
    private MemoryFolder sent;
    private final List<String> messages = new ArrayList<>();

    @BeforeEach
    void server() {
        source = new MemorySource();
        source.folder("INBOX").delimiter(".");
        sent = source.folder("INBOX.Sent");
        sent.delimiter(".");
        messages.add("Message-ID: <a@x>\r\nSubject: plain\r\n\r\nbody a\r\n");
        messages.add("Message-ID: <b@x>\r\nSubject: white space at the end\r\n\r\nbody b\r\n\r\n \t\r\n");
        messages.add("Message-ID: <c@x>\r\nSubject: quoting\r\n\r\nline\r\nFrom the start\r\n>From quoted\r\n"
                + ">>From twice\r\nend\r\n");
        messages.add("From: d@x\r\nTo: e@x\r\nSubject: no Message-ID\r\nDate: Sat, 21 Nov 2026 23:39:50 +0000\r\n"
                + "\r\nbody d\r\n");
        messages.add("Message-ID: <twice@x>\r\nSubject: held twice\r\n\r\ntwice\r\n");
        messages.add("Message-ID: <twice@x>\r\nSubject: held twice\r\n\r\ntwice\r\n");
        messages.add("Message-ID: <e@x>\r\nSubject: no final line end\r\n\r\ntext");
        messages.add("Message-ID: <f@x>\nSubject: LF only\n\nlf only\n");
        messages.add("Message-ID: <g@x>\r\nSubject: a lone CR\r\n\r\na\rb\r\n");
        for (String m : messages) {
            sent.add(m.getBytes(ISO_8859_1), "\\Seen");
        }
    }

    /** What imapbackup.py writes for one message (see download_messages in the script). */
    private static String scriptMessage(String serverBytes, boolean oldDateFormat) throws Exception {
        StringBuilder sb = new StringBuilder("From nobody ")
                .append(oldDateFormat ? "Fri 12 04 13:47:33 2026" : "Fri Dec  4 13:47:33 2026").append('\n');
        if (!serverBytes.toLowerCase(java.util.Locale.ROOT).contains("message-id:")) {
            // scan_folder: SHA-1 of the FROM TO CC DATE SUBJECT fields, stripped, CRLF as TAB
            StringBuilder fields = new StringBuilder();
            for (String line : serverBytes.split("\r\n\r\n", 2)[0].split("\r\n")) {
                if (line.matches("(?i)(from|to|cc|date|subject):.*")) {
                    fields.append(line).append("\r\n");
                }
            }
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest(fields.toString().strip().replace("\r\n", "\t").getBytes(ISO_8859_1));
            sb.append("Message-Id: <").append(SCRIPT_UUID).append('.').append(HexFormat.of().formatHex(sha1))
                    .append(">\n");
        }
        return sb.append(OriginalScript.strip(serverBytes.replace("\r", ""))).append("\n\n").toString();
    }

    private Path writeScriptFile() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            sb.append(scriptMessage(messages.get(i), i == 1));
        }
        Path file = dir.resolve("INBOX.Sent.mbox");
        Files.writeString(file, sb.toString(), ISO_8859_1);
        return file;
    }

    private BackupReport backup() throws Exception {
        return BackupSession.builder().source(source).target(MboxStore.builder(dir).build()).build().run();
    }

    @Test
    void theScriptsFilesAreAdoptedAndNothingIsStoredTwice() throws Exception {
        Path mbox = writeScriptFile();
        byte[] before = Files.readAllBytes(mbox);

        BackupReport first = backup();
        assertThat(first.allErrors()).isEmpty();
        assertThat(first.totals().messagesCopied()).isZero();
        assertThat(Files.readAllBytes(mbox)).isEqualTo(before);
        assertThat(new BackupVerifier(dir).verify().problems()).isEmpty();
        assertAdoptedAsStored(mbox);

        BackupReport second = backup();
        assertThat(second.allErrors()).isEmpty();
        assertThat(second.totals().messagesCopied()).isZero();
        assertThat(Files.readAllBytes(mbox)).isEqualTo(before);

        // a new UIDVALIDITY: matched by identity and the RFC822.SIZE the adoption recorded
        sent.uidValidity(sent.uidValidity() + 1);
        BackupReport third = backup();
        assertThat(third.allErrors()).isEmpty();
        assertThat(third.totals().messagesCopied()).isZero();
        assertThat(Files.readAllBytes(mbox)).isEqualTo(before);

        // and once more from the mbox alone
        deleteIndexes();
        BackupReport fourth = backup();
        assertThat(fourth.allErrors()).isEmpty();
        assertThat(fourth.totals().messagesCopied()).isZero();
        assertThat(Files.readAllBytes(mbox)).isEqualTo(before);
        assertThat(new BackupVerifier(dir).verify().problems()).isEmpty();
    }

    /** Every entry answers for a UID now and reads back as the script stored it. */
    private void assertAdoptedAsStored(Path mbox) throws Exception {
        List<byte[]> stored = new ArrayList<>();
        try (MboxReader reader = MboxReader.open(mbox, Dialect.MBOXRD)) {
            for (MboxEntry e = reader.next(); e != null; e = reader.next()) {
                try (InputStream in = e.content()) {
                    stored.add(in.readAllBytes());
                }
            }
        }
        try (FolderArchive a = MboxStore.builder(dir).build().openReadOnly(SENT).orElseThrow()) {
            assertThat(a.messages()).hasSize(messages.size());
            Set<Long> uids = new java.util.HashSet<>();
            for (int i = 0; i < messages.size(); i++) {
                ArchivedMessage m = a.messages().get(i);
                assertThat(m.uid()).isPositive();
                uids.add(m.uid());
                try (InputStream in = a.openMessage(m)) {
                    assertThat(in.readAllBytes()).isEqualTo(stored.get(i));
                }
                assertThat(m.flags()).containsExactly("\\Seen");
            }
            assertThat(uids).hasSize(messages.size());
        }
    }

    @Test
    void aServerMessageWithAStoredMessageIdButOtherTextIsCopied() throws Exception {
        Path mbox = writeScriptFile();
        byte[] before = Files.readAllBytes(mbox);
        sent.add("Message-ID: <a@x>\r\nSubject: plain\r\n\r\nbody a, edited\r\n".getBytes(ISO_8859_1));
        sent.add("Message-ID: <twice@x>\r\nSubject: held twice\r\n\r\ntwice\r\n".getBytes(ISO_8859_1));
        sent.add("From: d@x\r\nTo: e@x\r\nSubject: no Message-ID\r\nDate: Sat, 21 Nov 2026 23:39:50 +0000\r\n"
                .concat("\r\nbody d\r\n").getBytes(ISO_8859_1));

        BackupReport first = backup();
        assertThat(first.allErrors()).isEmpty();
        // the edited one is distinct; the third copy of a message held twice in the file, and the
        // second copy of the one without Message-ID, are copies the file does not hold
        assertThat(first.totals().messagesCopied()).isEqualTo(3);
        byte[] after = Files.readAllBytes(mbox);
        assertThat(new String(after, 0, before.length, ISO_8859_1)).isEqualTo(new String(before, ISO_8859_1));
        assertThat(new String(after, ISO_8859_1)).contains("body a, edited\r\n");
        assertThat(new BackupVerifier(dir).verify().problems()).isEmpty();
        assertThat(backup().totals().messagesCopied()).isZero();
    }

    @Test
    void aMessageTheFileHoldsOnceIsCopiedForTheSecondCopyOnTheServer() throws Exception {
        // the script kept one copy per Message-ID; the backup mirrors the server's two
        messages.remove(5);
        writeScriptFile();
        BackupReport r = backup();
        assertThat(r.allErrors()).isEmpty();
        assertThat(r.totals().messagesCopied()).isEqualTo(1);
        assertThat(backup().totals().messagesCopied()).isZero();
    }

    @Test
    void aGzippedFileOfTheScriptIsAdoptedToo() throws Exception {
        // imapbackup.py -z appended one gzip member per run to INBOX.Sent.mbox.gz
        Path plain = writeScriptFile();
        String all = Files.readString(plain, ISO_8859_1);
        int cut = all.indexOf("From nobody", all.length() / 2);
        Path gz = dir.resolve("INBOX.Sent.mbox.gz");
        try (java.io.OutputStream out = Files.newOutputStream(gz)) {
            for (String part : List.of(all.substring(0, cut), all.substring(cut))) {
                java.util.zip.GZIPOutputStream member = new java.util.zip.GZIPOutputStream(out) {
                    @Override
                    public void close() throws java.io.IOException {
                        finish();
                    }
                };
                member.write(part.getBytes(ISO_8859_1));
                member.close();
            }
        }
        Files.delete(plain);
        byte[] before = Files.readAllBytes(gz);
        BackupReport first = backup();
        assertThat(first.allErrors()).isEmpty();
        assertThat(first.totals().messagesCopied()).isZero();
        assertThat(Files.readAllBytes(gz)).isEqualTo(before);
        assertThat(new BackupVerifier(dir).verify().problems()).isEmpty();
        assertThat(backup().totals().messagesCopied()).isZero();
    }

    @Test
    void theScriptsFileImportedFirstIsNotStoredTwiceByTheNextBackup() throws Exception {
        Path script = writeScriptFile();
        Path backup = dir.resolve("imported");
        MemorySource other = new MemorySource();
        MemoryFolder archive = other.folder("Archive");
        for (String m : messages) {
            archive.add(m.getBytes(ISO_8859_1), "\\Seen");
        }
        MboxStore store = MboxStore.builder(backup).build();
        BackupReport imported = MboxImporter.builder(store).build().importFiles(List.of(script), "Archive");
        assertThat(imported.allErrors()).isEmpty();
        assertThat(imported.totals().messagesCopied()).isEqualTo(messages.size());
        BackupSession session = BackupSession.builder().source(other).target(store).build();
        BackupReport r = session.run();
        assertThat(r.allErrors()).isEmpty();
        assertThat(r.totals().messagesCopied()).isZero();
        assertThat(new BackupVerifier(backup).verify().problems()).isEmpty();
        assertThat(Files.readString(backup.resolve("Archive.mbox.index"))).contains(" c ");
        assertThat(session.run().totals().messagesCopied()).isZero();
    }

    private void deleteIndexes() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".index")).toList()) {
                Files.delete(p);
            }
        }
    }
}
