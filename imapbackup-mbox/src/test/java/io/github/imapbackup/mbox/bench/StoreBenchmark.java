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
        table.append(String.format(Locale.ROOT, "| %-46s | %12s | %12s | %10s |%n", "case", "archive before",
                "ms", "µs/message"));
        table.append("|---|---:|---:|---:|\n");

        for (CompressionCodec codec : new CompressionCodec[] {Codecs.GZIP, Codecs.ZSTD}) {
            if (!codec.isAvailable()) {
                System.out.println(codec.name() + " not available; skipped");
                continue;
            }
            Path empty = work.resolve("empty-" + codec.name());
            Path big = work.resolve("big-" + codec.name());
            clean(empty);
            clean(big);
            long t0 = System.nanoTime();
            long bigMessages = fillToSize(big, codec, bigMb << 20);
            System.out.printf(Locale.ROOT, "built %s archive: %d messages, %d bytes on disk, %.1f s%n",
                    codec.name(), bigMessages, mboxSize(big, codec), (System.nanoTime() - t0) / 1e9);
            // warm up the JIT on a throw-away archive
            Path warm = work.resolve("warm");
            clean(warm);
            appendRun(warm, codec, 1000, 1000);
            appendRun(warm, codec, 1000, 1000);
            clean(warm);
            for (int round = 0; round < 3; round++) {
                clean(empty);
                long e = appendRun(empty, codec, 1000, 1000);
                long b = appendRun(big, codec, 1000, 1000);
                row(table, codec.name() + ": open+append 1000+commit+close, empty", 0, e, 1000);
                row(table, codec.name() + ": open+append 1000+commit+close, big", mboxSize(big, codec) - 0, b, 1000);
            }
        }

        Path plain = work.resolve("index-100k");
        Path fresh = work.resolve("index-0");
        clean(plain);
        clean(fresh);
        appendRun(plain, Codecs.NONE, 100_000, 10_000);
        for (int round = 0; round < 3; round++) {
            clean(fresh);
            long openEmpty = openClose(fresh);
            long e = appendRun(fresh, Codecs.NONE, 10_000, 1000);
            long openBig = openClose(plain);
            long b = appendRun(plain, Codecs.NONE, 10_000, 1000);
            row(table, "none: open (load index), empty index", 0, openEmpty, 1);
            row(table, "none: open (load index), " + count(plain) + " entries", Files.size(indexFile(plain)), openBig, 1);
            row(table, "none: append 10000 (commit per 1000), empty index", 0, e, 10_000);
            row(table, "none: append 10000 (commit per 1000), 100k+ index", Files.size(indexFile(plain)), b, 10_000);
        }
        System.out.println();
        System.out.print(table);
        if (args.length == 0) {
            PathUtils.deleteDirectory(work);
        }
    }

    private static void row(StringBuilder table, String what, long before, long nanos, int messages) {
        table.append(String.format(Locale.ROOT, "| %-46s | %12s | %12.1f | %10.1f |%n", what,
                before == 0 ? "empty" : String.format(Locale.ROOT, "%.1f MB", before / 1048576.0),
                nanos / 1e6, nanos / 1e3 / messages));
    }

    private static MboxStore store(Path root, CompressionCodec codec) {
        return MboxStore.builder(root).codec(codec).extractor(IDS).build();
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

    /** Opens, appends {@code n} small messages committing every {@code batch}, closes; returns nanos. */
    private static long appendRun(Path root, CompressionCodec codec, int n, int batch) throws IOException {
        long t = System.nanoTime();
        try (FolderArchive a = store(root, codec).open(FOLDER)) {
            int base = a.messages().size();
            for (int i = 0; i < n; i++) {
                byte[] m = smallMessage(base + i);
                a.append(new FolderArchive.NewMessage(1, base + i + 1, new MessageIdentity("mid:<" + i + "@b>"),
                        m.length, DATE, Set.of("\\Seen"), "bench@example.org"), new ByteArrayInputStream(m));
                if ((i + 1) % batch == 0) {
                    a.commit();
                }
            }
        }
        return System.nanoTime() - t;
    }

    private static long openClose(Path root) throws IOException {
        long t = System.nanoTime();
        try (FolderArchive a = store(root, Codecs.NONE).open(FOLDER)) {
            if (a.messages().size() < 0) {
                throw new AssertionError();
            }
        }
        return System.nanoTime() - t;
    }

    /** Appends messages of ~1 MB of random base64 until the compressed file reaches {@code bytes}. */
    private static long fillToSize(Path root, CompressionCodec codec, long bytes) throws IOException {
        Random rnd = new Random(42);
        byte[] raw = new byte[768 * 1024];
        long n = 0;
        MboxStore store = store(root, codec);
        while (!Files.exists(root.resolve("Bench/Folder.mbox" + codec.suffix())) || mboxSize(root, codec) < bytes) {
            try (FolderArchive a = store.open(FOLDER)) {
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
