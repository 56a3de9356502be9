package io.github.imapbackup.imap.bench;

import io.github.imapbackup.testing.imap.Dovecot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Loads the benchmark account into a private Dovecot and keeps it running until killed, so that
 * the shipped jar can be timed against it by hand (a program, not a test; see
 * docs/benchmarks-imap.md, "CPU per gigabyte"). Arguments: {@code WORK [MESSAGES [FOLDERS [SEED]]]};
 * prints the port and writes the password to {@code WORK/password} (mode 600).
 */
public final class BenchmarkServer {

    private BenchmarkServer() { }

    /**
     * Runs the server.
     *
     * @param args work directory, then optionally messages, folders, seed
     * @throws Exception when Dovecot cannot start or the load fails
     */
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 8000;
        int folders = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
        Files.createDirectories(work);
        BackupBenchmark.deleteRecursively(work.resolve("dovecot"));
        BenchmarkAccount account = new BenchmarkAccount(seed, messages, folders, 1.0);
        String password = "bench-" + Long.toHexString(seed);
        try (Dovecot dovecot = Dovecot.builder().separator('/').user("bench", password)
                .directory(work.resolve("dovecot")).build().start()) {
            long bytes = account.load(dovecot, "bench", 2);
            Path pw = work.resolve("password");
            Files.deleteIfExists(pw);
            Files.createFile(pw, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(pw, password, StandardCharsets.UTF_8);
            System.out.printf("port %d user bench bytes %d messages %d%n", dovecot.port(), bytes, messages);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
