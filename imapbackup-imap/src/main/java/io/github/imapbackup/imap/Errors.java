package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import jakarta.mail.FolderClosedException;
import jakarta.mail.StoreClosedException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.iap.ProtocolException;

/** Maps Angus and socket failures to imapbackup exceptions with short, secret-free messages. */
final class Errors {

    static final String UNTRUSTED_HINT = "use --trust-store or, at your own risk, --insecure";

    private Errors() { }

    /** Returns the first throwable of the given type in the cause chain, or null. */
    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /**
     * Returns the message of the throwable, or of its first cause that has one. Angus's synthetic
     * {@code * BYE Jakarta Mail Exception: java.io...} (a connection that broke) is said in words.
     */
    static String text(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return printable(plain(c.getMessage().strip()));
            }
        }
        return t.getClass().getSimpleName();
    }

    /** Returns the text with control characters as {@code \xHH}: a server's words never drive the terminal. */
    static String printable(String text) {
        return escape(text, c -> c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0));
    }

    /** What Angus puts in a message when the connection broke (its synthetic BYE response). */
    private static final String SYNTHETIC_BYE = "* BYE Jakarta Mail Exception: ";

    /** Says Angus's synthetic BYE in words (Angus copies its text into exceptions without a cause). */
    private static String plain(String message) {
        if (!message.startsWith(SYNTHETIC_BYE)) {
            return message;
        }
        String rest = message.substring(SYNTHETIC_BYE.length());
        if (rest.contains("Connection dropped by server")) {
            return "the server closed the connection";
        }
        if (rest.contains("SocketTimeoutException")) {
            return "the server did not answer in time (--timeout)";
        }
        String why = rest.replaceFirst("^[\\w.$]+(Exception|Error):? ?", "").strip();
        return "the connection broke" + (why.isEmpty() ? "" : ": " + why);
    }

    /** Removes a secret from a text (a server may echo what it was sent). */
    static String scrub(String text, String secret) {
        if (text == null || secret == null || secret.length() < 3) {
            return text;
        }
        return text.replace(secret, "***");
    }

    /** How much of what a peer sent a message shows. */
    static final int EXCERPT = 80;

    /**
     * Returns the start of a text a peer sent, safe for a terminal: at most {@value #EXCERPT}
     * characters, control and non-ASCII characters as {@code \xHH} (each char taken as one byte,
     * as Angus decodes responses), and an ellipsis when cut.
     */
    static String excerpt(String raw) {
        String text = raw.endsWith("\r\n") ? raw.substring(0, raw.length() - 2) : raw;
        int n = Math.min(text.length(), EXCERPT);
        String shown = escape(text.substring(0, n), c -> c >= 0x20 && c < 0x7f && c != '\\' && c != '"');
        return text.length() > n ? shown + "..." : shown;
    }

    /** Returns the text with every character that {@code keep} refuses as {@code \xHH} (its low byte). */
    private static String escape(String text, java.util.function.IntPredicate keep) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (keep.test(c)) {
                sb.append(c);
            } else {
                sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", c & 0xff));
            }
        }
        return sb.toString();
    }

    /** Returns whether the peer closed the connection (Angus's synthetic BYE, or an end of stream). */
    static boolean closedByPeer(Throwable e) {
        ProtocolException p = find(e, ProtocolException.class);
        if (p != null && p.getResponse() != null && p.getResponse().isSynthetic()) {
            Exception broke = p.getResponse().getException();
            return broke == null || !(broke instanceof SocketTimeoutException) && closedByPeer(broke);
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.io.EOFException
                    || c instanceof java.io.IOException && "Connection dropped by server?".equals(c.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** Explains a connection the server closed: during login, or before it greeted. */
    static String closedReason(boolean atLogin) {
        return atLogin
                ? "the server closed the connection during login (check the user name and password, that the"
                    + " account may use IMAP, and that the server does not limit connections from this address;"
                    + " its log says why)"
                : "the server closed the connection before it greeted (check --port and --security: with"
                    + " --security tls the port must speak TLS at once, as 993 does; or the server limits"
                    + " connections from this address)";
    }

    /** Explains why a connection could not be made. */
    static String connectReason(Throwable e, Duration timeout) {
        ReusingProtocol.NotImapServer notImap = find(e, ReusingProtocol.NotImapServer.class);
        if (notImap != null) {
            return notImap.getMessage();
        }
        ProtocolException bye = find(e, ProtocolException.class);
        if (bye != null && bye.getResponse() != null && bye.getResponse().isBYE()
                && !bye.getResponse().isSynthetic()) {
            return "the server refused the connection: \"" + excerpt(bye.getResponse().getRest()) + "\"";
        }
        CertificateException cert = find(e, CertificateException.class);
        if (find(e, CertPathBuilderException.class) != null
                || find(e, CertPathValidatorException.class) != null) {
            Throwable detail = find(e, CertPathValidatorException.class);
            String why = detail != null ? ": " + text(detail) : "";
            return "certificate not trusted" + why + " (" + UNTRUSTED_HINT + ")";
        }
        if (cert != null && cert.getMessage() != null
                && (cert.getMessage().contains("No subject alternative")
                    || cert.getMessage().contains("No name matching"))) {
            String why = cert.getMessage().strip();
            if (why.endsWith(".")) {
                why = why.substring(0, why.length() - 1);
            }
            return "certificate does not match the host name (" + why + "; connect with a name"
                    + " the certificate lists or, at your own risk, use --insecure)";
        }
        if (cert != null) {
            return "certificate rejected: " + text(cert) + " (" + UNTRUSTED_HINT + ")";
        }
        SSLException ssl = find(e, SSLException.class);
        if (ssl != null && text(ssl).contains("Unsupported or unrecognized SSL message")) {
            return "the server does not speak TLS on this port (with --security tls use the IMAPS port, usually"
                    + " 993; on port 143 use --security starttls)";
        }
        if (ssl != null) {
            return "TLS handshake failed: " + text(ssl);
        }
        if (find(e, UnknownHostException.class) != null) {
            return "unknown host";
        }
        if (find(e, SocketTimeoutException.class) != null) {
            return "timed out after " + seconds(timeout);
        }
        if (find(e, NoRouteToHostException.class) != null) {
            return "no route to host";
        }
        if (find(e, ConnectException.class) != null) {
            return "connection refused (" + text(find(e, ConnectException.class)) + ")";
        }
        String msg = text(e);
        if (msg.contains("STARTTLS")) {
            return "the server does not offer STARTTLS, which is required (no silent downgrade)";
        }
        if (find(e, SocketException.class) != null) {
            return "connection failed: " + text(find(e, SocketException.class));
        }
        return msg;
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /** Returns whether the failure means the connection is gone. */
    static boolean connectionLost(Throwable e) {
        return find(e, FolderClosedException.class) != null
                || find(e, StoreClosedException.class) != null
                || find(e, org.eclipse.angus.mail.iap.ConnectionException.class) != null
                || find(e, SocketException.class) != null
                || find(e, InterruptedIOException.class) != null;
    }

    /**
     * Maps a failure during work in a folder.
     *
     * @param where host:port
     * @param folder the folder name
     * @param uid the message UID, or -1
     * @param what the operation, e.g. "UID FETCH"
     */
    static BackupException folder(String where, String folder, long uid, String what, Throwable e) {
        if (connectionLost(e)) {
            return new ConnectionException(where + ": connection lost during " + what
                    + " in folder \"" + folder + "\"" + (uid > 0 ? " (UID " + uid + ")" : "")
                    + ": " + text(e), e);
        }
        String msg = ResponseCodes.failed(what, e);
        if (folder.isEmpty()) {
            return new BackupException(where + ": " + msg, e);
        }
        return uid > 0 ? new FolderException(folder, uid, msg, e)
                : new FolderException(folder, msg, e);
    }
}
