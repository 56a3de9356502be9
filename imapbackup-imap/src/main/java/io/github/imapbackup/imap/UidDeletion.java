package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import java.util.Arrays;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.UIDSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes exactly some messages of a folder selected read-write: {@code UID STORE <uids>
 * +FLAGS.SILENT (\Deleted)}, then, with UIDPLUS, {@code UID EXPUNGE <uids>}, so that no other
 * message is expunged. Without UIDPLUS the messages are only flagged: a bare EXPUNGE would also
 * take the messages someone else flagged {@code \Deleted}, so it is never sent.
 */
final class UidDeletion {

    private static final Logger LOG = LoggerFactory.getLogger(UidDeletion.class);
    /** UIDs per command, so that a command line stays short whatever the folder. */
    static final int BATCH = 500;

    private UidDeletion() { }

    /**
     * Flags and (with UIDPLUS) expunges the messages.
     *
     * @param exec runs a command on the connection that selected the folder read-write
     * @param uidplus whether the server has UIDPLUS
     * @param uids the UIDs
     * @param where the server and folder, for logs
     * @return how many were expunged: all of them with UIDPLUS, none without
     * @throws BackupException when the server refuses a command or the connection fails
     */
    static long delete(FolderQueries.Exec exec, boolean uidplus, long[] uids, String where) throws BackupException {
        long[] sorted = Arrays.stream(uids).filter(u -> u > 0).sorted().distinct().toArray();
        for (int from = 0; from < sorted.length; from += BATCH) {
            long[] batch = Arrays.copyOfRange(sorted, from, Math.min(sorted.length, from + BATCH));
            String set = UIDSet.toString(UIDSet.createUIDSets(batch));
            run(exec, "UID STORE", "UID STORE " + set + " +FLAGS.SILENT (\\Deleted)");
            if (uidplus) {
                run(exec, "UID EXPUNGE", "UID EXPUNGE " + set);
            }
        }
        if (!uidplus) {
            LOG.warn("{}: the server has no UIDPLUS: {} messages flagged \\Deleted, not expunged", where,
                    sorted.length);
            return 0;
        }
        LOG.debug("{}: {} messages expunged", where, sorted.length);
        return sorted.length;
    }

    private static void run(FolderQueries.Exec exec, String what, String command) throws BackupException {
        exec.run(what, -1, p -> {
            Response[] r = p.command(command, null);
            p.notifyResponseHandlers(r);
            p.handleResult(r[r.length - 1]);
            return null;
        });
    }
}
