package io.github.imapbackup.imap;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxDecoder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailbox names of one account exactly as its server listed them, for names that do not
 * come back the same way through modified UTF-7 (docs/IMAP.md, "Hostile servers"): a server may
 * list a name holding control characters or NUL as they are, or in invalid modified UTF-7
 * ({@code &} unterminated, not base64, ASCII encoded). Angus decodes such a name leniently and
 * would encode it differently when the folder is opened, so the server would not know it; every
 * command then sends the name as the server listed it. Two listed names that decode to the same
 * name are said in a warning: only one of them can be reached by that name.
 */
final class WireNames {

    private static final Logger LOG = LoggerFactory.getLogger(WireNames.class);

    /** Decoded name → the forms the server listed it in. */
    private final Map<String, Set<String>> listed = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /** A decoded name that is not well-formed → the name as listed. */
    private final Map<String, String> malformed = new ConcurrentHashMap<>();

    /**
     * Remembers the name of an untagged LIST, LSUB or XLIST response, read from its bytes by hand:
     * Angus's parser unescapes quoted strings in place, so {@code r} must stay unread.
     */
    void listed(IMAPResponse r) {
        byte[] b = new Bytes(r).copy();
        int i = indexOf(b, ')', 0); // after the attributes
        if (i < 0) {
            return;
        }
        i = skipSpaces(b, i + 1);
        if (i < b.length && b[i] == '"') { // the delimiter
            i += b[i + 1] == '\\' ? 4 : 3;
        } else {
            i += 3; // NIL
        }
        i = skipSpaces(b, i);
        String wire = name(b, i);
        if (wire != null) {
            add(wire);
        }
    }

    /** Reads a mailbox name (quoted, literal or atom) from {@code at}, or returns null. */
    private static String name(byte[] b, int at) {
        if (at >= b.length) {
            return null;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        if (b[at] == '"') {
            for (int i = at + 1; i < b.length && b[i] != '"'; i++) {
                out.write(b[i] == '\\' && i + 1 < b.length ? b[++i] : b[i]);
            }
        } else if (b[at] == '{') {
            int close = indexOf(b, '}', at);
            if (close < 0) {
                return null;
            }
            int n = Integer.parseInt(new String(b, at + 1, close - at - 1, StandardCharsets.US_ASCII).replace("+", ""));
            int from = close + 3;
            out.write(b, from, Math.min(n, b.length - from));
        } else {
            for (int i = at; i < b.length && b[i] != ' ' && b[i] != '\r'; i++) {
                out.write(b[i]);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] b, char c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpaces(byte[] b, int i) {
        while (i < b.length && b[i] == ' ') {
            i++;
        }
        return i;
    }

    /** A response's bytes (fields Angus keeps protected). */
    private static final class Bytes extends Response {
        Bytes(Response r) {
            super(r);
        }

        byte[] copy() {
            return java.util.Arrays.copyOf(buffer, size);
        }
    }

    /** Remembers one name as listed on the wire. */
    void add(String wire) {
        String decoded = BASE64MailboxDecoder.decode(wire);
        String name = wellFormed(decoded) ? decoded : wire;
        if (!name.equals(decoded)) {
            malformed.put(decoded, wire);
        }
        Set<String> forms = listed.computeIfAbsent(name, d -> new CopyOnWriteArraySet<>());
        forms.add(wire);
        if (forms.size() > 1 && warned.add(name)) {
            LOG.warn("the server lists {} folders whose names read the same, \"{}\" (listed as {}): only the one listed"
                    + " as \"{}\" can be backed up; rename the others on the server", forms.size(),
                    Errors.printable(name), forms.stream().map(f -> "\"" + Errors.printable(f) + "\"").toList(),
                    Errors.printable(BASE64MailboxEncoder.encode(name)));
        }
    }

    /**
     * {@return the folder's name for a name as Angus decoded it}: itself, except when the server's
     * modified UTF-7 decodes to a string that is not well-formed UTF-16 (a lone surrogate, which no
     * file or index could keep): then the name as the server listed it.
     */
    String name(String decoded) {
        String wire = wellFormed(decoded) ? null : malformed.get(decoded);
        return wire != null ? wire : decoded;
    }

    /** {@return the name to send for {@code name}: as the server listed it when that differs from its encoding, else null} */
    String wire(String name) {
        Set<String> forms = listed.get(name);
        if (forms == null || forms.size() != 1) {
            return null;
        }
        String wire = forms.iterator().next();
        return wire.equals(BASE64MailboxEncoder.encode(name)) ? null : wire;
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** {@return whether a response is a listing whose name is worth reading} */
    static boolean listing(IMAPResponse r) {
        return r.isUnTagged() && (r.keyEquals("LIST") || r.keyEquals("LSUB") || r.keyEquals("XLIST"));
    }
}
