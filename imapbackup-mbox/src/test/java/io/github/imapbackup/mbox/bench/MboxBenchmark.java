package io.github.imapbackup.mbox.bench;

import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.format.MboxEntry;
import io.github.imapbackup.mbox.format.MboxReader;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.mbox.internal.UnescapingInputStream;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of the mbox writer and reader (not a test; see docs/benchmarks-mbox.md).
 *
 * <pre>
 * mvn -q -o -B -pl imapbackup-mbox -am test-compile
 * mvn -q -o -B -pl imapbackup-mbox dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp imapbackup-mbox/target/test-classes:imapbackup-mbox/target/classes:imapbackup-api/target/classes:$(cat imapbackup-mbox/target/cp.txt) \
 *     io.github.imapbackup.mbox.bench.MboxBenchmark [megabytes, default 1024] [directory, default java.io.tmpdir]
 * </pre>
 */
public final class MboxBenchmark {

    private static final double MB = 1 << 20;
    /** Best wall-clock and best CPU time (of this process, or of a child process) over rounds. */
    private static final class Best {
        double wall = Double.MAX_VALUE;
        double cpu = Double.MAX_VALUE;
        private long wall0;
        private long cpu0;

        void start() {
            wall0 = System.nanoTime();
            cpu0 = cpuNanos();
        }

        void stop() {
            wall = Math.min(wall, (System.nanoTime() - wall0) / 1e9);
            cpu = Math.min(cpu, (cpuNanos() - cpu0) / 1e9);
        }

        private static long cpuNanos() {
            return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
        }
    }

    private MboxBenchmark() { }

    public static void main(String[] args) throws Exception {
        long target = (args.length > 0 ? Long.parseLong(args[0]) : 1024) << 20;
        Path parent = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(parent, "mbox-bench");
        try {
            run(dir, target);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void run(Path dir, long target) throws Exception {
        Corpus corpus = new Corpus(new Random(20261122L));
        Path plain = dir.resolve("bench.mbox");
        List<String[]> rows = new ArrayList<>();

        // (b) writing, best of 3 (the first also warms up)
        Best write = new Best();
        long bytes = 0;
        int messages = 0;
        for (int round = 0; round < 3; round++) {
            Files.deleteIfExists(plain);
            write.start();
            try (MboxWriter w = new MboxWriter(Files.newOutputStream(plain), 0)) {
                corpus.reset();
                messages = 0;
                while (w.position() < target) {
                    corpus.next();
                    w.write(corpus.sender(), corpus.date(), corpus.stream());
                    messages++;
                }
                bytes = w.position();
            }
            write.stop();
        }
        System.out.printf(Locale.ROOT, "corpus: %d messages, %.0f MB (%d large)%n", messages, bytes / MB,
                corpus.largeCount);
        rows.add(row("(b) MboxWriter, uncompressed, incl. SHA-256", bytes, write, ">= 500 MB/s"));

        // (a) identity scan from page cache, best of 3
        boolean standard = standardExtractorWorks();
        Best scan = new Best();
        long found = 0;
        for (int round = 0; round < 3; round++) {
            scan.start();
            found = identityScan(plain, standard);
            scan.stop();
        }
        if (found != messages) {
            throw new AssertionError("identity scan found " + found + " Message-IDs, expected " + messages);
        }
        rows.add(row("(a) identity scan, " + (standard ? "MessageIdExtractor.standard()"
                : "byte scan for Message-ID"), bytes, scan, ">= 1024 MB/s"));
        if (standard) {
            Best simple = new Best();
            for (int round = 0; round < 3; round++) {
                simple.start();
                identityScan(plain, false);
                simple.stop();
            }
            rows.add(row("(a') identity scan, byte scan for Message-ID", bytes, simple, ">= 1024 MB/s"));
        }

        // reading every message's content, and the unescaping stream alone
        Best all = new Best();
        for (int round = 0; round < 3; round++) {
            all.start();
            readAll(plain, Dialect.MBOXRD);
            all.stop();
        }
        rows.add(row("MboxReader, every byte of every message", bytes, all, ""));
        Best unescape = new Best();
        for (int round = 0; round < 3; round++) {
            unescape.start();
            drain(new UnescapingInputStream(Files.newInputStream(plain)));
            unescape.stop();
        }
        rows.add(row("UnescapingInputStream over the whole file", bytes, unescape, ""));

        // (c) gzip: MboxReader against gzip -dc
        Path gz = dir.resolve("bench.mbox.gz");
        gzip(plain, gz);
        Files.delete(plain);
        long gzBytes = Files.size(gz);
        Best tool = new Best();
        Best ours = new Best();
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("/usr/bin/time", "-f", "%U %S", "gzip", "-dc", gz.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String times = new String(p.getErrorStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("gzip -dc failed: " + times);
            }
            tool.wall = Math.min(tool.wall, (System.nanoTime() - t0) / 1e9);
            String[] us = times.substring(times.lastIndexOf('\n') + 1).split(" ");
            tool.cpu = Math.min(tool.cpu, Double.parseDouble(us[0]) + Double.parseDouble(us[1]));
            ours.start();
            long n = readAll(gz, Dialect.MBOXRD);
            ours.stop();
            if (n != messages) {
                throw new AssertionError("read " + n + " messages from the gzip file, expected " + messages);
            }
        }
        rows.add(row("gzip -dc file > /dev/null (" + (gzBytes >> 20) + " MB compressed)", bytes, tool, ""));
        rows.add(row("(c) MboxReader on the .gz file, every message", bytes, ours,
                String.format(Locale.ROOT, "<= 1.3x gzip: %.2fx wall, %.2fx cpu", ours.wall / tool.wall,
                        ours.cpu / tool.cpu)));

        System.out.printf(Locale.ROOT, "%n%-58s %8s %9s %8s %9s  %s%n", "measure (best of 3)", "wall s",
                "wall MB/s", "cpu s", "cpu MB/s", "target");
        for (String[] r : rows) {
            System.out.printf(Locale.ROOT, "%-58s %8s %9s %8s %9s  %s%n", (Object[]) r);
        }
        Path loadavg = Path.of("/proc/loadavg");
        System.out.printf(Locale.ROOT, "%nprocessors: %d; load average at the end: %s%n",
                Runtime.getRuntime().availableProcessors(),
                Files.exists(loadavg) ? Files.readString(loadavg).strip() : "unknown");
    }

    private static String[] row(String what, long bytes, Best t, String target) {
        return new String[] {what, String.format(Locale.ROOT, "%.2f", t.wall),
            String.format(Locale.ROOT, "%.0f", bytes / MB / t.wall), String.format(Locale.ROOT, "%.2f", t.cpu),
            String.format(Locale.ROOT, "%.0f", bytes / MB / t.cpu), target};
    }

    private static boolean standardExtractorWorks() {
        try {
            MessageIdentity id = MessageIdExtractor.standard().identify(new java.io.ByteArrayInputStream(
                    "Message-ID: <a@b>\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            return id != null;
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    private static long identityScan(Path file, boolean standard) throws IOException {
        long found = 0;
        byte[] buf = new byte[1 << 16];
        MessageIdExtractor extractor = standard ? MessageIdExtractor.standard() : null;
        try (MboxReader r = MboxReader.open(file, Dialect.MBOXRD)) {
            for (MboxEntry e = r.next(); e != null; e = r.next()) {
                InputStream in = e.content();
                if (extractor != null) {
                    if (extractor.identify(in) != null) {
                        found++;
                    }
                } else if (scanMessageId(in, buf)) {
                    found++;
                }
                while (in.read(buf) >= 0) {
                    // the rest of the message, as a scan that also hashes would read it
                }
            }
        }
        return found;
    }

    /** Finds a Message-ID field in the header section of the first buffer-full. */
    private static boolean scanMessageId(InputStream in, byte[] buf) throws IOException {
        int n = in.readNBytes(buf, 0, 8192);
        byte[] key = "message-id:".getBytes(StandardCharsets.US_ASCII);
        boolean lineStart = true;
        for (int i = 0; i < n; i++) {
            byte c = buf[i];
            if (lineStart) {
                if (c == '\n' || c == '\r' && i + 1 < n && buf[i + 1] == '\n') {
                    return false;
                }
                if ((c | 0x20) == 'm' && i + key.length <= n) {
                    int k = 1;
                    while (k < key.length && (buf[i + k] | 0x20) == key[k]) {
                        k++;
                    }
                    if (k == key.length) {
                        return true;
                    }
                }
            }
            lineStart = c == '\n';
        }
        return false;
    }

    private static long readAll(Path file, Dialect d) throws IOException {
        long count = 0;
        byte[] buf = new byte[1 << 16];
        try (MboxReader r = MboxReader.open(file, d)) {
            for (MboxEntry e = r.next(); e != null; e = r.next()) {
                InputStream in = e.content();
                while (in.read(buf) >= 0) {
                    // read it all
                }
                count++;
            }
        }
        return count;
    }

    private static void drain(InputStream in) throws IOException {
        try (in) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // read it all
            }
        }
    }

    private static void gzip(Path from, Path to) throws Exception {
        try {
            Process p = new ProcessBuilder("gzip", "-c", from.toString()).redirectOutput(to.toFile()).start();
            if (p.waitFor(20, TimeUnit.MINUTES) && p.exitValue() == 0) {
                return;
            }
        } catch (IOException e) {
            // no gzip: use ours
        }
        try (InputStream in = Files.newInputStream(from);
                OutputStream out = Codecs.GZIP.compress(Files.newOutputStream(to))) {
            in.transferTo(out);
        }
    }

    /** Seeded realistic messages: many 2-20 KB text ones, some 100 KB-5 MB with base64 attachments. */
    static final class Corpus {
        private final List<byte[]> small = new ArrayList<>();
        private final List<byte[]> large = new ArrayList<>();
        private final Random seedSource;
        private Random rnd;
        private byte[] head;
        private byte[] body;
        private long n;
        int largeCount;

        Corpus(Random rnd) {
            this.seedSource = rnd;
            for (int i = 0; i < 200; i++) {
                small.add(textBody(rnd, 2_000 + rnd.nextInt(18_000)));
            }
            for (int i = 0; i < 12; i++) {
                large.add(attachmentBody(rnd, 100_000 + rnd.nextInt(4_900_000)));
            }
            reset();
        }

        void reset() {
            rnd = new Random(seedSource.nextLong() ^ 0x5DEECE66DL);
            rnd.setSeed(42);
            n = 0;
            largeCount = 0;
        }

        void next() {
            n++;
            boolean big = rnd.nextInt(100) == 0;
            body = big ? large.get(rnd.nextInt(large.size())) : small.get(rnd.nextInt(small.size()));
            if (big) {
                largeCount++;
            }
            head = ("Return-Path: <sender" + n + "@example.org>\r\n"
                    + "Received: from mail.example.org (mail.example.org [192.0.2.1])\r\n"
                    + "\tby mx.example.net with ESMTPS id " + Long.toHexString(rnd.nextLong()) + "\r\n"
                    + "\tfor <rcpt@example.net>; Sat, 21 Nov 2026 23:39:50 +0000\r\n"
                    + "Received: by mail.example.org with SMTP id " + Long.toHexString(rnd.nextLong()) + "\r\n"
                    + "Date: Sat, 21 Nov 2026 23:39:50 +0000\r\n"
                    + "From: Sender Name <sender" + n + "@example.org>\r\n"
                    + "To: Recipient <rcpt@example.net>\r\n"
                    + "Subject: Message number " + n + " about the quarterly numbers\r\n"
                    + "Message-ID: <" + Long.toHexString(rnd.nextLong()) + "." + n + "@mail.example.org>\r\n"
                    + "MIME-Version: 1.0\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        String sender() {
            return "sender" + n + "@example.org";
        }

        Instant date() {
            return Instant.ofEpochSecond(1_700_000_000L + n * 37);
        }

        InputStream stream() {
            return new TwoArrays(head, body);
        }

        private static byte[] textBody(Random rnd, int size) {
            StringBuilder sb = new StringBuilder("Content-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Transfer-Encoding: 8bit\r\n\r\n");
            String[] words = {"the", "quarterly", "numbers", "look", "good", "From", "meeting", "at", "noon",
                "please", "review", "attached", "report", "and", "reply", "before", "Friday", "thanks"};
            while (sb.length() < size) {
                int r = rnd.nextInt(40);
                if (r == 0) {
                    sb.append("From the desk of the director:\r\n");
                } else if (r == 1) {
                    sb.append("> quoted reply line from earlier\r\n");
                } else if (r == 2) {
                    sb.append("\r\n");
                } else {
                    int len = 0;
                    while (len < 70) {
                        String w = words[rnd.nextInt(words.length)];
                        sb.append(w).append(' ');
                        len += w.length() + 1;
                    }
                    sb.append("\r\n");
                }
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        private static byte[] attachmentBody(Random rnd, int size) {
            byte[] data = new byte[size * 3 / 4];
            rnd.nextBytes(data);
            String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data);
            String text = new String(textBody(rnd, 3000), StandardCharsets.UTF_8);
            return ("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n" + text
                    + "\r\n--b1\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n--b1--\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** A stream over two arrays. */
    private static final class TwoArrays extends InputStream {
        private final byte[] a;
        private final byte[] b;
        private int pos;

        TwoArrays(byte[] a, byte[] b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public int read() {
            if (pos < a.length) {
                return a[pos++] & 0xff;
            }
            return pos - a.length < b.length ? b[pos++ - a.length] & 0xff : -1;
        }

        @Override
        public int read(byte[] out, int off, int len) {
            if (pos < a.length) {
                int n = Math.min(len, a.length - pos);
                System.arraycopy(a, pos, out, off, n);
                pos += n;
                return n;
            }
            int at = pos - a.length;
            if (at >= b.length) {
                return -1;
            }
            int n = Math.min(len, b.length - at);
            System.arraycopy(b, at, out, off, n);
            pos += n;
            return n;
        }
    }
}
