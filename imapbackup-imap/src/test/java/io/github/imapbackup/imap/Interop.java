package io.github.imapbackup.imap;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.VerifyReport;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MailboxStore;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.FakeImapServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Shared helpers of the interoperability tests (Dovecot and the fake server). */
final class Interop {

    static final String USER = "alice";
    static final String PASSWORD = "Dove-s3cret";

    private Interop() { }

    /** A plain-IMAP source for a Dovecot user. */
    static ImapSource.Builder source(Dovecot dovecot) {
        return ImapSource.builder()
                .host(dovecot.host())
                .port(dovecot.port())
                .security(Security.NONE)
                .user(USER)
                .password(PASSWORD::toCharArray)
                .timeout(Duration.ofSeconds(20));
    }

    /** A plain-IMAP source for the fake server. */
    static ImapSource.Builder source(FakeImapServer server, Duration timeout) {
        return ImapSource.builder()
                .host(server.host())
                .port(server.port())
                .security(Security.NONE)
                .user(USER)
                .password(PASSWORD::toCharArray)
                .timeout(timeout);
    }

    /** Runs one backup into an uncompressed nested store. */
    static BackupReport backup(MessageSource source, Path dir, String... folders) throws BackupException {
        return BackupSession.builder().source(source).target(store(dir)).folders(folders).reconnectAttempts(2)
                .build().run();
    }

    static MailboxStore store(Path dir) {
        return MboxStore.builder(dir).codec("none").build();
    }

    /** Verifies a backup directory through its read-only view; returns the problems found. */
    static List<VerifyReport.Problem> verify(Path dir) throws BackupException {
        try (BackupArchive archive = MboxStore.builder(dir).build().read()) {
            return archive.verify().problems();
        }
    }

    /** Returns the SHA-256 (lowercase hex) of the bytes of every archived message of a folder, by UID. */
    static Map<Long, String> archivedHashes(Path dir, String folder, String delimiter) throws IOException {
        return archivedHashes(store(dir), folder, delimiter);
    }

    /** As {@link #archivedHashes(Path, String, String)}, for any store. */
    static Map<Long, String> archivedHashes(MailboxStore store, String folder, String delimiter) throws IOException {
        Map<Long, String> result = new LinkedHashMap<>();
        Optional<FolderArchive> archive = store.openReadOnly(new FolderInfo(folder, delimiter, Set.of(), true));
        if (archive.isEmpty()) {
            return result;
        }
        try (FolderArchive a = archive.get()) {
            for (ArchivedMessage m : a.messages()) {
                try (InputStream in = a.openMessage(m)) {
                    String sha = sha256(in);
                    if (!sha.equals(m.sha256())) {
                        throw new AssertionError("index SHA-256 differs from the stored bytes of UID " + m.uid());
                    }
                    if (result.put(m.uid(), sha) != null) {
                        throw new AssertionError("UID " + m.uid() + " stored twice in " + folder);
                    }
                }
            }
        }
        return result;
    }

    /** Returns the archive entries of a folder (empty when none). */
    static List<ArchivedMessage> archived(Path dir, String folder, String delimiter) throws IOException {
        Optional<FolderArchive> archive = store(dir).openReadOnly(new FolderInfo(folder, delimiter, Set.of(), true));
        if (archive.isEmpty()) {
            return List.of();
        }
        try (FolderArchive a = archive.get()) {
            return a.messages();
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest d = digest();
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) >= 0; ) {
            d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Returns a message of about {@code size} bytes with CRLF lines. */
    static byte[] big(String messageId, int size) {
        StringBuilder sb = new StringBuilder(size + 200);
        sb.append("From: Big <big@example.org>\r\nMessage-ID: ").append(messageId)
                .append("\r\nSubject: big\r\n\r\n");
        int line = 0;
        while (sb.length() < size) {
            sb.append(line % 97 == 0 ? "From the middle of a big message " : "line ")
                    .append(line++).append(" abcdefghijklmnopqrstuvwxyz0123456789\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
