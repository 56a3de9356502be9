package io.github.imapbackup.imap;

import io.github.imapbackup.spi.FolderStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.angus.mail.iap.ParsingException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.ListInfo;
import org.eclipse.angus.mail.imap.protocol.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folders and their status in one command, {@code LIST "" "*" RETURN (STATUS (...))}, on a
 * server that announces {@code LIST-STATUS} (RFC 5819; docs/IMAP.md, "Commands"): a run that finds
 * nothing new then sends no {@code STATUS} per folder. The statuses are kept for one connection and
 * handed out once each, while they are at most {@link #FRESH_NANOS} old; after that, or for a
 * folder the answer had no status for, the caller asks {@code STATUS} as before.
 */
final class ListStatus {

    private static final Logger LOG = LoggerFactory.getLogger(ListStatus.class);

    /** How long a listed status stands in for a {@code STATUS}: a run with nothing new needs about a second. */
    static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Map<String, FolderStatus> statuses = new HashMap<>();
    private long listedAt;

    /**
     * Lists every folder with its status; falls back to a plain {@code LIST} when the server
     * answers the extended form {@code BAD} (then no status is kept).
     *
     * @param p the connection
     * @param condstore whether to ask {@code HIGHESTMODSEQ} too
     * @param names maps a decoded name to the name the folder is known by (as for the LIST answers)
     * @return the LIST answers, or null when there were none
     * @throws ProtocolException when the connection fails, or the server answers NO, as for a LIST
     */
    ListInfo[] list(IMAPProtocol p, boolean condstore, UnaryOperator<String> names) throws ProtocolException {
        statuses.clear();
        // CHILDREN and SPECIAL-USE: the attributes a plain LIST gives, which an extended one gives only when asked
        Response[] r = p.command("LIST \"\" \"*\" RETURN (CHILDREN " + (p.hasCapability("SPECIAL-USE") ? "SPECIAL-USE " : "")
                + "STATUS (" + String.join(" ", items(condstore)) + "))", null);
        Response result = r[r.length - 1];
        if (result.isBAD()) { // not understood after all; a NO (throttled, say) fails as a LIST's would
            p.notifyResponseHandlers(r);
            LOG.debug("LIST RETURN (STATUS) refused ({}); LIST and one STATUS per folder", result);
            return p.list("", "*");
        }
        List<ListInfo> listed = new ArrayList<>();
        for (int i = 0; i < r.length - 1 && result.isOK(); i++) {
            if (r[i] instanceof IMAPResponse ir && ir.keyEquals("LIST")) {
                listed.add(plain(new ListInfo(ir)));
                r[i] = null;
            } else if (r[i] instanceof IMAPResponse ir && ir.keyEquals("STATUS")) {
                try {
                    Status s = new Status(ir);
                    statuses.put(names.apply(s.mbox), status(s));
                } catch (ParsingException e) {
                    LOG.debug("an unreadable STATUS in the LIST answer: that folder gets its own STATUS", e);
                }
                r[i] = null;
            }
        }
        p.notifyResponseHandlers(r);
        p.handleResult(result);
        listedAt = System.nanoTime();
        LOG.debug("LIST-STATUS: {} folders, {} statuses", listed.size(), statuses.size());
        return listed.isEmpty() ? null : listed.toArray(new ListInfo[0]);
    }

    /**
     * {@return the listed status of a folder, once, while fresh; null otherwise (ask STATUS)}
     *
     * @param name the folder's name
     */
    FolderStatus take(String name) {
        FolderStatus s = statuses.remove(name);
        if (s != null && System.nanoTime() - listedAt > FRESH_NANOS) {
            statuses.clear();
            return null;
        }
        return s;
    }

    /**
     * {@return the listed message count of a folder while fresh, without handing its status out; -1 otherwise}
     *
     * @param name the folder's name
     */
    long messages(String name) {
        FolderStatus s = statuses.get(name);
        return s == null || System.nanoTime() - listedAt > FRESH_NANOS ? -1 : s.messages();
    }

    /**
     * {@return a LIST answer with the attributes of a plain LIST: an extended LIST says
     * {@code \NonExistent} for a parent that a plain one calls {@code \Noselect}, which it implies (RFC 5258)}
     */
    private static ListInfo plain(ListInfo li) {
        if (li.attrs != null) {
            for (int i = 0; i < li.attrs.length; i++) {
                if (li.attrs[i].equalsIgnoreCase("\\NonExistent")) {
                    li.attrs[i] = "\\Noselect";
                    li.canOpen = false;
                }
            }
        }
        return li;
    }

    /** {@return the STATUS items asked: MESSAGES UIDNEXT UIDVALIDITY, and HIGHESTMODSEQ with CONDSTORE} */
    static String[] items(boolean condstore) {
        return condstore ? new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY", "HIGHESTMODSEQ"}
                : new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY"};
    }

    /** {@return an Angus status as the engine's (absent figures as 0)} */
    static FolderStatus status(Status s) {
        return new FolderStatus(Math.max(0, s.total), Math.max(0, s.uidvalidity), Math.max(0, s.uidnext),
                Math.max(0, s.highestmodseq));
    }
}
