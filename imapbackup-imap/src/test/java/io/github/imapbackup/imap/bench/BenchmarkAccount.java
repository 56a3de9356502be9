package io.github.imapbackup.imap.bench;

import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** Generates a realistic, seeded test account and loads it into Dovecot with pipelined APPENDs. */
final class BenchmarkAccount {

    private static final int POOL = 4 << 20;

    private final long seed;
    private final int messages;
    private final int folderCount;
    private final double scale;
    private final byte[] pool;

    /**
     * @param seed the generator seed
     * @param messages how many messages
     * @param folders how many folders
     * @param scale size factor (1.0 = the realistic mix, about 50 KB per message on average)
     */
    BenchmarkAccount(long seed, int messages, int folders, double scale) {
        this.seed = seed;
        this.messages = messages;
        this.folderCount = folders;
        this.scale = scale;
        this.pool = textPool(new Random(seed));
    }

    /** Returns the folder names: INBOX, then nested Archive/YYYY, Lists/..., Projects/.... */
    List<String> folders(char sep) {
        List<String> names = new ArrayList<>();
        names.add("INBOX");
        for (int i = 1; i < folderCount; i++) {
            String name = switch (i % 4) {
                case 0 -> "Archive" + sep + (2000 + i);
                case 1 -> "Lists" + sep + "list-" + i;
                case 2 -> "Projects" + sep + "p" + i + sep + "mail";
                default -> "Folder " + i;
            };
            names.add(name);
        }
        return names;
    }

    /** Returns, for each message index, its folder index (skewed: low indices are big folders). */
    int[] folderOf() {
        Random r = new Random(seed ^ 0x5eed);
        int[] f = new int[messages];
        for (int i = 0; i < messages; i++) {
            double x = r.nextDouble();
            f[i] = Math.min(folderCount - 1, (int) (folderCount * x * x));
        }
        return f;
    }

    /** Returns the size of message i: 95 % 2–30 KB, 4.5 % 100 KB–2 MB, 0.05 % 10 MB. */
    int size(int i) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        double p = r.nextDouble();
        double s;
        if (p < 0.0005) {
            s = 10 << 20;
        } else if (p < 0.0455) {
            s = 100_000 * Math.pow(20, r.nextDouble());
        } else {
            s = 2_000 + r.nextInt(28_000);
        }
        return (int) Math.max(600, s * scale);
    }

    /** Builds message i (headers + body lines from a random text pool, CRLF, exact size). */
    ImapTestClient.Message message(int i, String tag) {
        SplittableRandom r = new SplittableRandom(seed * 0xC2B2AE3D27D4EB4FL + i);
        int size = size(i);
        Instant date = Instant.ofEpochSecond(1_262_304_000L + (long) (r.nextDouble() * 500_000_000L));
        String header = "Return-Path: <sender" + r.nextInt(500) + "@example.org>\r\n"
                + "From: Sender " + r.nextInt(500) + " <sender" + r.nextInt(500) + "@example.org>\r\n"
                + "To: bench@example.net\r\n"
                + "Subject: benchmark message " + i + tag + "\r\n"
                + "Date: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        date.atZone(java.time.ZoneOffset.UTC)) + "\r\n"
                + "Message-ID: <" + seed + "." + i + tag + "@bench.example.org>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[Math.max(size, h.length + 2)];
        System.arraycopy(h, 0, m, 0, h.length);
        int pos = h.length;
        while (pos < m.length) {
            int off = r.nextInt(POOL - 78);
            off -= off % 78; // start of a 76-char line + CRLF
            int n = Math.min(m.length - pos, 78 * 64);
            n = Math.min(n, POOL - off);
            System.arraycopy(pool, off, m, pos, n);
            pos += n;
        }
        if (m[m.length - 3] == '\r') {
            m[m.length - 3] = 'x'; // no CR CR LF: Dovecot would turn it into CR LF
        }
        m[m.length - 2] = '\r';
        m[m.length - 1] = '\n';
        double f = r.nextDouble();
        Set<String> flags = f < 0.02 ? Set.of("\\Seen", "$Label1") : f < 0.07 ? Set.of("\\Seen", "\\Flagged")
                : f < 0.70 ? Set.of("\\Seen") : Set.of();
        return new ImapTestClient.Message(m, flags, date);
    }

    /**
     * Loads the account into Dovecot, folders in parallel over {@code threads} connections.
     *
     * @return the number of message bytes loaded
     */
    long load(Dovecot dovecot, String user, int threads) throws Exception {
        List<String> names = folders(dovecot.separator());
        int[] folderOf = folderOf();
        List<List<Integer>> byFolder = new ArrayList<>();
        names.forEach(n -> byFolder.add(new ArrayList<>()));
        for (int i = 0; i < messages; i++) {
            byFolder.get(folderOf[i]).add(i);
        }
        AtomicLong bytes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                futures.add(pool.submit(() -> {
                    try (ImapTestClient c = dovecot.login(user)) {
                        for (int f = me; f < names.size(); f += threads) {
                            c.createFolder(names.get(f));
                            List<ImapTestClient.Message> batch = new ArrayList<>();
                            long batchBytes = 0;
                            for (int i : byFolder.get(f)) {
                                ImapTestClient.Message m = message(i, "");
                                batch.add(m);
                                batchBytes += m.bytes().length;
                                if (batchBytes > (32 << 20) || batch.size() >= 500) {
                                    c.appendAll(names.get(f), batch);
                                    bytes.addAndGet(batchBytes);
                                    batch.clear();
                                    batchBytes = 0;
                                }
                            }
                            c.appendAll(names.get(f), batch);
                            bytes.addAndGet(batchBytes);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return bytes.get();
    }

    /**
     * Messages appended to an account.
     *
     * @param bytes their bytes
     * @param uids their UIDs by folder
     */
    record Added(long bytes, java.util.Map<String, List<Long>> uids) { }

    /** Appends {@code n} new messages spread over the folders; returns their bytes and UIDs. */
    Added appendNew(Dovecot dovecot, String user, int n, String tag) throws IOException {
        List<String> names = folders(dovecot.separator());
        long bytes = 0;
        java.util.Map<String, List<Long>> uids = new java.util.LinkedHashMap<>();
        try (ImapTestClient c = dovecot.login(user)) {
            for (int k = 0; k < n; k++) {
                ImapTestClient.Message m = message(messages + k, tag);
                String folder = names.get(k % names.size());
                uids.computeIfAbsent(folder, f -> new ArrayList<>())
                        .add(c.append(folder, m.bytes(), m.flags(), m.internalDate()));
                bytes += m.bytes().length;
            }
        }
        return new Added(bytes, uids);
    }

    /** Expunges what {@link #appendNew} added, so that the account is as loaded again. */
    static void remove(Dovecot dovecot, String user, Added added) throws IOException {
        try (ImapTestClient c = dovecot.login(user)) {
            for (var e : added.uids().entrySet()) {
                String set = e.getValue().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
                c.command("SELECT " + ImapTestClient.quote(e.getKey()));
                c.command("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)");
                c.command("UID EXPUNGE " + set);
                c.command("CLOSE");
            }
        }
    }

    private static byte[] textPool(Random r) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/     ";
        byte[] a = alphabet.getBytes(StandardCharsets.US_ASCII);
        byte[] p = new byte[POOL];
        for (int i = 0; i < POOL; i++) {
            int col = i % 78;
            p[i] = col == 76 ? (byte) '\r' : col == 77 ? (byte) '\n' : a[r.nextInt(a.length)];
        }
        return p;
    }
}
