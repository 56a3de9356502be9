package io.github.imapbackup.imap;

import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.ListInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens authenticated Angus stores for an {@link ImapSource}: session properties, TLS, login, error mapping. */
final class Connector {

    /** Mechanisms accepted by {@link ImapSource.Builder#authMechanisms}. */
    static final List<String> MECHANISMS = List.of("PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5",
            "XOAUTH2");
    private static final List<String> SASL_MECHANISMS = List.of("CRAM-MD5", "DIGEST-MD5");

    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);

    private final ImapSource source;
    private final AtomicBoolean warned = new AtomicBoolean();
    private final AtomicBoolean searchChecked = new AtomicBoolean();
    /** How often a source's extra connection waits for a login refused as throttled before it gives up. */
    static final int FEWER_AFTER = 2;
    /** The connections of this account now open (logged in, not yet closed). */
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
    private SSLSocketFactory socketFactory;
    /** The account's mailbox names as its server listed them, shared by its connections (see WireNames). */
    private final WireNames names = new WireNames();
    /** The sockets of this account's connections, closed by {@link #closeSockets()}. */
    private final LiveSockets sockets = new LiveSockets();

    Connector(ImapSource source) {
        this.source = source;
    }

    /** {@return the account's mailbox names as its server listed them} */
    WireNames names() {
        return names;
    }

    String where() {
        return source.host() + ":" + source.port();
    }

    /**
     * Closes the sockets of this account's connections open now, so that reads and writes blocked
     * on them end at once (a cancelled run); connections made later are not affected.
     */
    void closeSockets() {
        int closed = sockets.closeAll();
        if (closed > 0) {
            LOG.debug("{}: closed {} connection(s) of a cancelled run", where(), closed);
        }
    }

    ImapConnection connect() throws BackupException {
        if (source.filter().search() != null && !searchChecked.get()) {
            checkSearch();
        }
        GuardedStore store = login(true);
        return new ImapConnection(source, store, store.tally, store.pacer);
    }

    /**
     * Tries the user's search expression on INBOX, on a connection of its own, once per source: an
     * expression the server refuses fails the run before any folder.
     */
    private void checkSearch() throws BackupException {
        try (TargetConnection c = TargetConnection.open(source)) {
            c.select("INBOX", true);
            source.filter().search(new FolderQueries(c::exec, null, where(), "INBOX"), "INBOX", 1, Instant.now());
        }
        searchChecked.set(true);
    }

    /**
     * Opens one authenticated store (one connection), for a source or a target. A login the server
     * refuses as throttled (too many connections, a temporary failure) is tried again after a
     * backoff ({@link Throttling}); its waits are counted in the store's tally. With OAuth2 tokens,
     * a refused access token is refreshed once and the login tried again on a new connection (see
     * {@link OAuth2Tokens}).
     */
    GuardedStore login() throws BackupException {
        return login(false);
    }

    /**
     * {@link #login()}; with {@code fewerIsFine} (a source's connection: the engine opens extra ones
     * only to work in parallel), a login still refused as throttled after {@value #FEWER_AFTER}
     * waits while other connections of this account are open fails, and the run goes on with the
     * connections it has.
     */
    private GuardedStore login(boolean fewerIsFine) throws BackupException {
        WaitTally tally = new WaitTally();
        Throttle.Retry retry = source.throttle().retry(where(), null, "the login", tally);
        for (int waits = 0; ; waits++) {
            try {
                GuardedStore store = authenticate(tally);
                open.incrementAndGet();
                store.loggedIn = true;
                return store;
            } catch (Throttled t) {
                int others = open.get();
                if (fewerIsFine && others > 0 && waits >= FEWER_AFTER) {
                    throw new ConnectionException(where() + ": the server refuses one more connection (\"" + t.text
                            + "\"); going on with the " + others + " open", null);
                }
                retry.await(t.text);
            }
        }
    }

    /** A login refused as throttled, with the server's words. */
    private static final class Throttled extends Exception {
        private static final long serialVersionUID = 1L;
        private final String text;

        Throttled(String text) {
            super(text, null, false, false);
            this.text = text;
        }
    }

    /** Logs in once, refreshing a refused OAuth2 access token once. */
    private GuardedStore authenticate(WaitTally tally) throws BackupException, Throttled {
        OAuth2Tokens tokens = source.oauth2();
        if (tokens == null) {
            char[] chars = source.password().get();
            try {
                return attempt(chars == null ? null : new String(chars), tally);
            } catch (Refused e) {
                throw new AuthenticationException(e.getMessage(), null);
            } finally {
                if (chars != null) {
                    Arrays.fill(chars, '\0');
                }
            }
        }
        String token = token(tokens, null);
        try {
            return attempt(token, tally);
        } catch (Refused first) {
            String fresh = token(tokens, token);
            if (fresh.equals(token)) {
                throw new AuthenticationException(first.getMessage() + " (no other OAuth2 access token to try)", null);
            }
            LOG.debug("{}: the server refused the OAuth2 access token of {}; logging in again with a new one",
                    where(), source.user());
            try {
                return attempt(fresh, tally);
            } catch (Refused second) {
                throw new AuthenticationException(second.getMessage() + " (a new OAuth2 access token was refused"
                        + " too: check that the token's account is " + source.user() + " and that its grant"
                        + " covers IMAP)", null);
            }
        }
    }

    /** Asks for an access token, or a new one in place of {@code rejected}; the failure is an authentication failure. */
    private String token(OAuth2Tokens tokens, String rejected) throws AuthenticationException {
        String token;
        try {
            token = rejected == null ? tokens.accessToken() : tokens.refresh(rejected);
        } catch (IOException | RuntimeException e) {
            throw new AuthenticationException(where() + ": no OAuth2 access token for user " + source.user()
                    + ": " + Errors.scrub(Errors.text(e), rejected), e);
        }
        if (token == null || token.isBlank()) {
            throw new AuthenticationException(where() + ": no OAuth2 access token for user " + source.user()
                    + ": the token source gave an empty one", null);
        }
        return token.strip();
    }

    /** The server refused the credentials: an authentication failure that the caller may retry with a new token. */
    private static final class Refused extends AuthenticationException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null);
        }
    }

    /** Connects and logs in once with this secret. */
    private GuardedStore attempt(String secret, WaitTally tally) throws BackupException, Throttled {
        Properties props = properties();
        Session session = Session.getInstance(props, null);
        boolean ssl = source.security() == Security.TLS;
        GuardedStore store = new GuardedStore(session, ssl, required(), where(), source.fetchSize(), tally,
                source.pacer(tally), open);
        store.names = names;
        try {
            if (secret == null) {
                throw new AuthenticationException(where() + ": no credentials supplied", null);
            }
            LOG.debug("connecting to {}", source.describe());
            store.connect(source.host(), source.port(), source.user(), secret);
            LOG.debug("connected to {}", source.describe());
            return store;
        } catch (AuthenticationFailedException e) {
            closeQuietly(store, e);
            java.util.Optional<String> slowDown = ThrottleSignal.of(e);
            if (slowDown.isPresent()) {
                throw new Throttled(Errors.scrub(slowDown.get(), secret));
            }
            throw new Refused(where() + ": authentication failed for user "
                    + source.user() + ": " + Errors.scrub(Errors.text(e), secret));
        } catch (MessagingException e) {
            closeQuietly(store, e);
            if (Errors.find(e, MechanismMissing.class) != null) {
                throw new AuthenticationException(where() + ": "
                        + Errors.find(e, MechanismMissing.class).getMessage(), null);
            }
            java.util.Optional<String> slowDown = ThrottleSignal.of(e);
            if (slowDown.isPresent()) {
                throw new Throttled(Errors.scrub(slowDown.get(), secret));
            }
            String reason = Errors.closedByPeer(e) && Errors.find(e, ReusingProtocol.NotImapServer.class) == null
                    ? Errors.closedReason(store.loginStarted) : Errors.connectReason(e, source.timeout());
            throw new ConnectionException(where() + ": " + Errors.scrub(reason, secret), e);
        } catch (RuntimeException e) {
            closeQuietly(store, e);
            throw e;
        }
    }

    private static void closeQuietly(IMAPStore store, Exception primary) {
        try {
            store.close();
        } catch (MessagingException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    private List<String> required() {
        if (source.oauth2() != null) {
            return List.of("XOAUTH2");
        }
        if (source.authorizationId() != null) {
            // only PLAIN carries an authorisation identity: LOGIN would act as the administrator
            return List.of("PLAIN");
        }
        return source.authMechanisms();
    }

    private synchronized SSLSocketFactory socketFactory() throws ConnectionException {
        if (socketFactory == null) {
            KeyManager[] keys = null;
            if (source.clientCertificate().isPresent()) {
                try {
                    keys = source.clientCertificate().get().keyManagers();
                } catch (IOException e) {
                    throw new ConnectionException(where() + ": " + e.getMessage(), e);
                }
            }
            socketFactory = TlsSupport.socketFactory(source.trustStore(),
                    source.trustStorePassword(), keys, source.insecure(), where());
        }
        return socketFactory;
    }

    private Properties properties() throws ConnectionException {
        Security security = source.security();
        String p = "mail." + (security == Security.TLS ? "imaps" : "imap") + ".";
        Properties props = new Properties();
        String millis = Long.toString(source.timeout().toMillis());
        props.setProperty(p + "connectiontimeout", millis);
        props.setProperty(p + "timeout", millis);
        props.setProperty(p + "writetimeout", millis);
        props.setProperty(p + "fetchsize", Integer.toString(source.fetchSize()));
        props.setProperty(p + "partialfetch", "true");
        props.setProperty(p + "peek", "true");
        props.setProperty(p + "connectionpoolsize", "1");
        props.put(p + "socketFactory", sockets.plain());
        if (security != Security.NONE) {
            if (source.insecure() && warned.compareAndSet(false, true)) {
                LOG.warn("{}: certificate and host name checks are OFF (insecure); anyone on the"
                        + " path can read the password and the mail", where());
            }
            props.put(p + "ssl.socketFactory", sockets.tls(ReadBufferedSocket.layeringOnBuffered(socketFactory())));
            // Never retry with another factory after a failed handshake.
            props.setProperty(p + "socketFactory.fallback", "false");
            // Host names are checked by the socket factory (endpoint identification, as HTTPS)
            // and once more by Angus.
            props.setProperty(p + "ssl.checkserveridentity", Boolean.toString(!source.insecure()));
        }
        if (security == Security.TLS) {
            props.setProperty(p + "ssl.enable", "true");
        } else if (security == Security.STARTTLS) {
            props.setProperty(p + "starttls.enable", "true");
            props.setProperty(p + "starttls.required", "true");
        }
        List<String> wanted = required();
        List<String> nativeMechs = new ArrayList<>();
        List<String> sasl = new ArrayList<>();
        for (String m : wanted.isEmpty() ? List.of("PLAIN", "LOGIN") : wanted) {
            (SASL_MECHANISMS.contains(m) ? sasl : nativeMechs).add(m);
        }
        props.setProperty(p + "auth.mechanisms", String.join(" ", nativeMechs));
        if (source.authorizationId() != null) {
            props.setProperty(p + "sasl.authorizationid", source.authorizationId());
        }
        if (wanted.contains("XOAUTH2")) {
            props.setProperty(p + "auth.xoauth2.disable", "false");
        }
        if (!sasl.isEmpty()) {
            props.setProperty(p + "sasl.enable", "true");
            props.setProperty(p + "sasl.mechanisms", String.join(" ", sasl));
        }
        return props;
    }

    /** {@return the capabilities a connection announced, sorted} */
    static List<String> capabilities(IMAPProtocol p) {
        return p.getCapabilities().keySet().stream().sorted().toList();
    }

    /** Logs in once and tells what the server says of itself; see {@link ImapSource#probe()}. */
    ImapSource.Probe probe() throws BackupException {
        GuardedStore store = login();
        try {
            IMAPFolder root = (IMAPFolder) store.getDefaultFolder();
            @SuppressWarnings("unchecked")
            List<String> after = (List<String>) root.doCommand(p -> {
                p.capability(); // asked again: not every server repeats them in the login's answer
                return capabilities(p);
            });
            return new ImapSource.Probe(store.greeting, store.capabilitiesBefore, after);
        } catch (MessagingException e) {
            throw Errors.folder(where(), "", -1, "CAPABILITY", e);
        } finally {
            try {
                store.close();
            } catch (MessagingException e) {
                LOG.debug("{}: closing the probe's connection failed", where(), e);
            }
        }
    }

    /** The server offers none of the mechanisms the user asked for. */
    static final class MechanismMissing extends ProtocolException {
        private static final long serialVersionUID = 1L;

        MechanismMissing(String message) {
            super(message);
        }
    }

    /**
     * An IMAPStore that refuses to log in when the server lacks every required mechanism, whose
     * connections are {@link ReusingProtocol}s and whose folders {@link VanishedSafeFolder}s.
     */
    static final class GuardedStore extends IMAPStore {
        private final List<String> required;
        private final String where;
        private final int fetchSize;
        /** The connection's waits: its login's backoff, and the rate caps' pacing. */
        final WaitTally tally;
        /** The rate caps, or null. */
        final Pacer pacer;
        /** The account's mailbox names as its server listed them (see WireNames). */
        volatile WireNames names;
        /** The account's count of open connections, lowered once when this one closes after its login. */
        private final java.util.concurrent.atomic.AtomicInteger open;
        private final AtomicBoolean counted = new AtomicBoolean(true);

        GuardedStore(Session session, boolean ssl, List<String> required, String where, int fetchSize,
                WaitTally tally, Pacer pacer, java.util.concurrent.atomic.AtomicInteger open) {
            super(session, null, ssl ? "imaps" : "imap", ssl);
            this.open = open;
            this.required = required;
            this.where = where;
            this.fetchSize = fetchSize;
            this.tally = tally;
            this.pacer = pacer;
        }

        @Override
        public synchronized void close() throws MessagingException {
            try {
                super.close();
            } finally {
                if (loggedIn && counted.compareAndSet(true, false)) {
                    open.decrementAndGet();
                }
            }
        }

        /** Set once the login succeeded and the account's count was raised for this connection. */
        volatile boolean loggedIn;

        @Override
        protected IMAPFolder newIMAPFolder(String fullName, char separator, Boolean isNamespace) {
            return new VanishedSafeFolder(fullName, separator, this, isNamespace);
        }

        @Override
        protected IMAPFolder newIMAPFolder(ListInfo li) {
            return new VanishedSafeFolder(li, this);
        }

        @Override
        protected IMAPProtocol newIMAPProtocol(String host, int port) throws IOException, ProtocolException {
            ReusingProtocol p = new ReusingProtocol(name, host, port, session.getProperties(), isSSL, logger, fetchSize);
            p.pacer = pacer;
            p.names = names;
            return p;
        }

        /** Set once the server has greeted and the login begins (for messages about a closed connection). */
        volatile boolean loginStarted;
        /** The greeting line and the capabilities before login, for {@link ImapSource#probe()}. */
        volatile String greeting = "";
        volatile List<String> capabilitiesBefore = List.of();

        @Override
        protected void preLogin(IMAPProtocol p) throws ProtocolException {
            loginStarted = true;
            greeting = p instanceof ReusingProtocol r && r.greeting != null ? r.greeting : "";
            capabilitiesBefore = capabilities(p);
            if (required.isEmpty()) {
                return;
            }
            for (String m : required) {
                if (p.hasCapability("AUTH=" + m) || (m.equals("LOGIN") && p.hasCapability("AUTH-LOGIN"))) {
                    return;
                }
            }
            List<String> offered = new ArrayList<>();
            for (String key : p.getCapabilities().keySet()) {
                if (key.startsWith("AUTH=")) {
                    offered.add(key.substring(5));
                }
            }
            LOG.debug("{}: server offers {}, wanted {}", where, offered, required);
            throw new MechanismMissing("the server offers none of the authentication mechanisms "
                    + String.join(", ", required) + " (it offers: "
                    + (offered.isEmpty() ? "none" : String.join(", ", offered)) + ")");
        }
    }
}
