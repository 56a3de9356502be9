package io.github.imapbackup.imap.bench;

import io.github.imapbackup.testing.imap.Dovecot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps a private Dovecot with a generated account running, for timing the command line program's
 * fixed costs by hand (a program, not a test; docs/benchmarks-imap.md, "Start-up and memory (issue
 * 13)"). Arguments: {@code WORK_DIR MESSAGES FOLDERS SCALE}. Loads the account on the first start
 * into {@code WORK_DIR/dovecot} (kept on later starts), writes {@code WORK_DIR/server.env} (ports,
 * certificate, password file) and waits until it is killed.
 */
public final class StartupServer {

    private StartupServer() { }

    /**
     * Starts the server.
     *
     * @param args work directory, messages, folders, size factor
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int messages = Integer.parseInt(args[1]);
        int folders = Integer.parseInt(args[2]);
        double scale = Double.parseDouble(args[3]);
        Path loaded = work.resolve("loaded");
        Files.createDirectories(work);
        try (Dovecot dovecot = Dovecot.builder().separator('/').user("bench", "bench-password").tls(true)
                .directory(work.resolve("dovecot")).build().start()) {
            if (!Files.exists(loaded)) {
                long bytes = new BenchmarkAccount(42, messages, folders, scale).load(dovecot, "bench", 2);
                Files.writeString(loaded, messages + " messages, " + bytes + " bytes\n");
            }
            Path password = work.resolve("password");
            Files.writeString(password, "bench-password", StandardCharsets.UTF_8);
            Files.writeString(work.resolve("server.env"), "PORT=" + dovecot.port() + "\nTLS_PORT="
                    + dovecot.tlsPort() + "\nCERT=" + dovecot.pemCertificate() + "\nPASSWORD_FILE=" + password
                    + "\n", StandardCharsets.UTF_8);
            System.out.println("ready: " + Files.readString(work.resolve("server.env")));
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
