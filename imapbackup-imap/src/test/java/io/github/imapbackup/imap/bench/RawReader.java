package io.github.imapbackup.imap.bench;

import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw readers of {@link BackupBenchmark}: one plain connection that reads every message and
 * discards the bytes as they arrive; what a client that writes and hashes nothing reaches.
 */
final class RawReader {

    private static final int CHUNK = 1 << 20;

    /**
     * One read of the account.
     *
     * @param bytes message bytes read
     * @param nanos wall time
     * @param cpuNanos CPU time of the reading thread (user + system)
     */
    record Result(long bytes, long nanos, long cpuNanos) { }

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final List<String> folders;

    /**
     * @param host the server (or the link in front of it)
     * @param port its plain IMAP port
     * @param user the user
     * @param password the password
     * @param folders the folders to read
     */
    RawReader(String host, int port, String user, String password, List<String> folders) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.folders = List.copyOf(folders);
    }

    /** {@return a read with one {@code UID FETCH 1:* (BODY.PEEK[])} per folder} @throws IOException on failure */
    Result read() throws IOException {
        return measure(c -> {
            long bytes = 0;
            for (String f : folders) {
                bytes += c.fetchAllDiscarding(f);
            }
            return bytes;
        });
    }

    /**
     * {@return a read with the request shape of {@code ImapSource} before batching: one
     * {@code UID FETCH n (UID BODY.PEEK[]<o.1048576>)} per message chunk, one after the other}
     *
     * @throws IOException on failure
     */
    Result readPerMessage() throws IOException {
        return measure(c -> {
            long bytes = 0;
            for (String f : folders) {
                c.examine(f);
                for (long uid : uids(c)) {
                    for (long offset = 0; ; offset += CHUNK) {
                        long n = c.commandDiscardingLiterals(
                                "UID FETCH " + uid + " (UID BODY.PEEK[]<" + offset + "." + CHUNK + ">)");
                        bytes += n;
                        if (n < CHUNK) {
                            break;
                        }
                    }
                }
            }
            return bytes;
        });
    }

    /** Reads over one logged-in connection; returns the bytes. */
    private interface Read {
        long read(ImapTestClient c) throws IOException;
    }

    private Result measure(Read read) throws IOException {
        long t0 = System.nanoTime();
        long c0 = threadCpuNanos();
        long bytes;
        try (ImapTestClient c = ImapTestClient.connect(host, port)) {
            c.login(user, password);
            bytes = read.read(c);
        }
        return new Result(bytes, System.nanoTime() - t0, threadCpuNanos() - c0);
    }

    private static List<Long> uids(ImapTestClient c) throws IOException {
        List<Long> uids = new ArrayList<>();
        for (ImapTestClient.Response r : c.command("UID SEARCH ALL")) {
            if (r.text().startsWith("* SEARCH")) {
                for (String u : r.text().substring(8).trim().split(" +")) {
                    if (!u.isEmpty()) {
                        uids.add(Long.parseLong(u));
                    }
                }
            }
        }
        return uids;
    }

    /** {@return the user + system CPU of this thread (Linux, 10 ms ticks), or 0} */
    private static long threadCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0; // not Linux
        }
    }
}
