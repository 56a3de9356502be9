package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.ResyncData;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.ListInfo;
import org.eclipse.angus.mail.imap.protocol.Namespaces;
import org.eclipse.angus.mail.imap.protocol.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One authenticated IMAP connection (an Angus store): LIST, STATUS, EXAMINE. */
final class ImapConnection implements SourceConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ImapConnection.class);

    private final ImapSource source;
    private final IMAPStore store;
    private final String where;
    private final Map<String, Boolean> capabilities = new HashMap<>();
    private final WaitTally tally;
    private final Pacer pacer;
    private ImapFolder current;
    /** The statuses the last LIST brought with it (LIST-STATUS), handed out once each. */
    private final ListStatus listed = new ListStatus();
    private boolean closed;
    private boolean qresyncTried;

    ImapConnection(ImapSource source, IMAPStore store, WaitTally tally, Pacer pacer) {
        this.source = source;
        this.store = store;
        this.tally = tally;
        this.pacer = pacer;
        this.where = source.host() + ":" + source.port();
        hasCapability("CONDSTORE");
    }

    String where() {
        return where;
    }

    /**
     * Returns the Angus folder whose connection store-level commands (LIST, STATUS) use: the
     * open folder when there is one, so that one SourceConnection keeps to one TCP connection
     * (Angus would otherwise open a second one), else the default folder (the store's connection).
     */
    private IMAPFolder vehicle() throws MessagingException {
        if (current != null && current.usable()) {
            return current.angus();
        }
        return (IMAPFolder) store.getDefaultFolder();
    }

    @Override
    public List<FolderInfo> folders() throws BackupException {
        checkOpen();
        Throttle throttle = source.throttle();
        try {
            IMAPFolder vehicle = vehicle();
            WireNames names = source.connector().names();
            boolean listStatus = hasCapability("LIST-STATUS");
            boolean condstore = hasCapability("CONDSTORE");
            ListInfo[] all = throttle.call(where, "", -1, "LIST", tally, () -> (ListInfo[]) vehicle.doCommand(
                    p -> listStatus ? listed.list(p, condstore, names::name) : p.list("", "*")));
            ListInfo[] subscribed = throttle.call(where, "", -1, "LSUB", tally,
                    () -> (ListInfo[]) vehicle.doCommand(p -> p.lsub("", "*")));
            Set<String> subscribedNames = new HashSet<>();
            if (subscribed != null) {
                for (ListInfo li : subscribed) {
                    subscribedNames.add(names.name(li.name));
                }
            }
            Map<String, Set<String>> xlist = xlist(vehicle);
            List<FolderInfo> result = new ArrayList<>();
            if (all != null) {
                Set<String> seen = new HashSet<>();
                for (ListInfo li : all) {
                    li.name = names.name(li.name); // see WireNames
                    if (!seen.add(li.name)) {
                        continue;
                    }
                    Set<String> attributes = new LinkedHashSet<>();
                    if (li.attrs != null) {
                        attributes.addAll(List.of(li.attrs));
                    }
                    attributes.addAll(xlist.getOrDefault(li.name, Set.of()));
                    String delimiter = li.separator == '\0' ? "" : String.valueOf(li.separator);
                    result.add(new FolderInfo(li.name, delimiter, attributes,
                            subscribedNames.contains(li.name)));
                }
            }
            LOG.debug("{}: {} folders", where, result.size());
            return storeOnce() ? GmailFolders.storeOnce(result, hasCapability(GmailFolders.CAPABILITY), where) : result;
        } catch (MessagingException e) {
            throw Errors.folder(where, "", -1, "LIST", e);
        }
    }

    /**
     * The special-use attributes of {@code XLIST} (Gmail's and older servers' forerunner of
     * SPECIAL-USE; {@code \\Spam} read as {@code \\Junk}), by folder name, when the server has
     * XLIST but not SPECIAL-USE; empty otherwise or when XLIST fails.
     */
    private Map<String, Set<String>> xlist(IMAPFolder vehicle) {
        Map<String, Set<String>> found = new HashMap<>();
        if (hasCapability("SPECIAL-USE") || !hasCapability("XLIST")) {
            return found;
        }
        try {
            vehicle.doCommand(p -> {
                Response[] r = p.command("XLIST \"\" \"*\"", null);
                for (int i = 0; i < r.length - 1; i++) {
                    if (r[i] instanceof IMAPResponse ir && ir.keyEquals("XLIST")) {
                        ListInfo li = new ListInfo(ir);
                        for (String a : li.attrs == null ? new String[0] : li.attrs) {
                            String attribute = a.equalsIgnoreCase("\\Spam") ? "\\Junk" : a;
                            if (storeOnce() && (a.equalsIgnoreCase("\\AllMail") || a.equalsIgnoreCase("\\All"))) {
                                attribute = "\\All"; // Gmail's XLIST name of All Mail
                            } else if (!TargetNames.ATTRIBUTES.stream().anyMatch(attribute::equalsIgnoreCase)) {
                                continue;
                            }
                            found.computeIfAbsent(li.name, n -> new LinkedHashSet<>()).add(attribute);
                        }
                        r[i] = null;
                    }
                }
                p.notifyResponseHandlers(r);
                p.handleResult(r[r.length - 1]);
                return null;
            });
        } catch (MessagingException e) {
            LOG.debug("{}: XLIST failed; no special-use attributes", where, e);
            return Map.of();
        }
        LOG.debug("{}: XLIST attributes {}", where, found);
        return found;
    }

    @Override
    public FolderStatus status(FolderInfo folder) throws BackupException {
        Objects.requireNonNull(folder, "folder");
        checkOpen();
        FolderStatus listedStatus = listed.take(folder.name());
        if (listedStatus != null) {
            return listedStatus;
        }
        boolean condstore = hasCapability("CONDSTORE");
        FolderStatus s = source.throttle().call(where, folder.name(), -1, "STATUS", tally,
                () -> (FolderStatus) vehicle().doCommand(p -> status(p, folder.name(), condstore)));
        if (s == null) {
            throw new FolderException(folder.name(), "the server sent no STATUS response", null);
        }
        return s;
    }

    @Override
    public OptionalLong listedMessages(FolderInfo folder) {
        long n = listed.messages(Objects.requireNonNull(folder, "folder").name());
        return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
    }

    /**
     * {@return the folder's {@code STATUS MESSAGES UIDNEXT UIDVALIDITY} (and {@code HIGHESTMODSEQ}
     * with CONDSTORE), or null when the server sent none}
     */
    static FolderStatus status(IMAPProtocol p, String name, boolean condstore) throws ProtocolException {
        Status s = p.status(name, ListStatus.items(condstore));
        return s == null ? null : ListStatus.status(s);
    }

    @Override
    public SourceFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(extractor, "extractor");
        checkOpen();
        boolean condstore = hasCapability("CONDSTORE");
        if (condstore) {
            enableQresync();
        }
        IMAPFolder f = null;
        try {
            f = (IMAPFolder) store.getFolder(folder.name());
            IMAPFolder opening = f;
            source.throttle().call(where, folder.name(), -1, "EXAMINE", tally, () -> {
                if (condstore) {
                    opening.open(Folder.READ_ONLY, ResyncData.CONDSTORE);
                } else {
                    opening.open(Folder.READ_ONLY);
                }
                return null;
            });
            if (f.getMode() != Folder.READ_ONLY) {
                throw new IllegalStateException("folder opened read-write: " + folder.name());
            }
            long modSeq = condstore ? Math.max(0, f.getHighestModSeq()) : 0;
            FolderStatus status = new FolderStatus(Math.max(0, f.getMessageCount()),
                    Math.max(0, f.getUIDValidity()), Math.max(0, f.getUIDNext()), modSeq);
            LOG.debug("{}: EXAMINE \"{}\": {}", where, folder.name(), status);
            current = new ImapFolder(source, extractor, where, folder, f, status, condstore && modSeq > 0,
                    storeOnce() && hasCapability(GmailFolders.CAPABILITY), tally, pacer);
            return current;
        } catch (MessagingException e) {
            closeQuietly(f);
            throw Errors.folder(where, folder.name(), -1, "EXAMINE", e);
        } catch (BackupException | RuntimeException e) {
            closeQuietly(f);
            throw e;
        }
    }

    /**
     * Sends {@code ENABLE QRESYNC} once, when the server has it and no folder is selected (ENABLE is
     * valid only then, RFC 5161), on the connection the next EXAMINE will use. Folders then learn
     * of expunges from {@code VANISHED (EARLIER)} instead of a full {@code UID SEARCH ALL}. A
     * refusal is logged and the connection carries on with CONDSTORE.
     */
    private void enableQresync() {
        if (qresyncTried || (current != null && current.usable())
                || !hasCapability("QRESYNC") || !hasCapability("ENABLE")) {
            return;
        }
        qresyncTried = true;
        try {
            ((IMAPFolder) store.getDefaultFolder()).doCommand(p -> {
                if (!p.isEnabled("QRESYNC")) {
                    p.enable("QRESYNC");
                }
                return null;
            });
        } catch (MessagingException e) {
            LOG.debug("{}: ENABLE QRESYNC failed; CONDSTORE alone is used", where, e);
        }
    }

    private static void closeQuietly(IMAPFolder f) {
        if (f != null && f.isOpen()) {
            try {
                f.close(false);
            } catch (MessagingException | RuntimeException e) {
                LOG.debug("closing folder failed", e);
            }
        }
    }

    /** {@return the prefix of the first personal namespace (NAMESPACE), e.g. {@code INBOX.}; empty without} */
    @Override
    public String personalPrefix() {
        checkOpen();
        if (!hasCapability("NAMESPACE")) {
            return "";
        }
        try {
            Namespaces ns = (Namespaces) vehicle().doCommand(p -> p.namespace());
            return ns == null || ns.personal == null || ns.personal.length == 0 || ns.personal[0].prefix == null
                    ? "" : ns.personal[0].prefix;
        } catch (MessagingException e) {
            LOG.debug("{}: NAMESPACE failed; no personal prefix assumed", where, e);
            return "";
        }
    }

    /** Whether the source asks for one copy of each Gmail message with its labels. */
    private boolean storeOnce() {
        return source.gmailLabels() == GmailLabels.STORE_ONCE;
    }

    /** Capabilities do not change after login; cached so that no query needs another connection. */
    @Override
    public boolean hasCapability(String capability) {
        Objects.requireNonNull(capability, "capability");
        String key = capability.toUpperCase(Locale.ROOT);
        Boolean known = capabilities.get(key);
        if (known != null) {
            return known;
        }
        try {
            boolean has = !closed && (Boolean) vehicle().doCommand(p -> p.hasCapability(key));
            capabilities.put(key, has);
            return has;
        } catch (MessagingException e) {
            return false;
        }
    }

    /** {@inheritDoc} Counted from the login on: its backoff, the throttled commands' and the rate caps' waits. */
    @Override
    public io.github.imapbackup.spi.SourceWaits waits() {
        return tally.snapshot();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("connection closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (current != null) {
            current.close();
        }
        try {
            store.close();
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("{}: closing the connection failed", where, e);
        }
    }

    @Override
    public String toString() {
        return "ImapConnection[" + source.describe() + (closed ? ", closed" : "") + "]";
    }
}
