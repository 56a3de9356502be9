package io.github.imapbackup.examples.cli;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MailboxStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Checks every message of a store against the SHA-256 its index records. */
final class Verification {

    private Verification() { }

    static BackupReport verify(MailboxStore store, Predicate<String> folders, BackupListener listener, Instant started)
            throws BackupException {
        List<FolderReport> reports = new ArrayList<>();
        for (FolderInfo f : store.folders()) {
            if (!folders.test(f.name())) {
                continue;
            }
            String location = store.location(f);
            List<ReportError> errors = new ArrayList<>();
            long checked = 0;
            long bytes = 0;
            try {
                Optional<FolderArchive> ro = store.openReadOnly(f);
                if (ro.isEmpty()) {
                    errors.add(new ReportError(f.name(), -1, location + ": missing"));
                } else {
                    try (FolderArchive a = ro.get()) {
                        List<ArchivedMessage> messages = a.messages();
                        listener.folderStarted(f.name(), messages.size(), messages.size(),
                                messages.stream().mapToLong(ArchivedMessage::length).sum());
                        for (ArchivedMessage m : messages) {
                            checked++;
                            String problem = check(a, m);
                            bytes += m.length();
                            if (problem != null) {
                                errors.add(new ReportError(f.name(), m.uid() > 0 ? m.uid() : -1, location
                                        + ", UID " + m.uid() + ", message at byte " + m.offset() + ": " + problem));
                            } else {
                                listener.messageCopied(f.name(), m.uid(), m.length());
                            }
                        }
                    }
                }
            } catch (BackupException e) {
                errors.add(ReportError.of(f.name(), e));
            }
            FolderReport r = new FolderReport(f.name(), location, new Counters(checked, 0, 0, 0, bytes,
                    errors.size(), 0, 0), errors);
            listener.folderFinished(r);
            reports.add(r);
        }
        return new BackupReport("verify", started, Instant.now(), false, reports, List.of());
    }

    private static String check(FolderArchive a, ArchivedMessage m) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long length = 0;
        try (InputStream in = a.openMessage(m)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                sha.update(buf, 0, n);
                length += n;
            }
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        if (length != m.length()) {
            return "length " + length + " differs from the index's " + m.length();
        }
        return hex.equals(m.sha256()) ? null : "SHA-256 differs from the index";
    }
}
