package io.github.imapbackup.imap;

import java.io.IOException;
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
                UIDSet[] uids = UIDSet.parseUIDSets(copy.readAtom());
                long n = uids == null ? 0 : UIDSet.size(uids);
                if (n > MAX_HANDED_ON) {
                    LOG.debug("\"{}\": VANISHED of {} UIDs not handed on to Angus's message cache", getFullName(), n);
                    return;
                }
                for (UIDSet s : uids == null ? new UIDSet[0] : uids) {
                    for (long uid = s.start; uid <= s.end && uid > 0; uid++) {
                        super.handleResponse(single(uid));
                    }
                }
                return;
            }
        }
        super.handleResponse(r);
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
