package io.github.imapbackup.imap.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code java -jar imapbackup.jar backup ...} exactly as users run it, for {@link BackupBenchmark}:
 * a cold JVM without options (so through the program's launcher and its worker JVM), the password
 * from a file ({@code --password-file}), the counters from its {@code --report}; wall time, CPU of
 * both processes and their peak RSS from {@link CliRestore} and {@code TimedRun}.
 */
final class JarBackup {

    private final CliRestore cli;
    private final String user;
    private final Path passwordFile;
    private final Path pem;
    private final Integer connections;
    private final Path work;

    /**
     * @param jar the shipped jar
     * @param user the user
     * @param passwordFile a 0600 file holding the password
     * @param pem the server's certificate for implicit TLS ({@code --security tls --trust-store}), or
     *     null for {@code --security none}
     * @param connections {@code --connections}, or null for the program's default
     * @param work where the output, report and time files go
     */
    JarBackup(Path jar, String user, Path passwordFile, Path pem, Integer connections, Path work) {
        this.cli = new CliRestore(jar);
        this.user = user;
        this.passwordFile = passwordFile;
        this.pem = pem;
        this.connections = connections;
        this.work = work;
    }

    /**
     * Runs one backup.
     *
     * @param link names the link in the row
     * @param run names the run in the row
     * @param kind what the row is compared with
     * @param host the server (or its link)
     * @param port the port
     * @param dir the backup directory
     * @param codec {@code --compress}, or null
     * @param label names the output files
     * @return the row
     * @throws IOException if the program cannot run or writes no report
     */
    BenchRow run(String link, String run, BenchRow.Kind kind, String host, int port, Path dir, String codec,
            String label) throws IOException {
        List<String> args = new ArrayList<>(List.of("--host", host, "--port", Integer.toString(port), "--security",
                pem == null ? "none" : "tls", "--user", user, "--password-file", passwordFile.toString(),
                "--dir", dir.toString()));
        if (pem != null) {
            args.addAll(List.of("--trust-store", pem.toString()));
        }
        if (connections != null) {
            args.addAll(List.of("--connections", connections.toString()));
        }
        if (codec != null) {
            args.addAll(List.of("--compress", codec));
        }
        CliRestore.Result r = cli.run("backup", args, work, label);
        String notes = String.format(Locale.ROOT, "exit %d, run %.3f s (report), %s", r.exit(), r.runSeconds(),
                r.rss());
        return new BenchRow(link, run, kind, r.wallSeconds(), r.bytes(), r.copied(), r.cpuSeconds(), r.peakRssKb(),
                notes);
    }

    /**
     * Says why the jar cannot run a backup.
     *
     * @return the reason, or empty
     * @throws IOException if java cannot be started
     */
    java.util.Optional<String> unavailable() throws IOException {
        return cli.unavailable(work, "backup", "--dir");
    }
}
