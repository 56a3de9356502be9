package io.github.imapbackup.mbox.bench;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.commons.io.file.PathUtils;

/**
 * Benchmark of the mbox store (a program, never a test). Measures that opening and appending to a
 * big compressed archive costs the same as to an empty one (the store never scans the mbox at
 * open), and the per-message append cost with and without a 100k-entry index.
 *
 * <p>Run from the repository root after {@code mvn -o -q -pl imapbackup-mbox -am test-compile}:
 * <pre>
 * java -cp "imapbackup-mbox/target/test-classes:imapbackup-mbox/target/classes:imapbackup-api/target/classes:$(cat /tmp/cp.txt)" \
 *     io.github.imapbackup.mbox.bench.StoreBenchmark [work-dir] [big-archive-MB]
 * </pre>
 * where {@code /tmp/cp.txt} comes from {@code mvn -o -q -pl imapbackup-mbox dependency:build-classpath
 * -Dmdep.outputFile=/tmp/cp.txt}. Defaults: a temporary directory and 1024 MB.
 */
public final class StoreBenchmark {

    private static final FolderInfo FOLDER = new FolderInfo("Bench/Folder", "/", Set.of(), true);
    private static final Instant DATE = Instant.parse("2026-11-21T23:39:50Z");

    /** Identity from a counter: the benchmark measures the store, not header parsing. */
    private static final MessageIdExtractor IDS = new MessageIdExtractor() {
        @Override
        public MessageIdentity identify(InputStream message) {
            return new MessageIdentity("syn:bench");
        }

        @Override
        public Optional<String> messageId(InputStream header) {
            return Optional.empty();
        }
    };

    private StoreBenchmark() { }

    /**
     * Runs the benchmark.
     *
     * @param args optional work directory and size of the big archive in MB
     * @throws IOException if a file operation fails
     */
    public static void main(String[] args) throws IOException {
        Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("store-bench");
        long bigMb = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "work directory %s, big archive %d MB%n", work, bigMb);
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "| %-52s | %14s | %10s | %10s | %10s | %10s |%n", "case (median of "
                + ROUNDS + " rounds)", "archive before", "open ms", "append ms", "µs/message", "CPU µs/msg"));
        table.append("|---|---:|---:|---:|---:|---:|\n");

        for (CompressionCodec codec : new CompressionCodec[] {Codecs.GZIP, Codecs.byName("zstd")}) {
            if (!codec.isAvailable()) {
                System.out.println(codec.name() + " not available; skipped");
                continue;
            }
            Path empty = work.resolve("empty-" + codec.name());
            Path big = work.resolve("big-" + codec.name());
            long t0 = System.nanoTime();
            long bigMessages = fillToSize(big, codec, bigMb << 20);
            System.out.printf(Locale.ROOT, "%s archive: %d messages added, %d bytes on disk (%.1f s)%n",
                    codec.name(), bigMessages, mboxSize(big, codec), (System.nanoTime() - t0) / 1e9);
            Path warm = work.resolve("warm");
            clean(warm);
            for (int i = 0; i < 3; i++) {
                appendRun(warm, codec, 1000, 1000);
            }
            clean(warm);
            long[][] e = new long[ROUNDS][];
            long[][] b = new long[ROUNDS][];
            long bigBefore = mboxSize(big, codec);
            for (int round = 0; round < ROUNDS; round++) {
                clean(empty);
                e[round] = appendRun(empty, codec, 1000, 1000);
                b[round] = appendRun(big, codec, 1000, 1000);
            }
            row(table, codec.name() + ": open, append 1000, commit, close; empty", 0, e, 1000);
            row(table, codec.name() + ": open, append 1000, commit, close; 1 GB", bigBefore, b, 1000);
        }

        Path plain = work.resolve("index-100k");
        Path fresh = work.resolve("index-0");
        clean(plain);
        appendRun(plain, Codecs.NONE, 100_000, 10_000);
        long indexBefore = Files.size(indexFile(plain));
        long[][] e = new long[ROUNDS][];
        long[][] b = new long[ROUNDS][];
        for (int round = 0; round < ROUNDS; round++) {
            clean(fresh);
            e[round] = appendRun(fresh, Codecs.NONE, 10_000, 1000);
            b[round] = appendRun(plain, Codecs.NONE, 10_000, 1000);
        }
        long[][] load = new long[ROUNDS][];
        for (int round = 0; round < ROUNDS; round++) {
            long c = cpu();
            long t = System.nanoTime();
            int n = count(plain);
            load[round] = new long[] {System.nanoTime() - t, cpu() - c, n};
        }
        row(table, "none: open, append 10000 (commit per 1000); empty index", 0, e, 10_000);
        row(table, "none: open, append 10000 (commit per 1000); 100k+ index", indexBefore, b, 10_000);
        System.out.println();
        System.out.printf(Locale.ROOT, "index entries at the end: %d; load average %s%n", count(plain), loadAverage());
        System.out.print(table);
        System.out.printf(Locale.ROOT, "%nread-only open + messages() of a %d-entry index: median %.1f ms wall,"
                + " %.1f ms CPU (whole process, GC included)%n", load[0][2], median(load, 0) / 1e6, median(load, 1) / 1e6);
        if (args.length == 0) {
            PathUtils.deleteDirectory(work);
        }
    }

    private static final int ROUNDS = 5;

    private static long cpu() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long median(long[][] runs, int column) {
        long[] v = new long[runs.length];
        for (int i = 0; i < runs.length; i++) {
            v[i] = runs[i][column];
        }
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }

    private static void row(StringBuilder table, String what, long before, long[][] runs, int messages) {
        long open = median(runs, 0);
        long append = median(runs, 1);
        table.append(String.format(Locale.ROOT, "| %-52s | %14s | %10.1f | %10.1f | %10.1f | %10.1f |%n", what,
                before == 0 ? "empty" : String.format(Locale.ROOT, "%.1f MB", before / 1048576.0),
                open / 1e6, append / 1e6, append / 1e3 / messages, median(runs, 2) / 1e3 / messages));
    }

    private static MboxStore store(Path root, CompressionCodec codec) {
        return MboxStore.builder(root).codec(codec).build();
    }

    private static Path indexFile(Path root) {
        return root.resolve("Bench/Folder.mbox.index");
    }

    private static long mboxSize(Path root, CompressionCodec codec) throws IOException {
        return Files.size(root.resolve("Bench/Folder.mbox" + codec.suffix()));
    }

    private static int count(Path root) throws IOException {
        try (FolderArchive a = store(root, Codecs.NONE).openReadOnly(FOLDER).orElseThrow()) {
            return a.messages().size();
        }
    }

    private static void clean(Path dir) throws IOException {
        if (Files.exists(dir)) {
            PathUtils.deleteDirectory(dir);
        }
    }

    private static byte[] smallMessage(int n) {
        return ("Message-ID: <" + n + "@bench>\r\nSubject: message " + n + "\r\n\r\n"
                + ("body line of message " + n + "\r\n").repeat(100)).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Opens, appends {@code n} small messages committing every {@code batch}, closes; returns the
     * nanoseconds of the open (with {@code messages()}), of everything after it, and the process
     * CPU time of everything after it.
     */
    private static long[] appendRun(Path root, CompressionCodec codec, int n, int batch) throws IOException {
        long t = System.nanoTime();
        long opened;
        long cpuOpened;
        try (FolderArchive a = store(root, codec).open(FOLDER, IDS)) {
            int base = a.messages().size();
            opened = System.nanoTime();
            cpuOpened = cpu();
            for (int i = 0; i < n; i++) {
                byte[] m = smallMessage(base + i);
                a.append(new FolderArchive.NewMessage(1, base + i + 1, new MessageIdentity("mid:<" + i + "@b>"),
                        m.length, DATE, Set.of("\\Seen"), "bench@example.org"), new ByteArrayInputStream(m));
                if ((i + 1) % batch == 0) {
                    a.commit();
                }
            }
        }
        return new long[] {opened - t, System.nanoTime() - opened, cpu() - cpuOpened};
    }

    /** Appends messages of ~1 MB of random base64 until the compressed file reaches {@code bytes}. */
    private static long fillToSize(Path root, CompressionCodec codec, long bytes) throws IOException {
        Random rnd = new Random(42);
        byte[] raw = new byte[768 * 1024];
        long n = 0;
        MboxStore store = store(root, codec);
        while (!Files.exists(root.resolve("Bench/Folder.mbox" + codec.suffix())) || mboxSize(root, codec) < bytes) {
            try (FolderArchive a = store.open(FOLDER, IDS)) {
                for (int i = 0; i < 64; i++) {
                    rnd.nextBytes(raw);
                    byte[] body = Base64.getMimeEncoder().encode(raw);
                    byte[] head = ("Message-ID: <big" + n + "@bench>\r\nSubject: big\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                    byte[] m = new byte[head.length + body.length + 2];
                    System.arraycopy(head, 0, m, 0, head.length);
                    System.arraycopy(body, 0, m, head.length, body.length);
                    m[m.length - 2] = '\r';
                    m[m.length - 1] = '\n';
                    a.append(new FolderArchive.NewMessage(1, ++n, new MessageIdentity("mid:<big" + n + "@b>"),
                            m.length, DATE, Set.of(), null), new ByteArrayInputStream(m));
                }
            }
        }
        return n;
    }
}
