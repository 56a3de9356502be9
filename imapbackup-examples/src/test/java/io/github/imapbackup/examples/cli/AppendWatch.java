package io.github.imapbackup.examples.cli;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy in front of an IMAP target that follows the APPEND commands passing through it
 * (literals included, MULTIAPPEND too): how many literal bytes of APPENDs clients have sent, which
 * APPENDs await their tagged reply, how many were answered. For a kill harness to aim at an APPEND
 * in flight and to tell afterwards what a kill hit. Passes every byte on unchanged.
 */
final class AppendWatch implements Closeable {

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}$");
    private static final Pattern APPEND = Pattern.compile("^(\\S+) (?:UID )?APPEND ", Pattern.CASE_INSENSITIVE);

    private final CountingProxy proxy;
    private final AtomicLong appendBytes = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    /** APPENDs sent but not answered (connection:tag); one is taken as sent when its first line is. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    /** APPENDs whose literal is being sent now (connection:tag). */
    private final Set<String> inLiteral = ConcurrentHashMap.newKeySet();
    /** The parsers of each connection and direction. */
    private final Map<String, Parser> parsers = new ConcurrentHashMap<>();

    AppendWatch(int targetPort) throws IOException {
        this.proxy = new CountingProxy(targetPort, new CountingProxy.Tap() {
            @Override
            public void seen(int connection, boolean fromClient, byte[] bytes, int n) {
                parser(connection, fromClient).feed(bytes, n);
            }

            @Override
            public void ended(int connection, boolean fromClient) {
                parser(connection, fromClient).ended();
            }
        });
    }

    private Parser parser(int connection, boolean fromClient) {
        return parsers.computeIfAbsent(connection + (fromClient ? "c" : "s"),
                k -> new Parser(fromClient, Integer.toString(connection)));
    }

    int port() {
        return proxy.port();
    }

    /** Literal bytes of APPEND commands that clients have sent. */
    long appendBytes() {
        return appendBytes.get();
    }

    /** APPEND commands answered (OK, NO or BAD). */
    long answered() {
        return answered.get();
    }

    /** Where the APPENDs stand now: a literal in flight, a reply awaited, or none pending. */
    String state() {
        if (!inLiteral.isEmpty()) {
            return "APPEND literal";
        }
        if (!pending.isEmpty()) {
            return "APPEND awaiting reply";
        }
        return answered.get() == 0 && appendBytes.get() == 0 ? "before the first APPEND" : "between APPENDs";
    }

    /** Lines and literals of one direction. */
    private final class Parser {
        private final boolean client;
        private final String connection;
        private final StringBuilder line = new StringBuilder();
        private long literal;
        /** The APPEND whose lines and literals are passing now (client side), or null. */
        private String appendTag;

        Parser(boolean client, String connection) {
            this.client = client;
            this.connection = connection;
        }

        void feed(byte[] b, int n) {
            for (int i = 0; i < n; i++) {
                if (literal > 0) {
                    long take = Math.min(literal, n - i);
                    literal -= take;
                    if (appendTag != null) {
                        appendBytes.addAndGet(take);
                        if (literal == 0) {
                            inLiteral.remove(appendTag);
                        }
                    }
                    i += (int) take - 1;
                    continue;
                }
                if (b[i] == '\n') {
                    line(line.toString().strip());
                    line.setLength(0);
                } else if (line.length() < 4096) {
                    line.append((char) (b[i] & 0xff));
                }
            }
        }

        private void line(String text) {
            if (client) {
                Matcher a = APPEND.matcher(text);
                if (appendTag == null && a.find()) {
                    appendTag = connection + ":" + a.group(1);
                    pending.add(appendTag);
                }
            } else {
                int space = text.indexOf(' ');
                if (space > 0 && pending.remove(connection + ":" + text.substring(0, space))) {
                    answered.incrementAndGet();
                }
            }
            Matcher m = LITERAL.matcher(text);
            if (m.find()) {
                literal = Long.parseLong(m.group(1));
                if (appendTag != null && literal > 0) {
                    inLiteral.add(appendTag);
                }
            } else {
                appendTag = null; // the command's last line
            }
        }

        /** The connection is gone: what it had pending will never be answered. */
        void ended() {
            pending.removeIf(t -> t.startsWith(connection + ":"));
            inLiteral.removeIf(t -> t.startsWith(connection + ":"));
        }
    }

    @Override
    public void close() throws IOException {
        proxy.close();
    }

    @Override
    public String toString() {
        return "AppendWatch: " + state() + ", " + appendBytes()
                + " APPEND bytes, " + answered() + " answered";
    }
}
