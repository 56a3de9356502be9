package io.github.imapbackup.testing.imap;

import static io.github.imapbackup.testing.imap.DovecotSupport.accepts;
import static io.github.imapbackup.testing.imap.DovecotSupport.chown;
import static io.github.imapbackup.testing.imap.DovecotSupport.deleteRecursively;
import static io.github.imapbackup.testing.imap.DovecotSupport.freePort;
import static io.github.imapbackup.testing.imap.DovecotSupport.isRoot;
import static io.github.imapbackup.testing.imap.DovecotSupport.makeTraversable;
import static io.github.imapbackup.testing.imap.DovecotSupport.run;
import static io.github.imapbackup.testing.imap.DovecotSupport.sleep;
import static io.github.imapbackup.testing.imap.DovecotSupport.tail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private Dovecot 2.3 IMAP server for interoperability tests and benchmarks, run as a plain child
 * process with its own configuration, state, logs and mail under one temporary directory.
 *
 * <p>As a JUnit extension (one server per test class):
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Dovecot DOVECOT = Dovecot.builder().separator('.').tls(true).user("alice", "secret").build();
 * }</pre>
 *
 * <p>Or standalone: {@code try (Dovecot d = Dovecot.builder().build().start()) { ... }}.
 *
 * <p>Needs {@code /usr/sbin/dovecot} (Debian package {@code dovecot-imapd}) and {@code openssl} for
 * TLS; fails loudly, never skips, when they are missing. When run as root the mail processes run as
 * {@code nobody}, because Dovecot refuses to serve mail as uid 0.
 */
public final class Dovecot implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    /** Password of {@link #trustStorePkcs12()}. */
    public static final String TRUST_STORE_PASSWORD = "changeit";

    /** Where mail is stored on the server side. */
    public enum MailFormat {
        /** {@code maildir:~/Maildir}. */
        MAILDIR,
        /** {@code mbox:~/mail:INBOX=~/inbox}. */
        MBOX
    }

    private static final Path DOVECOT = Path.of(System.getProperty("imapbackup.dovecot", "/usr/sbin/dovecot"));
    private static final Path DOVEADM = Path.of(System.getProperty("imapbackup.doveadm", "/usr/bin/doveadm"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final char separator;
    private final boolean tls;
    private final MailFormat format;
    private final Map<String, String> users;
    private final Path requestedDir;
    private final List<String> extraConfig;
    private final List<String> namespaceConfig;
    private final boolean rawlog;

    private Path dir;
    private boolean ownDir;
    private volatile Process process;
    private Thread shutdownHook;
    private int port;
    private int tlsPort;
    private String mailUser;
    private String mailGroup;

    private Dovecot(Builder b) {
        this.separator = b.separator;
        this.tls = b.tls;
        this.format = b.format;
        this.users = new LinkedHashMap<>(b.users);
        this.requestedDir = b.directory;
        this.extraConfig = List.copyOf(b.extraConfig);
        this.namespaceConfig = List.copyOf(b.namespaceConfig);
        this.rawlog = b.rawlog;
    }

    /** Returns a new builder: separator {@code /}, no TLS, maildir. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the server (idempotent) and waits until it accepts connections.
     *
     * @return this server
     * @throws IllegalStateException if Dovecot is not installed or does not start
     */
    public synchronized Dovecot start() {
        if (process != null) {
            return this;
        }
        if (!Files.isExecutable(DOVECOT) || !Files.isExecutable(DOVEADM)) {
            throw new IllegalStateException(DOVECOT + " or " + DOVEADM + " not found: the interoperability "
                    + "tests need Dovecot 2.3; install it with `apt-get install dovecot-imapd` "
                    + "(or run .ci/dovecot-setup.sh)");
        }
        try {
            prepareDirectory();
            IllegalStateException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                port = freePort();
                tlsPort = tls ? freePort() : -1;
                new DovecotSupport.Config(dir, port, tlsPort, tls, separator, format, mailUser, mailGroup,
                        rawlog, extraConfig, namespaceConfig).write();
                try {
                    launch();
                    return this;
                } catch (IllegalStateException e) {
                    // most likely a port taken between freePort() and bind(): try other ports
                    stopProcess();
                    if (last != null) {
                        e.addSuppressed(last);
                    }
                    last = e;
                }
            }
            throw last;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot prepare Dovecot in " + dir, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Stops the server and deletes its directory (when the harness created it). Idempotent. */
    @Override
    public synchronized void close() {
        stopProcess();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // JVM shutting down already
            }
            shutdownHook = null;
        }
        if (ownDir && dir != null) {
            deleteRecursively(dir);
            dir = null;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Returns the loopback address the server listens on. */
    public String host() {
        return "127.0.0.1";
    }

    /** Returns the plain IMAP port (STARTTLS is offered there when TLS is on). */
    public int port() {
        requireStarted();
        return port;
    }

    /** Returns the implicit-TLS (imaps) port. */
    public int tlsPort() {
        requireStarted();
        if (!tls) {
            throw new IllegalStateException("this Dovecot was built without tls(true)");
        }
        return tlsPort;
    }

    /** Returns the hierarchy separator of the inbox namespace. */
    public char separator() {
        return separator;
    }

    /** Returns the server's directory (configuration, logs, mail). */
    public Path directory() {
        requireStarted();
        return dir;
    }

    /** Returns the server certificate as a PEM file. */
    public Path pemCertificate() {
        requireStarted();
        if (!tls) {
            throw new IllegalStateException("this Dovecot was built without tls(true)");
        }
        return dir.resolve("cert.pem");
    }

    /** Returns a PKCS12 trust store holding the server certificate (password {@value #TRUST_STORE_PASSWORD}). */
    public Path trustStorePkcs12() {
        requireStarted();
        if (!tls) {
            throw new IllegalStateException("this Dovecot was built without tls(true)");
        }
        return dir.resolve("truststore.p12");
    }

    /** Returns the Dovecot log file (useful in assertion messages). */
    public Path logFile() {
        requireStarted();
        return dir.resolve("dovecot.log");
    }

    /**
     * Adds a user (or changes the password). Dovecot sees the change on the next login.
     *
     * @param user the user name
     * @param password the password (scheme PLAIN, so CRAM-MD5 works too)
     * @return this server
     */
    public synchronized Dovecot addUser(String user, String password) {
        if (user.contains(":") || password.contains(":") || user.contains("\n") || password.contains("\n")) {
            throw new IllegalArgumentException("no ':' or line end in user names and passwords");
        }
        users.put(user, password);
        if (process != null) {
            try {
                writeUsers();
                rawlogDirectory(user);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return this;
    }

    /** Returns the password of a user added earlier. */
    public synchronized String password(String user) {
        String p = users.get(user);
        if (p == null) {
            throw new IllegalArgumentException("no such user: " + user);
        }
        return p;
    }

    /**
     * Opens a raw IMAP connection, logged in as {@code user}.
     *
     * @param user a user added earlier
     * @return the client; the caller closes it
     * @throws IOException if the connection or login fails
     */
    public ImapTestClient login(String user) throws IOException {
        ImapTestClient c = ImapTestClient.connect(host(), port());
        try {
            c.login(user, password(user));
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Creates a folder (and its parents) if it does not exist yet.
     *
     * @param user the user
     * @param folder the full folder name with this server's separator
     * @throws IOException on failure
     */
    public void createFolder(String user, String folder) throws IOException {
        try (ImapTestClient c = login(user)) {
            c.createFolder(folder);
        }
    }

    /**
     * Appends one message with exactly these bytes, creating the folder when missing.
     *
     * @param user the user
     * @param folder the folder
     * @param message the exact bytes
     * @param flags flags and keywords, e.g. {@code \Seen}, {@code $Label1}
     * @param internalDate the INTERNALDATE, or null for now
     * @return the UID the server gave the message
     * @throws IOException on failure
     */
    public long append(String user, String folder, byte[] message, Set<String> flags, Instant internalDate)
            throws IOException {
        try (ImapTestClient c = login(user)) {
            c.createFolder(folder);
            return c.append(folder, message, flags, internalDate);
        }
    }

    /**
     * Runs {@code doveadm -c <config> args...} and returns its standard output.
     *
     * @param args the doveadm arguments, e.g. {@code fetch -u alice "uid flags" mailbox INBOX all}
     * @return what doveadm printed
     * @throws IOException if doveadm fails
     */
    public String doveadm(String... args) throws IOException {
        requireStarted();
        List<String> cmd = new ArrayList<>(List.of(DOVEADM.toString(), "-c", dir.resolve("dovecot.conf").toString()));
        cmd.addAll(Arrays.asList(args));
        return run(cmd, null);
    }

    /**
     * Returns every command the user's clients sent after login, in order, without tags (needs
     * {@link Builder#rawlog(boolean)}). Dovecot writes the raw log as it goes; a session that is
     * still open may not be complete. Lines of APPEND literals show up too (as "commands").
     *
     * @param user the user
     * @return the commands, e.g. {@code UID FETCH 1:* (FLAGS) (CHANGEDSINCE 5)}
     * @throws IOException if the log cannot be read
     */
    public List<String> clientCommands(String user) throws IOException {
        if (!rawlog) {
            throw new IllegalStateException("this Dovecot was built without rawlog(true)");
        }
        return DovecotSupport.rawlogCommands(dir.resolve("rawlog").resolve(user));
    }

    /**
     * Deletes the raw logs of a user, so that {@link #clientCommands(String)} shows only what
     * comes next.
     *
     * @param user the user
     * @throws IOException on failure
     */
    public void clearClientCommands(String user) throws IOException {
        Path d = dir.resolve("rawlog").resolve(user);
        try (Stream<Path> list = Files.list(d)) {
            for (Path p : list.toList()) {
                Files.delete(p);
            }
        }
    }

    // ------------------------------------------------------------------ internals

    private void requireStarted() {
        if (process == null) {
            throw new IllegalStateException("Dovecot is not started");
        }
    }

    private void prepareDirectory() throws IOException {
        if (dir == null) {
            if (requestedDir != null) {
                dir = requestedDir;
                Files.createDirectories(dir);
            } else {
                // short path: Dovecot's unix sockets live in base_dir and sun_path is ~108 bytes
                Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
                if (tmp.toString().length() > 40) {
                    tmp = Path.of("/tmp");
                }
                dir = Files.createTempDirectory(tmp, "dovecot-");
                ownDir = true;
            }
        }
        boolean root = isRoot();
        String me = DovecotSupport.currentUser();
        mailUser = root ? "nobody" : me;
        mailGroup = run(root ? List.of("id", "-gn", "nobody") : List.of("id", "-gn"), null).trim();
        // the mail processes (running as mailUser) must reach their homes under dir
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (root) {
            makeTraversable(dir.toAbsolutePath().getParent());
        }
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(dir.resolve("state"));
        if (root) {
            chown(home, mailUser, mailGroup);
        }
        writeUsers();
        for (String u : users.keySet()) {
            rawlogDirectory(u);
        }
        if (tls && !Files.exists(dir.resolve("cert.pem"))) {
            DovecotSupport.writeCertificate(dir, TRUST_STORE_PASSWORD);
        }
    }

    private void rawlogDirectory(String user) throws IOException {
        if (!rawlog) {
            return;
        }
        Path d = Files.createDirectories(dir.resolve("rawlog").resolve(user));
        if (isRoot()) {
            chown(d.getParent(), mailUser, mailGroup);
            chown(d, mailUser, mailGroup);
        }
    }

    private void writeUsers() throws IOException {
        StringBuilder sb = new StringBuilder();
        users.forEach((u, p) -> sb.append(u).append(":{PLAIN}").append(p).append('\n'));
        Path tmp = dir.resolve("passwd.tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("passwd"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private void launch() throws IOException {
        Path log = dir.resolve("dovecot.log");
        Files.deleteIfExists(log); // a failed earlier attempt must not look like this one
        Files.deleteIfExists(dir.resolve("dovecot.out"));
        ProcessBuilder pb = new ProcessBuilder(DOVECOT.toString(), "-F", "-c", dir.resolve("dovecot.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("dovecot.out").toFile());
        process = pb.start();
        if (shutdownHook == null) {
            shutdownHook = new Thread(() -> {
                Process p = process;
                if (p != null) {
                    p.destroy();
                }
            }, "dovecot-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Dovecot exited with status " + process.exitValue() + ": "
                        + tail(dir.resolve("dovecot.out")) + tail(log));
            }
            if (accepts(port) && (!tls || accepts(tlsPort))) {
                sleep(100); // a master failing on a later listener has bound the first ones already
                String out = tail(dir.resolve("dovecot.out")) + tail(log);
                if (!process.isAlive() || out.contains("Fatal:")) {
                    throw new IllegalStateException("Dovecot failed to start: " + out);
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Dovecot did not listen on port " + port + " within "
                        + START_TIMEOUT + ": " + tail(dir.resolve("dovecot.out")) + tail(log));
            }
            sleep(20);
        }
    }

    private void stopProcess() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        p.destroy(); // SIGTERM: the master stops its children
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        // children (imap, auth) die with the master; give them a moment to release the ports
        p.descendants().forEach(ProcessHandle::destroy);
    }

    /** Builds a {@link Dovecot}; nothing starts before {@link Dovecot#start()}. */
    public static final class Builder {

        private char separator = '/';
        private boolean tls;
        private MailFormat format = MailFormat.MAILDIR;
        private final Map<String, String> users = new LinkedHashMap<>();
        private Path directory;
        private final List<String> extraConfig = new ArrayList<>();
        private final List<String> namespaceConfig = new ArrayList<>();
        private boolean rawlog;

        private Builder() { }

        /**
         * Records every IMAP session's traffic (Dovecot {@code rawlog_dir}), for
         * {@link Dovecot#clientCommands(String)}. Off by default: it doubles the disk traffic.
         *
         * @param rawlog whether to
         * @return this builder
         */
        public Builder rawlog(boolean rawlog) {
            this.rawlog = rawlog;
            return this;
        }

        /**
         * Sets the hierarchy separator of the inbox namespace (default {@code /}).
         *
         * @param separator {@code /} or {@code .}
         * @return this builder
         */
        public Builder separator(char separator) {
            if (separator != '/' && separator != '.') {
                throw new IllegalArgumentException("separator must be '/' or '.': " + separator);
            }
            this.separator = separator;
            return this;
        }

        /**
         * Turns TLS on: a generated certificate for localhost/127.0.0.1, an imaps port and STARTTLS.
         *
         * @param tls whether to
         * @return this builder
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Sets how the server stores mail (default maildir).
         *
         * @param format the format
         * @return this builder
         */
        public Builder mailFormat(MailFormat format) {
            this.format = java.util.Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * Adds a user before start.
         *
         * @param user the user name
         * @param password the password
         * @return this builder
         */
        public Builder user(String user, String password) {
            users.put(user, password);
            return this;
        }

        /**
         * Uses this directory instead of a new temporary one (it is then not deleted).
         *
         * @param directory the directory, with a short path
         * @return this builder
         */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * Appends raw lines to the generated {@code dovecot.conf}.
         *
         * @param lines configuration lines
         * @return this builder
         */
        public Builder config(String... lines) {
            extraConfig.addAll(List.of(lines));
            return this;
        }

        /**
         * Adds raw lines inside the inbox namespace block, e.g. a {@code mailbox} section that
         * gives a folder a {@code special_use} attribute.
         *
         * @param lines configuration lines
         * @return this builder
         */
        public Builder namespaceConfig(String... lines) {
            namespaceConfig.addAll(List.of(lines));
            return this;
        }

        /** Returns the (not yet started) server. */
        public Dovecot build() {
            return new Dovecot(this);
        }
    }
}
