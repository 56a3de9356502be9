package io.github.imapbackup.imap;

import io.github.imapbackup.FolderInfo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxDecoder;
import org.eclipse.angus.mail.imap.protocol.FetchItem;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gmail's IMAP extensions (docs/IMAP.md, "Gmail labels"): the folders a
 * {@link GmailLabels#STORE_ONCE} source lists, and the {@code X-GM-LABELS}, {@code X-GM-MSGID}
 * and {@code X-GM-THRID} FETCH items, which Angus parses only through fetch items of its protocol.
 */
final class GmailFolders {

    private static final Logger LOG = LoggerFactory.getLogger(GmailFolders.class);

    /** The capability of Gmail's extensions. */
    static final String CAPABILITY = "X-GM-EXT-1";
    /** The FETCH item of a message's labels. */
    static final String LABELS = "X-GM-LABELS";

    /** The fetch items {@link ReusingProtocol} parses; the numbers only so that a response holding them parses. */
    static final FetchItem[] FETCH_ITEMS = {
        new FetchItem(LABELS, null) {
            @Override
            public Object parseItem(FetchResponse r) {
                return labels(r);
            }
        },
        new FetchItem("X-GM-MSGID", null) {
            @Override
            public Object parseItem(FetchResponse r) {
                return r.readLong();
            }
        },
        new FetchItem("X-GM-THRID", null) {
            @Override
            public Object parseItem(FetchResponse r) {
                return r.readLong();
            }
        },
    };

    private GmailFolders() { }

    /**
     * The folders of a {@link GmailLabels#STORE_ONCE} account: those with {@code \All},
     * {@code \Junk} or {@code \Trash}; every folder (with a warning) when the server lacks
     * {@code X-GM-EXT-1} or lists no {@code \All} folder.
     */
    static List<FolderInfo> storeOnce(List<FolderInfo> all, boolean gmail, String where) {
        if (!gmail) {
            LOG.warn("{}: the server does not announce Gmail's IMAP extensions ({}), so labels cannot be"
                    + " recorded: every folder is backed up, a message once per folder it is in", where, CAPABILITY);
            return all;
        }
        if (all.stream().noneMatch(f -> has(f, "\\All") && f.selectable())) {
            LOG.warn("{}: the server lists no All Mail folder (special-use \\All; check IMAP access to All Mail in"
                    + " Gmail's settings), so every folder is backed up, a message once per folder it is in", where);
            return all;
        }
        List<FolderInfo> kept = new ArrayList<>();
        for (FolderInfo f : all) {
            if (f.selectable() && (has(f, "\\All") || has(f, "\\Junk") || has(f, "\\Trash"))) {
                kept.add(f);
            }
        }
        LOG.debug("{}: Gmail, one copy of each message: {} of {} folders", where, kept.size(), all.size());
        return kept;
    }

    private static boolean has(FolderInfo f, String attribute) {
        return f.attributes().stream().anyMatch(attribute::equalsIgnoreCase);
    }

    /**
     * Reads {@code (label label ...)}: system labels as atoms ({@code \\Inbox}) or quoted strings
     * ({@code "\\\\Inbox"}), user labels as atoms, quoted strings or literals, in modified UTF-7
     * unless UTF-8 is enabled. Never fails and always moves on: a FETCH response that cannot be
     * parsed is dropped by Angus, and its message would be missed; {@code NIL} gives none.
     */
    static Set<String> labels(FetchResponse r) {
        Set<String> out = new LinkedHashSet<>();
        r.skipSpaces();
        if (r.peekByte() != '(') {
            r.readAtom(); // NIL, or something else: no labels
            return out;
        }
        r.readByte();
        while (true) {
            r.skipSpaces();
            byte b = r.peekByte();
            if (b == ')') {
                r.readByte();
                break;
            }
            if (b == 0) {
                break; // the response ended: Angus reports it
            }
            String label = b == '"' || b == '{' ? r.readString() : bare(r);
            if (label != null && !label.isEmpty()) {
                // interned: an account has few labels, and All Mail's listing holds them once per message
                out.add((label.startsWith("\\") || r.supportsUtf8() ? label : BASE64MailboxDecoder.decode(label)).intern());
            }
        }
        return out;
    }

    /** An unquoted label ({@code \\Inbox}, {@code Work}; UTF-8 once enabled) up to a space or the list's end. */
    private static String bare(FetchResponse r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte b = r.peekByte();
        do {
            bytes.write(r.readByte());
            b = r.peekByte();
        } while (b != ' ' && b != ')' && b != '(' && b != '"' && b != 0 && b != '\r' && b != '\n');
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** {@return the labels of a FETCH response, or null when it has none} */
    @SuppressWarnings("unchecked")
    static Set<String> labelsOf(FetchResponse r) {
        Object labels = r.getExtensionItems().get(LABELS);
        return labels instanceof Set<?> s ? (Set<String>) s : null;
    }
}
