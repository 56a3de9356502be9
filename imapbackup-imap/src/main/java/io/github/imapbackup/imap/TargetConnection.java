package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import jakarta.mail.MessagingException;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.ListInfo;
import org.eclipse.angus.mail.imap.protocol.MailboxInfo;
import org.eclipse.angus.mail.imap.protocol.Namespaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated connection to the target account (the store's own connection; no Angus
 * folder is opened, so Angus never sends CLOSE, which would expunge): LIST, CREATE, SUBSCRIBE,
 * SELECT or EXAMINE, and the commands of the folder it works on. Closing logs out.
 */
final class TargetConnection implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(TargetConnection.class);

    private final IMAPStore store;
    private final IMAPFolder vehicle;
    private final String where;
    private String folder = "";
    private boolean closed;

    private final Throttle throttle;
    private final WaitTally tally;
    /** The account's rate caps, or null. */
    private final Pacer pacer;

    private TargetConnection(IMAPStore store, IMAPFolder vehicle, String where, Throttle throttle, WaitTally tally,
            Pacer pacer) {
        this.pacer = pacer;
        this.store = store;
        this.vehicle = vehicle;
        this.where = where;
        this.throttle = throttle;
        this.tally = tally;
    }

    static TargetConnection open(ImapSource account) throws BackupException {
        Connector.GuardedStore store = account.connector().login();
        try {
            return new TargetConnection(store, (IMAPFolder) store.getDefaultFolder(),
                    account.host() + ":" + account.port(), account.throttle(), store.tally,
                    store.pacer);
        } catch (MessagingException | RuntimeException e) {
            try {
                store.close();
            } catch (MessagingException | RuntimeException c) {
                e.addSuppressed(c);
            }
            throw Errors.folder(account.host() + ":" + account.port(), "", -1, "LIST", e);
        }
    }

    String where() {
        return where;
    }

    /**
     * Runs a command on this connection; failures name the folder being worked on. A command the
     * server refuses as throttled is sent again after a backoff, except APPEND, whose message
     * bytes are read once (the engine reports a refused message, and the next run copies it).
     */
    Object exec(String what, long uid, IMAPFolder.ProtocolCommand command) throws BackupException {
        if (!"APPEND".equals(what)) {
            return throttle.call(where, folder, uid, what, tally, () -> vehicle.doCommand(command));
        }
        try {
            return vehicle.doCommand(command);
        } catch (MessagingException e) {
            throw Errors.folder(where, folder, uid, what, e);
        }
    }

    /** Waits as long as the account's rate caps require before one more message of {@code bytes} is sent. */
    void pace(long bytes) {
        if (pacer != null) {
            pacer.message();
            pacer.bytes(bytes);
        }
    }

    Object exec(String what, IMAPFolder.ProtocolCommand command) throws BackupException {
        return exec(what, -1, command);
    }

    /** {@return the account's hierarchy delimiter ({@code LIST "" ""}), or the empty string for none} */
    String delimiter() throws BackupException {
        ListInfo[] root = (ListInfo[]) exec("LIST", p -> p.list("", ""));
        if (root == null || root.length == 0 || root[0].separator == '\0') {
            return "";
        }
        return String.valueOf(root[0].separator);
    }

    /** {@return the account's special-use folders by attribute (the first of each), when it has SPECIAL-USE} */
    Map<String, String> specialUse() throws BackupException {
        Map<String, String> found = new HashMap<>();
        if (!has("SPECIAL-USE")) {
            return found;
        }
        String command = has("LIST-EXTENDED") ? "LIST \"\" \"*\" RETURN (SPECIAL-USE)" : "LIST \"\" \"*\"";
        try {
            exec("LIST", p -> {
                Response[] r = p.command(command, null);
                for (int i = 0; i < r.length - 1; i++) {
                    if (r[i] instanceof IMAPResponse ir && ir.keyEquals("LIST")) {
                        ListInfo li = new ListInfo(ir);
                        for (String a : li.attrs == null ? new String[0] : li.attrs) {
                            for (String known : TargetNames.ATTRIBUTES) {
                                if (known.equalsIgnoreCase(a)) {
                                    found.putIfAbsent(known, li.name);
                                }
                            }
                        }
                        r[i] = null;
                    }
                }
                p.notifyResponseHandlers(r);
                p.handleResult(r[r.length - 1]);
                return null;
            });
        } catch (ConnectionException e) {
            throw e;
        } catch (BackupException e) {
            LOG.debug("{}: listing the special-use folders failed; none mapped", where, e);
            return Map.of();
        }
        LOG.debug("{}: special-use folders {}", where, found);
        return found;
    }

    /** {@return the prefix of the account's first personal namespace, e.g. {@code INBOX.}; empty without NAMESPACE} */
    String personalNamespace() throws BackupException {
        if (!has("NAMESPACE")) {
            return "";
        }
        try {
            Namespaces ns = (Namespaces) exec("NAMESPACE", p -> p.namespace());
            return ns == null || ns.personal == null || ns.personal.length == 0 || ns.personal[0].prefix == null
                    ? "" : ns.personal[0].prefix;
        } catch (ConnectionException e) {
            throw e;
        } catch (BackupException e) {
            LOG.debug("{}: NAMESPACE failed; no personal prefix assumed", where, e);
            return "";
        }
    }

    /**
     * {@return the account's folders (LIST and LSUB), without those under a prefix of the other
     * users' or shared namespaces (NAMESPACE)}
     */
    List<FolderInfo> personalFolders() throws BackupException {
        List<String> foreign = new ArrayList<>();
        if (has("NAMESPACE")) {
            Namespaces ns = (Namespaces) exec("NAMESPACE", p -> p.namespace());
            for (Namespaces.Namespace[] list : ns == null ? new Namespaces.Namespace[0][]
                    : new Namespaces.Namespace[][] {ns.otherUsers, ns.shared}) {
                for (Namespaces.Namespace n : list == null ? new Namespaces.Namespace[0] : list) {
                    if (n.prefix != null && !n.prefix.isEmpty()) {
                        foreign.add(n.prefix);
                    }
                }
            }
        }
        ListInfo[] all = (ListInfo[]) exec("LIST", p -> p.list("", "*"));
        ListInfo[] subscribed = (ListInfo[]) exec("LSUB", p -> p.lsub("", "*"));
        Set<String> subscribedNames = new HashSet<>();
        for (ListInfo li : subscribed == null ? new ListInfo[0] : subscribed) {
            subscribedNames.add(li.name);
        }
        List<FolderInfo> out = new ArrayList<>();
        for (ListInfo li : all == null ? new ListInfo[0] : all) {
            if (foreign.stream().anyMatch(f -> li.name.startsWith(f) || (li.name + li.separator).equals(f))) {
                continue;
            }
            out.add(new FolderInfo(li.name, li.separator == '\0' ? "" : String.valueOf(li.separator),
                    Set.copyOf(Arrays.asList(li.attrs == null ? new String[0] : li.attrs)), subscribedNames.contains(li.name)));
        }
        return out;
    }

    /**
     * Deletes a folder (DELETE), then unsubscribes it; a refused UNSUBSCRIBE is only logged. A
     * folder that is gone already (a hierarchy-only parent some servers drop with its last child)
     * counts as deleted.
     */
    void delete(String name) throws BackupException {
        folder = name;
        try {
            exec("DELETE", p -> {
                p.delete(name);
                return null;
            });
        } catch (ConnectionException e) {
            throw e;
        } catch (FolderException e) {
            if (listed(name, false)) {
                throw e;
            }
            LOG.debug("{}: \"{}\" was gone already: {}", where, name, e.getMessage());
        }
        LOG.debug("{}: deleted \"{}\"", where, name);
        try {
            exec("UNSUBSCRIBE", p -> {
                p.unsubscribe(name);
                return null;
            });
        } catch (FolderException e) {
            LOG.debug("{}: UNSUBSCRIBE \"{}\" refused: {}", where, name, e.getMessage());
        }
    }

    /**
     * {@return the folder's status ({@link ImapConnection#status}), or empty when the server
     * refuses the STATUS (no such folder)}
     */
    Optional<FolderStatus> status(String name, boolean condstore) throws BackupException {
        folder = name;
        try {
            return Optional.ofNullable((FolderStatus) exec("STATUS", p -> ImapConnection.status(p, name, condstore)));
        } catch (ConnectionException e) {
            throw e;
        } catch (FolderException e) {
            LOG.debug("{}: STATUS \"{}\" refused: {}", where, name, e.getMessage());
            return Optional.empty();
        }
    }

    boolean has(String capability) throws BackupException {
        return (Boolean) exec("CAPABILITY", p -> p.hasCapability(capability));
    }

    /** {@return whether the account holds a folder of this name that can be selected} */
    boolean exists(String name) throws BackupException {
        return listed(name, true);
    }

    /**
     * {@return whether LIST shows a folder of this name; with {@code selectable}, only one that can
     * be selected}
     */
    private boolean listed(String name, boolean selectable) throws BackupException {
        ListInfo[] found = (ListInfo[]) exec("LIST", p -> p.list("", name));
        for (ListInfo li : found == null ? new ListInfo[0] : found) {
            if (li.name.equals(name) || li.name.equalsIgnoreCase("INBOX") && name.equalsIgnoreCase("INBOX")) {
                return (li.canOpen || !selectable) && (li.attrs == null || List.of(li.attrs).stream()
                        .noneMatch(a -> a.equalsIgnoreCase("\\NonExistent")));
            }
        }
        return false;
    }

    /**
     * Creates a folder and subscribes it, its missing parents first (top down), so that a parent
     * is a folder of its own on every server, whichever connection gets to it first. A parent is
     * created with the delimiter appended, which RFC 3501 reads as "names will be created under
     * this one": a server whose mailboxes cannot hold both messages and other mailboxes
     * (Dovecot's mbox storage) makes it a directory, where a plain CREATE would make a file that
     * refuses children; the others make a plain folder. A folder another connection created
     * meanwhile is taken as it is.
     */
    void create(String name, String delimiter) throws BackupException {
        if (!delimiter.isEmpty()) {
            for (int at = name.indexOf(delimiter); at > 0; at = name.indexOf(delimiter, at + 1)) {
                String parent = name.substring(0, at);
                if (!listed(parent, false)) {
                    createOne(parent, parent + delimiter);
                }
            }
        }
        createOne(name, name);
    }

    /** Sends CREATE {@code sent} for the folder {@code name}, then SUBSCRIBE. */
    private void createOne(String name, String sent) throws BackupException {
        folder = name;
        try {
            exec("CREATE", p -> {
                p.create(sent);
                return null;
            });
        } catch (FolderException e) {
            if (alreadyExists(e) || listed(name, false)) {
                // made meanwhile by another connection; selecting it says whether it holds messages
                return;
            }
            throw e;
        }
        LOG.debug("{}: created \"{}\"", where, name);
        try {
            exec("SUBSCRIBE", p -> {
                p.subscribe(name);
                return null;
            });
        } catch (FolderException e) {
            LOG.debug("{}: SUBSCRIBE \"{}\" refused: {}", where, name, e.getMessage());
        }
    }

    private static boolean alreadyExists(FolderException e) {
        CommandFailedException no = Errors.find(e, CommandFailedException.class);
        return no != null && no.getResponse() != null
                && no.getResponse().toString().toUpperCase(Locale.ROOT).contains("[ALREADYEXISTS]");
    }

    /** SELECT (or EXAMINE when {@code readOnly}); later failures name this folder. */
    MailboxInfo select(String name, boolean readOnly) throws BackupException {
        folder = name;
        return (MailboxInfo) exec(readOnly ? "EXAMINE" : "SELECT",
                p -> readOnly ? p.examine(name) : p.select(name));
    }

    /** Logs out (no CLOSE: nothing is expunged); idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            store.close();
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("{}: closing the connection failed", where, e);
        }
    }
}
