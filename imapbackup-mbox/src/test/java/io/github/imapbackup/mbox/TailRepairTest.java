package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static io.github.imapbackup.mbox.StoreFixtures.INBOX;
import static io.github.imapbackup.mbox.StoreFixtures.newMessage;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bytes after the last commit that another program wrote (or that an older index does not know):
 * complete messages are kept and indexed, never deleted; a torn rest is set aside into a named file.
 */
@Timeout(60)
class TailRepairTest {

    private static final byte[] OURS = "Message-ID: <ours@x>\n\nours\n".getBytes(ISO_8859_1);

    /** A foreign mbox as `cat` appends it: plain, Thunderbird and CRLF separators, quoted From lines. */
    private static final String FOREIGN = "From alice@example.org Sat Nov 21 23:39:50 2026\n"
            + "Message-ID: <f1@x>\nSubject: one\n\n>From here\nbody\n\n"
            + "From - Sun Nov 22 10:00:00 2026\n"
            + "Message-ID: <f2@x>\nX-Mozilla-Status: 0001\n\ntwo\n\n"
            + "From bob@example.org Mon Nov 23 10:00:00 2026\r\n"
            + "Message-ID: <f3@x>\r\n\r\nthree\r\n\r\n";
    private static final List<String> FOREIGN_CONTENT = List.of(
            "Message-ID: <f1@x>\nSubject: one\n\nFrom here\nbody\n",
            "Message-ID: <f2@x>\nX-Mozilla-Status: 0001\n\ntwo\n",
            "Message-ID: <f3@x>\r\n\r\nthree\r\n");

    @TempDir
    Path dir;

    private MboxStore store(CompressionCodec codec) {
        return MboxStore.builder(dir).codec(codec).build();
    }

    private void ourArchive(CompressionCodec codec) throws IOException {
        try (FolderArchive a = store(codec).open(INBOX, EXTRACTOR)) {
            a.append(newMessage(9, 1, OURS), new ByteArrayInputStream(OURS));
        }
    }

    private void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    private byte[] member(CompressionCodec codec, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = codec.compress(out)) {
            z.write(content);
        }
        return out.toByteArray();
    }

    private List<String> contents(FolderArchive a) throws IOException {
        List<String> out = new ArrayList<>();
        for (ArchivedMessage m : a.messages()) {
            try (InputStream in = a.openMessage(m)) {
                out.add(new String(in.readAllBytes(), ISO_8859_1));
            }
        }
        return out;
    }

    private List<Path> torn() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(".torn-")).sorted().toList();
        }
    }

    private void assertVerifies(CompressionCodec codec, int messages) throws IOException {
        byte[] later = "Message-ID: <later@x>\n\nlater".getBytes(ISO_8859_1);
        try (FolderArchive a = store(codec).open(INBOX, EXTRACTOR)) {
            a.append(newMessage(9, 7, later), new ByteArrayInputStream(later));
        }
        BackupVerifier.Result r = new BackupVerifier(dir).verify();
        assertThat(r.problems()).isEmpty();
        assertThat(r.messages()).isEqualTo(messages + 1);
    }

    /** Messages appended by other programs are kept and indexed; what is no message is set aside. */
    @Nested
    class ForeignTails {

        @ParameterizedTest
        @ValueSource(strings = {"none", "gzip", "bzip2", "xz", "zstd"})
        void aForeignMboxAppendedWithCatIsKeptAndIndexed(String codecName) throws IOException {
            CompressionCodec codec = Codecs.byName(codecName);
            assumeTrue(codec.isAvailable());
            ourArchive(codec);
            Path mbox = dir.resolve("INBOX.mbox" + codec.suffix());
            byte[] foreign = FOREIGN.getBytes(ISO_8859_1);
            append(mbox, codec.suffix().isEmpty() ? foreign : member(codec, foreign));
            try (FolderArchive a = store(codec).open(INBOX, EXTRACTOR)) {
                List<String> want = new ArrayList<>();
                want.add(new String(OURS, ISO_8859_1));
                want.addAll(FOREIGN_CONTENT);
                assertThat(contents(a)).isEqualTo(want);
                assertThat(a.messages().subList(1, 4)).allSatisfy(m -> assertThat(m.uid()).isZero());
                assertThat(a.messages().get(2).identity().value()).isEqualTo("mid:<f2@x>");
            }
            assertThat(torn()).isEmpty();
            assertVerifies(codec, 4);
        }

        @ParameterizedTest
        @ValueSource(strings = {"gzip", "zstd"})
        void aCompressedTailWithoutAFinalEmptyLineGetsOneAsANewMember(String codecName) throws IOException {
            CompressionCodec codec = Codecs.byName(codecName);
            assumeTrue(codec.isAvailable());
            ourArchive(codec);
            Path mbox = dir.resolve("INBOX.mbox" + codec.suffix());
            append(mbox, member(codec, "From a@b Sat Nov 21 23:39:50 2026\nMessage-ID: <g@x>\n\nlast line\n"
                    .getBytes(ISO_8859_1)));
            try (FolderArchive a = store(codec).open(INBOX, EXTRACTOR)) {
                assertThat(contents(a)).containsExactly(new String(OURS, ISO_8859_1),
                        "Message-ID: <g@x>\n\nlast line\n");
            }
            assertThat(torn()).isEmpty();
            assertVerifies(codec, 2);
        }

        @Test
        void theLastMessageWithoutAnEmptyLineAfterItIsSetAsideTheOthersAreKept() throws IOException {
            ourArchive(Codecs.NONE);
            Path mbox = dir.resolve("INBOX.mbox");
            String last = "From carol@example.org Tue Nov 24 10:00:00 2026\nMessage-ID: <f4@x>\n\nfour\n";
            append(mbox, (FOREIGN + last).getBytes(ISO_8859_1));
            try (FolderArchive a = store(Codecs.NONE).open(INBOX, EXTRACTOR)) {
                assertThat(a.messages()).hasSize(4);
            }
            assertThat(torn()).hasSize(1);
            assertThat(torn().get(0).getFileName().toString()).startsWith("INBOX.mbox.torn-")
                    .doesNotEndWith(".mbox");
            assertThat(Files.readString(torn().get(0), ISO_8859_1)).isEqualTo(last);
            assertVerifies(Codecs.NONE, 4);
        }

        @Test
        void bytesThatAreNoMboxAreSetAside() throws IOException {
            ourArchive(Codecs.NONE);
            Path mbox = dir.resolve("INBOX.mbox");
            append(mbox, "Subject: an .eml file appended without a From_ line\n\nbody\n\n".getBytes(ISO_8859_1));
            try (FolderArchive a = store(Codecs.NONE).open(INBOX, EXTRACTOR)) {
                assertThat(a.messages()).hasSize(1);
            }
            assertThat(torn()).hasSize(1);
            assertVerifies(Codecs.NONE, 1);
        }

        /**
         * End to end: a user appends with `cat` a message the server still has (and the backup does not
         * yet) and one the server no longer has; then an index is put back from an older copy. The
         * backup keeps both, copies nothing twice, and reads the server's bytes back.
         */
        @ParameterizedTest
        @ValueSource(strings = {"none", "gzip"})
        void theEngineAdoptsAppendedMessagesAndCopiesNothingTwice(String codecName) throws Exception {
            CompressionCodec codec = Codecs.byName(codecName);
            MemorySource source = new MemorySource();
            MemoryFolder inbox = source.folder("INBOX");
            inbox.add("Message-ID: <a@x>\r\n\r\nA\r\n".getBytes(ISO_8859_1), "\\Seen");
            inbox.add("Subject: no id\r\n\r\nB\r\n".getBytes(ISO_8859_1));
            MboxStore store = MboxStore.builder(dir).codec(codec).build();
            BackupSession session = BackupSession.builder().source(source).target(store).build();
            assertThat(session.run().totals().messagesCopied()).isEqualTo(2);

            byte[] c = "Message-ID: <c@x>\r\nSubject: c\r\n\r\nC\r\n".getBytes(ISO_8859_1);
            long uidC = inbox.add(c);
            String cat = "From someone@example.org Sat Nov 21 23:39:50 2026\n" + new String(c, ISO_8859_1) + "\n"
                    + "From gone@example.org Sat Nov 21 23:39:50 2026\nMessage-ID: <gone@x>\n\nonly here\n\n";
            Path mbox = dir.resolve("INBOX.mbox" + codec.suffix());
            append(mbox, codec.suffix().isEmpty() ? cat.getBytes(ISO_8859_1) : member(codec, cat.getBytes(ISO_8859_1)));
            BackupReport r = session.run();
            assertThat(r.allErrors()).isEmpty();
            assertThat(r.totals().messagesCopied()).isZero();
            assertThat(torn()).isEmpty();
            Path index = dir.resolve("INBOX.mbox.index");
            byte[] olderIndex = Files.readAllBytes(index);
            try (FolderArchive a = store.openReadOnly(INBOX).orElseThrow()) {
                assertThat(a.messages()).hasSize(4);
                ArchivedMessage adopted = a.messages().get(2);
                assertThat(adopted.uid()).isEqualTo(uidC);
                assertThat(a.messages().get(3).identity().value()).isEqualTo("mid:<gone@x>");
                try (InputStream in = a.openMessage(adopted)) {
                    assertThat(in.readAllBytes()).isEqualTo(c);
                }
            }

            // an index put back from an older copy: the mbox holds more than it says
            inbox.add("Message-ID: <d@x>\r\n\r\nD".getBytes(ISO_8859_1));
            assertThat(session.run().totals().messagesCopied()).isEqualTo(1);
            byte[] mboxBefore = Files.readAllBytes(mbox);
            Files.write(index, olderIndex);
            r = session.run();
            assertThat(r.allErrors()).isEmpty();
            assertThat(r.totals().messagesCopied()).isZero();
            assertThat(torn()).isEmpty();
            assertThat(Files.readAllBytes(mbox)).isEqualTo(mboxBefore);
            try (FolderArchive a = store.openReadOnly(INBOX).orElseThrow()) {
                assertThat(a.messages()).hasSize(5);
                for (ArchivedMessage m : a.messages()) {
                    if (m.uid() > 0) {
                        try (InputStream in = a.openMessage(m)) {
                            assertThat(in.readAllBytes()).isEqualTo(inbox.content(m.uid()));
                        }
                    }
                }
            }
            assertThat(new BackupVerifier(dir).verify().problems()).isEmpty();
        }
    }

    /** A torn write of ours is set aside whole, into a file that never overwrites another. */
    @Nested
    class TornWrites {

        @Test
        void aTornWriteOfOursIsSetAsideAndAnEarlierSetAsideFileIsNeverOverwritten() throws IOException {
            ourArchive(Codecs.NONE);
            Path mbox = dir.resolve("INBOX.mbox");
            byte[] committed = Files.readAllBytes(mbox);
            String tornWrite = "From MAILER-DAEMON Sat Nov 21 23:39:50 2026\nMessage-ID: <t@x>\n\npart of a bo";
            for (int i = 0; i < 3; i++) {
                append(mbox, tornWrite.getBytes(ISO_8859_1));
                try (FolderArchive a = store(Codecs.NONE).open(INBOX, EXTRACTOR)) {
                    assertThat(a.messages()).hasSize(1);
                }
                assertThat(Files.readAllBytes(mbox)).isEqualTo(committed);
                assertThat(torn()).hasSize(i + 1);
            }
            for (Path p : torn()) {
                assertThat(Files.readString(p, ISO_8859_1)).isEqualTo(tornWrite);
            }
        }

        @Test
        void aTruncatedCompressedMemberIsSetAsideWhole() throws IOException {
            CompressionCodec codec = Codecs.GZIP;
            ourArchive(codec);
            Path mbox = dir.resolve("INBOX.mbox.gz");
            byte[] committed = Files.readAllBytes(mbox);
            byte[] whole = member(codec, FOREIGN.getBytes(ISO_8859_1));
            byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 5);
            append(mbox, cut);
            try (FolderArchive a = store(codec).open(INBOX, EXTRACTOR)) {
                assertThat(a.messages()).hasSize(1);
            }
            assertThat(Files.readAllBytes(mbox)).isEqualTo(committed);
            assertThat(torn()).hasSize(1);
            assertThat(Files.readAllBytes(torn().get(0))).isEqualTo(cut);
        }

        @Test
        void aFolderWithALongNameGetsAShortSetAsideName() throws IOException {
            io.github.imapbackup.FolderInfo longName = new io.github.imapbackup.FolderInfo("x".repeat(300), "/",
                    java.util.Set.of(), true);
            MboxStore store = store(Codecs.GZIP);
            try (FolderArchive a = store.open(longName, EXTRACTOR)) {
                a.append(newMessage(9, 1, OURS), new ByteArrayInputStream(OURS));
            }
            Path mbox;
            try (var files = Files.list(dir)) {
                mbox = files.filter(p -> p.toString().endsWith(".mbox.gz")).findFirst().orElseThrow();
            }
            append(mbox, new byte[] {0x1f, (byte) 0x8b, 8});
            for (int i = 1; i <= 2; i++) {
                append(mbox, new byte[] {0x1f, (byte) 0x8b, 8});
                try (FolderArchive a = store.open(longName, EXTRACTOR)) {
                    assertThat(a.messages()).hasSize(1);
                }
                String base = mbox.getFileName().toString().replace(".mbox.gz", "");
                assertThat(torn()).hasSize(0);
                assertThat(Files.exists(dir.resolve(base + ".mbox.t" + i))).isTrue();
            }
            assertThat(TailRepair.tornName("INBOX.mbox.gz", "20261204T131500Z", 0))
                    .isEqualTo("INBOX.mbox.gz.torn-20261204T131500Z");
            assertThat(TailRepair.tornName("INBOX.mbox.gz", "20261204T131500Z", 2))
                    .isEqualTo("INBOX.mbox.gz.torn-20261204T131500Z-2");
        }
    }

    /** Verify says what the next backup will do with a tail. */
    @Nested
    class Verifying {

        @Test
        void verifySaysWhatTheNextBackupDoesWithTheTail() throws IOException {
            ourArchive(Codecs.NONE);
            Path mbox = dir.resolve("INBOX.mbox");
            byte[] torn = "From MAILER-DAEMON Sat Nov 21 23:39:50 2026\nMessage-ID: <t@x>\n\npart of a bo"
                    .getBytes(ISO_8859_1);
            append(mbox, FOREIGN.getBytes(ISO_8859_1));
            append(mbox, torn);
            List<VerifyReport.Problem> problems = new BackupVerifier(dir).verify().problems();
            assertThat(problems).hasSize(1);
            assertThat(problems.get(0).toString())
                    .contains((FOREIGN.length() + torn.length) + " bytes after the last commit: 3 complete messages"
                            + " (the next backup keeps and indexes them), then " + torn.length + " bytes that are no"
                            + " complete message (the next backup moves them to INBOX.mbox.torn-<time> beside the"
                            + " mbox and names that file)")
                    .doesNotContain("removes");
            try (FolderArchive a = store(Codecs.NONE).open(INBOX, EXTRACTOR)) {
                assertThat(a.messages()).hasSize(4);
            }
            assertThat(torn()).hasSize(1);
            assertThat(new BackupVerifier(dir).verify().problems()).isEmpty();
        }
    }
}
