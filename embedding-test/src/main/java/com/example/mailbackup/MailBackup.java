package com.example.mailbackup;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.imap.Security;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.StoredMessage;
import io.github.imapbackup.mbox.VerifyReport;
import io.github.imapbackup.mbox.transfer.MboxImporter;
import io.github.imapbackup.spi.MessageSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an application that embeds imapbackup writes: it backs up an IMAP account into a
 * gzip-compressed backup directory, reads the backup back, verifies it and imports mbox files into
 * it, through the published API only.
 */
public final class MailBackup {

    private final MboxStore store;

    /**
     * Opens (lazily) a backup directory whose new files are gzip-compressed.
     *
     * @param dir the backup directory
     */
    public MailBackup(Path dir) {
        this.store = MboxStore.builder(dir).codec("gzip").build();
    }

    /**
     * An account on a plain-IMAP server (the tests' server on loopback; real code keeps the
     * default, TLS).
     *
     * @param host the server
     * @param port its port
     * @param user the login name
     * @param password the password
     * @return the account
     */
    public static MessageSource account(String host, int port, String user, String password) {
        return ImapSource.builder()
                .host(host)
                .port(port)
                .security(Security.NONE)
                .user(user)
                .password(password::toCharArray)
                .build();
    }

    /**
     * A backup session of an account into this directory.
     *
     * @param account the account
     * @param listener the listener
     * @return the session, to {@code plan()}, {@code run()} or {@code cancel()}
     */
    public BackupSession session(MessageSource account, BackupListener listener) {
        return BackupSession.builder()
                .source(account)
                .target(store)
                .listener(listener)
                .build();
    }

    /**
     * Reads every message of the backup back, streaming.
     *
     * @return folder name to the SHA-256 (hex) of each message's bytes, in the order stored
     * @throws IOException if the backup cannot be read
     */
    public Map<String, List<String>> readBack() throws IOException {
        Map<String, List<String>> folders = new TreeMap<>();
        try (BackupArchive archive = store.read()) {
            for (FolderInfo folder : archive.folders()) {
                List<String> digests = new ArrayList<>();
                for (StoredMessage message : archive.messages(folder).toList()) {
                    try (InputStream in = archive.open(message)) {
                        digests.add(sha256(in));
                    }
                }
                folders.put(folder.name(), digests);
            }
        }
        return folders;
    }

    /**
     * Re-reads the whole backup and checks every message against its index.
     *
     * @return what was checked and the problems found
     * @throws BackupException if the directory cannot be read
     */
    public VerifyReport verify() throws BackupException {
        try (BackupArchive archive = store.read()) {
            return archive.verify();
        }
    }

    /**
     * Imports an mbox file written by another program into a folder of the backup, without
     * storing a message twice.
     *
     * @param mbox the file
     * @param folder the folder
     * @return the report
     * @throws BackupException if the store fails as a whole
     */
    public BackupReport importMbox(Path mbox, String folder) throws BackupException {
        return MboxImporter.builder(store).build().importFiles(List.of(mbox), folder);
    }

    /**
     * The SHA-256 of a stream's bytes.
     *
     * @param in the stream, read to its end
     * @return the digest, hex
     * @throws IOException if the stream cannot be read
     */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
