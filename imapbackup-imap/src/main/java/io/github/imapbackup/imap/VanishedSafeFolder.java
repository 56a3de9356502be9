package io.github.imapbackup.imap;

import java.io.IOException;
import java.util.function.LongConsumer;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.ListInfo;
import org.eclipse.angus.mail.imap.protocol.UIDSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IMAPFolder} that hands Angus Mail's response handling an untagged {@code VANISHED}
 * (RFC 7162 §3.2.10) one UID at a time. With QRESYNC enabled, a server tells a session that has a
 * folder open of the messages another session expunged with one {@code VANISHED} of all their UIDs
 * (a mail client emptying a folder, {@code migrate --delete1}'s own deleting connection). Angus Mail
 * 2.0.5 builds the array of that response's messages advancing its index twice per UID
 * ({@code IMAPFolder.createMessagesForUIDs}), so every other element stays null and its handler
 * throws a {@link NullPointerException} on the first of them: the command that brought the
 * response failed. One UID per response fills the array. {@code VANISHED (EARLIER)}, the answer to
 * a command of ours, goes on unchanged (Angus ignores it; {@link ImapFolder#expungedSince} reads it).
 */
final class VanishedSafeFolder extends IMAPFolder {

    private static final Logger LOG = LoggerFactory.getLogger(VanishedSafeFolder.class);

    /**
     * More UIDs than this in one response are not handed on (Angus makes an object per UID, and a
     * broken or hostile server may name four billion): only Angus's own message cache, which this
     * project does not use, then misses them.
     */
    static final long MAX_HANDED_ON = 100_000;

    VanishedSafeFolder(String fullName, char separator, IMAPStore store, Boolean isNamespace) {
        super(fullName, separator, store, isNamespace);
    }

    VanishedSafeFolder(ListInfo li, IMAPStore store) {
        super(li, store);
    }

    @Override
    public void handleResponse(Response r) {
        if (r instanceof IMAPResponse ir && ir.isUnTagged() && ir.keyEquals("VANISHED")) {
            IMAPResponse copy = new IMAPResponse(ir); // the original stays unread for Angus
            if (copy.readAtomStringList() == null) { // no "(EARLIER)"
                if (!eachUid(copy.readAtom(), uid -> super.handleResponse(single(uid)))) {
                    LOG.debug("\"{}\": a VANISHED of more than {} UIDs is not handed on to Angus's message cache",
                            getFullName(), MAX_HANDED_ON);
                }
                return;
            }
        }
        super.handleResponse(r);
    }

    /**
     * Calls {@code each} with every UID of a UID set (a range may be written high to low, RFC 3501
     * §9 {@code seq-range}), unless the set names more than {@value #MAX_HANDED_ON}.
     *
     * @param set the set as the server wrote it, or null
     * @param each what to do with each UID
     * @return whether each was called for every UID (false: the set is too big, nothing was done)
     */
    static boolean eachUid(String set, LongConsumer each) {
        UIDSet[] sets = UIDSet.parseUIDSets(set);
        if (sets == null) {
            return true;
        }
        long n = 0;
        for (int i = 0; i < sets.length && n <= MAX_HANDED_ON; i++) {
            long lo = Math.max(1, Math.min(sets[i].start, sets[i].end));
            long hi = Math.max(sets[i].start, sets[i].end);
            n += hi - lo >= MAX_HANDED_ON ? MAX_HANDED_ON + 1 : Math.max(0, hi - lo + 1);
        }
        if (n > MAX_HANDED_ON) {
            return false;
        }
        for (UIDSet s : sets) {
            for (long uid = Math.max(1, Math.min(s.start, s.end)); uid <= Math.max(s.start, s.end); uid++) {
                each.accept(uid);
            }
        }
        return true;
    }

    /** {@return an untagged VANISHED of one UID} */
    private static IMAPResponse single(long uid) {
        try {
            return new IMAPResponse("* VANISHED " + uid);
        } catch (IOException | ProtocolException e) {
            throw new IllegalStateException("cannot parse our own VANISHED response", e);
        }
    }
}
