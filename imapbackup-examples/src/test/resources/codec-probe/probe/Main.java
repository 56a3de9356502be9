package probe;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;

/**
 * Backs up two messages in two runs into a store with the codec named by args[1] in the directory
 * args[0], reads them back and verifies; prints one line "OK ..." (exit 0), or "REFUSED <message>"
 * when the store cannot be built (exit 2).
 */
public final class Main {

    public static void main(String[] args) throws Exception {
        System.out.println("named module: " + MboxStore.class.getModule().isNamed());
        MboxStore store;
        try {
            store = MboxStore.builder(Path.of(args[0])).codec(args[1]).build();
        } catch (IllegalArgumentException e) {
            System.out.println("REFUSED " + e.getMessage());
            System.exit(2);
            return;
        }
        FolderInfo inbox = new FolderInfo("INBOX", "/", Set.of(), true);
        byte[][] messages = new byte[3][];
        for (int uid = 1; uid <= 2; uid++) {
            byte[] m = ("Message-ID: <" + uid + "@probe>\r\nSubject: " + uid + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
            messages[uid] = m;
            MboxStore again = MboxStore.builder(Path.of(args[0])).codec(args[1]).build();
            try (FolderArchive a = again.open(inbox)) {
                a.append(new FolderArchive.NewMessage(1, uid, MessageIdExtractor.standard().identify(new ByteArrayInputStream(m)),
                        m.length, Instant.parse("2026-11-21T23:39:50Z"), Set.of(), null), new ByteArrayInputStream(m));
                a.commit();
            }
        }
        int same = 0;
        try (FolderArchive a = store.openReadOnly(inbox).orElseThrow()) {
            for (ArchivedMessage m : a.messages()) {
                try (InputStream in = a.openMessage(m)) {
                    same += Arrays.equals(in.readAllBytes(), messages[(int) m.uid()]) ? 1 : 0;
                }
            }
        }
        boolean verified;
        try (BackupArchive archive = store.read()) {
            verified = archive.verify().ok();
        }
        System.out.println("OK " + store.location(inbox) + " same=" + same + " verified=" + verified);
    }
}
