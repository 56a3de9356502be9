package io.github.imapbackup.imap.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The seeded mailbox of {@link RestoreBenchmark}: which folder each message is in, its size, flags,
 * keywords, INTERNALDATE and exact bytes, each computed from the seed and the message's number
 * alone, so nothing is held in memory. Sizes: 10 % 1.5–5 KB, 88.4 % 5–50 KB, 1.6 % 0.5–5 MB with a
 * base64 attachment (each log-uniform; about 49 KB on average, 1 GB for 20,000 messages). About
 * 0.5 % have no Message-ID, 0.2 % are a second copy of the message before them in the folder, 5 %
 * have a body line starting with {@code From } and 10 % an 8-bit UTF-8 line.
 */
final class RestoreCorpus {

    /** The folders, with {@code /} as delimiter. */
    static final List<String> FOLDERS = List.of("INBOX", "Sent", "Drafts", "Trash", "Archive/2019",
            "Archive/2020", "Archive/2021", "Lists/java-dev", "Lists/dovecot", "Projects/imapbackup", "Old Mail");
    private static final double[] WEIGHTS = {30, 14, 1, 2, 11, 11, 10, 8, 5, 5, 3};
    private static final int POOL = 1 << 20;
    private static final int LINE = 78; // 76 characters and CRLF
    private static final DateTimeFormatter RFC_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final long Y2015 = 1_420_070_400L;
    private static final long YEAR = 31_536_000L;

    private final long seed;
    private final int count;
    private final byte[] text;
    private final byte[] base64;
    /** Folder index of each message. */
    private final int[] folderOf;
    /** The message whose bytes message i has: i itself, or the earlier message it is a copy of. */
    private final int[] origin;

    RestoreCorpus(long seed, int count) {
        this.seed = seed;
        this.count = count;
        Random r = new Random(seed);
        this.text = pool(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:-'()      ");
        this.base64 = pool(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        this.folderOf = new int[count];
        this.origin = new int[count];
        int[] last = new int[FOLDERS.size()];
        java.util.Arrays.fill(last, -1);
        double total = java.util.Arrays.stream(WEIGHTS).sum();
        for (int i = 0; i < count; i++) {
            double x = r.nextDouble() * total;
            int f = 0;
            while (f < WEIGHTS.length - 1 && x >= WEIGHTS[f]) {
                x -= WEIGHTS[f++];
            }
            folderOf[i] = f;
            origin[i] = last[f] >= 0 && r.nextDouble() < 0.002 ? origin[last[f]] : i;
            last[f] = i;
        }
    }

    /** {@return the seed} */
    long seed() {
        return seed;
    }

    /** {@return the number of messages} */
    int count() {
        return count;
    }

    /** {@return for each folder of {@link #FOLDERS}, its messages' numbers in order} */
    List<List<Integer>> byFolder() {
        List<List<Integer>> lists = new ArrayList<>();
        FOLDERS.forEach(f -> lists.add(new ArrayList<>()));
        for (int i = 0; i < count; i++) {
            lists.get(folderOf[i]).add(i);
        }
        return lists;
    }

    /** {@return the exact size of message i in bytes} */
    int size(int i) {
        SplittableRandom r = random(origin[i], 1);
        double p = r.nextDouble();
        double s = p < 0.10 ? logUniform(r, 1_500, 5_000) : p < 0.984 ? logUniform(r, 5_000, 50_000)
                : logUniform(r, 500_000, 5_000_000);
        return (int) s;
    }

    /** {@return the INTERNALDATE of message i: in its year for the Archive folders} */
    Instant internalDate(int i) {
        SplittableRandom r = random(origin[i], 2);
        String folder = FOLDERS.get(folderOf[origin[i]]);
        long from = folder.startsWith("Archive/")
                ? Instant.parse(folder.substring(8) + "-01-01T00:00:00Z").getEpochSecond() : Y2015;
        long span = folder.startsWith("Archive/") ? YEAR : 11 * YEAR;
        return Instant.ofEpochSecond(from + (long) (r.nextDouble() * span));
    }

    /** {@return the flags and keywords of message i (a copy has its own)} */
    Set<String> flags(int i) {
        SplittableRandom r = random(i, 3);
        Set<String> flags = new LinkedHashSet<>();
        String folder = FOLDERS.get(folderOf[i]);
        if (folder.equals("Drafts")) {
            flags.add("\\Draft");
        } else if (folder.equals("Sent") || r.nextDouble() < 0.75) {
            flags.add("\\Seen");
        }
        addIf(flags, r, 0.10, "\\Answered");
        addIf(flags, r, 0.05, "\\Flagged");
        addIf(flags, r, folder.equals("Trash") ? 0.5 : 0.002, "\\Deleted");
        addIf(flags, r, 0.04, "$Forwarded");
        addIf(flags, r, 0.03, "$Label1");
        addIf(flags, r, 0.02, "Work");
        addIf(flags, r, folder.startsWith("Lists/") ? 0.3 : 0.01, "NonJunk");
        return flags;
    }

    /** {@return the envelope sender of message i} */
    String sender(int i) {
        return "sender" + random(origin[i], 4).nextInt(400) + "@example.org";
    }

    /** {@return the header section of message i, up to and with the empty line} */
    byte[] header(int i) {
        int k = origin[i];
        SplittableRandom r = random(k, 5);
        String date = RFC_DATE.format(internalDate(i).minusSeconds(r.nextInt(600)).atZone(ZoneOffset.UTC));
        StringBuilder h = new StringBuilder(600)
                .append("Return-Path: <").append(sender(i)).append(">\r\n")
                .append("Received: from mx").append(r.nextInt(9)).append(".example.org (mx.example.org [192.0.2.")
                .append(r.nextInt(250)).append("])\r\n\tby imap.example.net with ESMTPS id ")
                .append(Long.toHexString(r.nextLong())).append("\r\n\tfor <bench@example.net>; ").append(date)
                .append("\r\n")
                .append("From: Sender ").append(k % 400).append(" <").append(sender(i)).append(">\r\n")
                .append("To: Bench <bench@example.net>\r\n")
                .append("Subject: restore benchmark message ").append(k).append("\r\n")
                .append("Date: ").append(date).append("\r\n");
        if (r.nextDouble() >= 0.005) {
            h.append("Message-ID: <").append(seed).append('.').append(k).append("@restore.example.org>\r\n");
        }
        h.append("MIME-Version: 1.0\r\n");
        h.append(size(i) >= 500_000 ? "Content-Type: multipart/mixed; boundary=\"b" + k + "\"\r\n"
                : "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n");
        return h.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@return the exact bytes of message i, {@link #size(int)} of them, CRLF line ends} */
    byte[] message(int i) {
        int k = origin[i];
        SplittableRandom r = random(k, 6);
        byte[] h = header(i);
        byte[] m = new byte[size(i)];
        if (m.length < h.length + 400) {
            throw new IllegalStateException("message " + i + ": header of " + h.length + " bytes too long");
        }
        System.arraycopy(h, 0, m, 0, h.length);
        int pos = h.length;
        byte[] end = new byte[0];
        if (size(i) >= 500_000) {
            pos = put(m, pos, "--b" + k + "\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
                    + "The report is attached.\r\n\r\n--b" + k + "\r\nContent-Type: application/octet-stream; "
                    + "name=\"report-" + k + ".bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            end = ("\r\n--b" + k + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            fill(m, pos, m.length - end.length, base64, r);
        } else {
            if (r.nextDouble() < 0.10) {
                pos = put(m, pos, "Grüße aus Köln – das Café hat wieder offen.\r\n");
            }
            if (r.nextDouble() < 0.05) {
                pos = put(m, pos, "From the minutes of the last meeting:\r\n>From here on, quoted.\r\n");
            }
            fill(m, pos, m.length, text, r);
        }
        System.arraycopy(end, 0, m, m.length - end.length, end.length);
        return m;
    }

    /** Fills {@code m[pos, to)} with lines of the pool, each ending in CRLF. */
    private static void fill(byte[] m, int pos, int to, byte[] pool, SplittableRandom r) {
        while (pos < to) {
            int n = Math.min(LINE, to - pos);
            if (to - pos - n == 1) {
                n--; // leave room for a last line of at least CRLF
            }
            System.arraycopy(pool, r.nextInt(POOL - LINE), m, pos, n - 2);
            m[pos + n - 2] = '\r';
            m[pos + n - 1] = '\n';
            pos += n;
        }
    }

    private static int put(byte[] m, int pos, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, m, pos, b.length);
        return pos + b.length;
    }

    private static void addIf(Set<String> flags, SplittableRandom r, double p, String flag) {
        if (r.nextDouble() < p) {
            flags.add(flag);
        }
    }

    private static double logUniform(SplittableRandom r, double from, double to) {
        return from * Math.pow(to / from, r.nextDouble());
    }

    private SplittableRandom random(int i, int stream) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i * 31L + stream);
    }

    private static byte[] pool(Random r, String alphabet) {
        byte[] a = alphabet.getBytes(StandardCharsets.US_ASCII);
        byte[] p = new byte[POOL];
        for (int i = 0; i < POOL; i++) {
            p[i] = a[r.nextInt(a.length)];
        }
        return p;
    }
}
