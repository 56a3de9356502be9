package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static io.github.imapbackup.imap.Interop.ascii;
import static io.github.imapbackup.imap.Interop.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.spi.MailboxStore;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Byte fidelity against Dovecot: every stored message has exactly the bytes the server sends
 * (SHA-256), for the awkward cases (8-bit headers, From_ lines, no final newline, NUL, bare LF,
 * several MB), with flags, keywords and INTERNALDATE; and the server is left untouched.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotFidelityIT {

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().user(USER, PASSWORD).rawlog(true).build();

    static final String FOLDER = "Odd";
    static final Instant DATE = Instant.parse("2019-07-14T21:05:09Z");

    /** name → bytes appended; each case is appended to FOLDER in this order. */
    static final Map<String, byte[]> CASES = new LinkedHashMap<>();
    /** name → UID. */
    static final Map<String, Long> UIDS = new LinkedHashMap<>();
    /** UID → exactly what Dovecot sends for BODY.PEEK[]. */
    static final Map<Long, byte[]> SERVER = new TreeMap<>();
    static Map<Long, Set<String>> flagsBefore;

    static {
        CASES.put("crlf", ascii("From: Ann <ann@example.org>\r\nMessage-ID: <crlf@x>\r\nSubject: plain\r\n\r\n"
                + "Hello\r\nFrom here on\r\n>From there\r\n>>From further\r\n\r\nFrom \r\n"));
        CASES.put("8bit-headers", ("From: J\u00fcrgen <j@example.org>\r\nMessage-ID: <8bit@x>\r\n"
                + "Subject: Gr\u00fc\u00dfe \u2603 caf\u00e9\r\nX-Latin1: ").getBytes(StandardCharsets.UTF_8));
        CASES.put("8bit-headers", concat(CASES.get("8bit-headers"),
                new byte[] {(byte) 0xe9, (byte) 0xff, '\r', '\n', '\r', '\n'},
                "B\u00f6dy \u00e4\u00f6\u00fc\r\n".getBytes(StandardCharsets.UTF_8)));
        CASES.put("starts-with-from", ascii("From nobody Mon Jan  1 00:00:00 2001\r\nMessage-ID: <sf@x>\r\n"
                + "Subject: starts with From_\r\n\r\nbody\r\n"));
        CASES.put("no-final-newline", ascii("Message-ID: <nonl@x>\r\nSubject: no newline\r\n\r\nlast line"));
        CASES.put("ends-in-from", ascii("Message-ID: <eif@x>\r\n\r\nx\r\nFrom the end"));
        CASES.put("header-only", ascii("Message-ID: <ho@x>\r\nSubject: header only\r\n\r\n"));
        CASES.put("no-body-separator", ascii("Message-ID: <nbs@x>\r\nSubject: no empty line\r\n"));
        CASES.put("nul", ascii("Message-ID: <nul@x>\r\n\r\na\u0000b\r\n\u0000\r\n"));
        CASES.put("bare-lf", ascii("Message-ID: <lf@x>\nSubject: LF only\n\nFrom me\n>From you\n"));
        CASES.put("bare-cr", ascii("Message-ID: <cr@x>\r\n\r\nx\ry\r\n"));
        CASES.put("cr-cr-lf", ascii("Message-ID: <crcrlf@x>\r\n\r\nx\r\r\ny\r\n"));
        CASES.put("long-line", ascii("Message-ID: <long@x>\r\n\r\n" + "y".repeat(20_000) + "\r\n"));
        CASES.put("no-message-id", ascii("From: Nobody <n@example.org>\r\nSubject: anonymous\r\n\r\nno id\r\n"));
        CASES.put("duplicate-a", ascii("Message-ID: <dup@x>\r\n\r\nsame id, first body\r\n"));
        CASES.put("duplicate-b", ascii("Message-ID: <dup@x>\r\n\r\nsame id, other body\r\n"));
        CASES.put("big", Interop.big("<big@x>", 3 << 20));
    }

    /** Cases where Dovecot sends back exactly what was appended (it normalises line ends and NUL otherwise). */
    static final Set<String> KEPT_AS_IS = Set.of("crlf", "8bit-headers", "starts-with-from", "no-final-newline",
            "ends-in-from", "header-only", "no-body-separator", "bare-cr", "long-line", "no-message-id",
            "duplicate-a", "duplicate-b", "big");

    @BeforeAll
    static void load() throws Exception {
        try (ImapTestClient c = DOVECOT.login(USER)) {
            c.createFolder(FOLDER);
            int i = 0;
            for (Map.Entry<String, byte[]> e : CASES.entrySet()) {
                Set<String> flags = switch (i++ % 4) {
                    case 0 -> Set.of("\\Seen");
                    case 1 -> Set.of("\\Flagged", "$Label1", "Work");
                    case 2 -> Set.of("\\Answered", "\\Seen", "\\Draft");
                    default -> Set.of();
                };
                UIDS.put(e.getKey(), c.append(FOLDER, e.getValue(), flags, DATE.plusSeconds(i)));
            }
            for (long uid : UIDS.values()) {
                SERVER.put(uid, c.fetchBody(FOLDER, uid));
            }
            flagsBefore = c.flags(FOLDER);
        }
    }

    @Test
    void dovecotSendsBackWhatWasAppendedForCleanInput() {
        for (String name : KEPT_AS_IS) {
            assertThat(SERVER.get(UIDS.get(name))).as(name).isEqualTo(CASES.get(name));
        }
        // what Dovecot changes: bare LF becomes CRLF, NUL becomes 0x80, CR CR LF becomes CR LF
        assertThat(new String(SERVER.get(UIDS.get("bare-lf")), StandardCharsets.ISO_8859_1))
                .contains("\r\nFrom me\r\n");
        assertThat(SERVER.get(UIDS.get("nul"))).doesNotContain(0);
        assertThat(SERVER.get(UIDS.get("cr-cr-lf"))).isEqualTo(ascii("Message-ID: <crcrlf@x>\r\n\r\nx\r\ny\r\n"));
    }

    @Test
    void sourceStreamsExactlyTheBytesDovecotSends() throws Exception {
        try (SourceConnection c = Interop.source(DOVECOT).build().connect();
                SourceFolder f = c.open(folder(c))) {
            for (Map.Entry<Long, byte[]> e : SERVER.entrySet()) {
                try (InputStream in = f.openMessage(e.getKey())) {
                    assertThat(sha256(in)).as("UID %d", e.getKey()).isEqualTo(sha256(e.getValue()));
                }
            }
        }
    }

    @Test
    void batchFetchStreamsExactlyTheBytesDovecotSendsWithABigMessageInTheMiddle(@TempDir Path dir)
            throws Exception {
        // a 4 KiB fetch size: the 20,000-byte line sits between small ones and goes in chunks
        Map<Long, String> got = new LinkedHashMap<>();
        DOVECOT.clearClientCommands(USER);
        try (SourceConnection c = Interop.source(DOVECOT).fetchSize(4096).build().connect();
                SourceFolder f = c.open(folder(c))) {
            f.fetchMessages(f.messages(1), new io.github.imapbackup.spi.MessageSink() {
                @Override
                public void message(long uid, InputStream content) throws io.github.imapbackup.BackupException {
                    try {
                        got.put(uid, sha256(content));
                    } catch (java.io.IOException e) {
                        throw new io.github.imapbackup.BackupException("read failed", e);
                    }
                }

                @Override
                public void failed(long uid, io.github.imapbackup.BackupException failure) {
                    throw new AssertionError("UID " + uid + " failed", failure);
                }
            });
        }
        Map<Long, String> expected = new LinkedHashMap<>();
        SERVER.forEach((uid, bytes) -> expected.put(uid, sha256(bytes)));
        assertThat(got).containsExactlyEntriesOf(expected);
        long longLine = UIDS.get("long-line");
        List<String> bodies = DOVECOT.clientCommands(USER).stream()
                .filter(c -> c.contains("BODY.PEEK[]")).toList();
        assertThat(bodies).filteredOn(c -> !c.contains("<")).hasSizeGreaterThanOrEqualTo(2)
                .allMatch(c -> c.matches("(?i).*UID FETCH [0-9:,]+ \\(UID BODY\\.PEEK\\[]\\).*"));
        assertThat(bodies).filteredOn(c -> c.contains("<"))
                .allMatch(c -> c.contains("UID FETCH " + longLine + " ") || c.contains("UID FETCH "
                        + UIDS.get("big") + " "));

        // the same through the engine into an mbox store
        BackupReport report = Interop.backup(Interop.source(DOVECOT).fetchSize(4096).build(), dir);
        assertThat(report.allErrors()).isEmpty();
        assertThat(Interop.archivedHashes(dir, FOLDER, "/")).isEqualTo(new TreeMap<>(expected));
        assertThat(Interop.verify(dir)).isEmpty();
    }

    @Test
    void sourceReportsFlagsKeywordsDateAndSize() throws Exception {
        try (SourceConnection c = Interop.source(DOVECOT).build().connect();
                SourceFolder f = c.open(folder(c))) {
            List<MessageInfo> infos = f.messages(1);
            assertThat(infos).extracting(MessageInfo::uid).containsExactlyElementsOf(SERVER.keySet());
            for (MessageInfo m : infos) {
                assertThat(m.size()).as("size of %d", m.uid()).isEqualTo(SERVER.get(m.uid()).length);
                assertThat(m.flags()).as("flags of %d", m.uid())
                        .containsExactlyInAnyOrderElementsOf(flagsBefore.get(m.uid()));
                assertThat(m.internalDate()).isBetween(DATE, DATE.plusSeconds(CASES.size() + 1));
            }
            MessageInfo withKeywords = infos.get(1);
            assertThat(withKeywords.flags()).contains("$Label1", "Work", "\\Flagged");
        }
    }

    @Test
    void backupStoresEveryMessageByteForByteAndChangesNothing(@TempDir Path dir) throws Exception {
        DOVECOT.clearClientCommands(USER);
        BackupReport report = Interop.backup(Interop.source(DOVECOT).build(), dir);
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.hasFailures()).isFalse();
        assertThat(report.totals().messagesCopied()).isEqualTo(CASES.size());

        Map<Long, String> stored = Interop.archivedHashes(dir, FOLDER, "/");
        Map<Long, String> expected = new TreeMap<>();
        SERVER.forEach((uid, bytes) -> expected.put(uid, sha256(bytes)));
        assertThat(stored).isEqualTo(expected);

        List<ArchivedMessage> archived = Interop.archived(dir, FOLDER, "/");
        for (ArchivedMessage m : archived) {
            assertThat(m.flags()).as("flags of %d", m.uid())
                    .containsExactlyInAnyOrderElementsOf(flagsBefore.get(m.uid()));
            assertThat(m.size()).isEqualTo(SERVER.get(m.uid()).length);
        }
        assertThat(Interop.verify(dir)).isEmpty();

        // read-only: no command that writes, every body fetch a PEEK, flags (\Seen included) unchanged
        List<String> commands = DOVECOT.clientCommands(USER);
        assertThat(commands).isNotEmpty().noneMatch(c -> c.matches("(?i)(UID )?(STORE|SELECT|APPEND|EXPUNGE|COPY|MOVE"
                + "|CREATE|DELETE|RENAME|SUBSCRIBE|UNSUBSCRIBE|SETMETADATA)\\b.*"));
        assertThat(commands).filteredOn(c -> c.toUpperCase(java.util.Locale.ROOT).contains("BODY[")
                || c.matches("(?i).*\\bRFC822(\\.TEXT)?(?![.\\w]).*")).isEmpty();
        assertThat(commands).anyMatch(c -> c.contains("BODY.PEEK[]"));
        try (ImapTestClient c = DOVECOT.login(USER)) {
            assertThat(c.flags(FOLDER)).isEqualTo(flagsBefore);
        }
        assertThat(DOVECOT.doveadm("fetch", "-u", USER, "flags", "mailbox", FOLDER, "unseen"))
                .doesNotContain("\\Seen");
    }

    @Test
    void fromLineCarriesInternalDateAndMboxIsMboxrd(@TempDir Path dir) throws Exception {
        BackupReport report = Interop.backup(Interop.source(DOVECOT).build(), dir);
        assertThat(report.hasFailures()).isFalse();
        Path mbox = dir.resolve(FOLDER + ".mbox");
        assertThat(mbox).isRegularFile();
        String text = new String(Files.readAllBytes(mbox), StandardCharsets.ISO_8859_1);
        // INTERNALDATE of the first message is DATE + 1 s: Sun Jul 14 21:05:10 2019 (UTC, asctime)
        assertThat(text).startsWith("From ann@example.org Sun Jul 14 21:05:10 2019\n");
        assertThat(text).contains("\n>From here on\r\n>>From there\r\n>>>From further\r\n");
        assertThat(text).contains("\n>From nobody Mon Jan  1 00:00:00 2001\r\n");
        assertThat(text).doesNotContain("\nFrom the end");
        long separators = text.lines().filter(l -> l.startsWith("From ")).count();
        assertThat(separators).isEqualTo(CASES.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "bzip2"})
    void compressedBackupIsTheSameMboxForTheStandardTool(String codec, @TempDir Path dir) throws Exception {
        Path plain = dir.resolve("plain");
        Path packed = dir.resolve("packed");
        assertThat(Interop.backup(Interop.source(DOVECOT).build(), plain, FOLDER).hasFailures()).isFalse();
        MailboxStore store = MboxStore.builder(packed).codec(codec).build();
        for (int run = 0; run < 2; run++) { // the second run appends nothing, but opens and commits again
            BackupReport report = BackupSession.builder().source(Interop.source(DOVECOT).build()).target(store)
                    .folders(FOLDER).build().run();
            assertThat(report.hasFailures()).isFalse();
        }
        String suffix = codec.equals("gzip") ? ".gz" : ".bz2";
        Path file = packed.resolve(FOLDER + ".mbox" + suffix);
        assertThat(file).isRegularFile();
        Process p = new ProcessBuilder(codec, "-dc", file.toString()).redirectErrorStream(false).start();
        byte[] unpacked = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        assertThat(unpacked).isEqualTo(Files.readAllBytes(plain.resolve(FOLDER + ".mbox")));

        Map<Long, String> expected = new TreeMap<>();
        SERVER.forEach((uid, bytes) -> expected.put(uid, sha256(bytes)));
        assertThat(Interop.archivedHashes(store, FOLDER, "/")).isEqualTo(expected);
    }

    @Test
    void secondRunCopiesNothing(@TempDir Path dir) throws Exception {
        assertThat(Interop.backup(Interop.source(DOVECOT).build(), dir).totals().messagesCopied())
                .isEqualTo(CASES.size());
        BackupReport second = Interop.backup(Interop.source(DOVECOT).build(), dir);
        assertThat(second.hasFailures()).isFalse();
        assertThat(second.totals().messagesCopied()).isZero();
        assertThat(second.totals().messagesOnSource()).isEqualTo(CASES.size());
        assertThat(Interop.archived(dir, FOLDER, "/")).hasSize(CASES.size());
    }

    private static FolderInfo folder(SourceConnection c) throws Exception {
        return c.folders().stream().filter(f -> f.name().equals(FOLDER)).findFirst().orElseThrow();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, pos, p.length);
            pos += p.length;
        }
        return all;
    }
}
