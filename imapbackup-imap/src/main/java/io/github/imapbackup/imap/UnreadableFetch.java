package io.github.imapbackup.imap;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.ParsingException;
import org.eclipse.angus.mail.iap.Response;

/**
 * A FETCH response that Angus cannot parse, said in words a user can act on: which UID, and what
 * the server did (docs/IMAP.md, "Hostile servers"). The commonest cause is a literal that holds
 * more bytes than it announced: the rest runs into the response's syntax. Angus drops such a
 * response; the connection keeps the last few descriptions, by UID, for the error that names the
 * message it could not fetch.
 */
final class UnreadableFetch extends ParsingException {

    private static final long serialVersionUID = 1L;
    private static final Pattern UID = Pattern.compile("\\bUID (\\d+)");
    private static final int KEPT = 64;

    /** The UID the response named, or -1. */
    final long uid;

    private UnreadableFetch(long uid, String message, Throwable cause) {
        super(message, cause);
        this.uid = uid;
    }

    /** {@return the failure to parse {@code r}, described} */
    static UnreadableFetch of(Response r, ParsingException cause) {
        Bytes b = new Bytes(r);
        int lineEnd = b.indexOf("\r\n", 0);
        String first = new String(b.buffer(), 0, lineEnd < 0 ? Math.min(b.size(), 200) : Math.min(lineEnd, 200),
                StandardCharsets.ISO_8859_1);
        Matcher m = UID.matcher(first);
        long uid = m.find() ? Long.parseLong(m.group(1)) : -1;
        String what = "the server sent a FETCH response that cannot be read";
        Matcher literal = Pattern.compile("\\{(\\d{1,9})}$").matcher(first);
        if (lineEnd >= 0 && literal.find()) {
            long n = Long.parseLong(literal.group(1));
            long after = lineEnd + 2 + n;
            if (after < b.size() && b.buffer()[(int) after] != ' ' && b.buffer()[(int) after] != ')') {
                what += ": its literal announced " + n + " bytes but held more (a space or \")\" should follow the "
                        + n + " bytes)";
            }
        }
        return new UnreadableFetch(uid, what + " (it begins \"" + Errors.excerpt(first) + "\")", cause);
    }

    /** The last descriptions of one connection, by UID. */
    static final class Notes {
        private final Map<Long, String> byUid = new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
                return size() > KEPT;
            }
        };

        synchronized void add(UnreadableFetch e) {
            byUid.put(e.uid, e.getMessage());
        }

        /** {@return the description for {@code uid}, or null} */
        synchronized String of(long uid) {
            return byUid.get(uid);
        }
    }

    /** A response's bytes (fields Angus keeps protected); copies nothing. */
    private static final class Bytes extends Response {
        Bytes(Response r) {
            super(r);
        }

        byte[] buffer() {
            return buffer;
        }

        int size() {
            return size;
        }

        int indexOf(String s, int from) {
            byte[] p = s.getBytes(StandardCharsets.ISO_8859_1);
            outer:
            for (int i = from; i + p.length <= size; i++) {
                for (int j = 0; j < p.length; j++) {
                    if (buffer[i + j] != p[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
