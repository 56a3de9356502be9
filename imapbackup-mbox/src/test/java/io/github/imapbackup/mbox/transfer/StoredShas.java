package io.github.imapbackup.mbox.transfer;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.format.Expected;
import io.github.imapbackup.spi.FolderArchive;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SHA-256 of each message a folder of a store holds, read back through the store. */
final class StoredShas {

    private StoredShas() { }

    static List<String> of(MboxStore store, FolderInfo folder) throws IOException {
        List<String> out = new ArrayList<>();
        for (byte[] m : contents(store, folder)) {
            out.add(Expected.sha256(m));
        }
        return out;
    }

    /** The messages' bytes (small messages only: the fuzz tests'). */
    static List<byte[]> contents(MboxStore store, FolderInfo folder) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (BackupArchive a = store.read()) {
            if (a.folders().isEmpty()) {
                return out;
            }
        }
        Optional<FolderArchive> open = store.openReadOnly(folder);
        if (open.isEmpty()) {
            return out;
        }
        try (FolderArchive a = open.get()) {
            for (ArchivedMessage m : a.messages()) {
                try (InputStream in = a.openMessage(m)) {
                    out.add(in.readAllBytes());
                }
            }
        }
        return out;
    }
}
