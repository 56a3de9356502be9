package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleMessage;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.spi.FolderArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the disk fault tests share: a real IMAP server (GreenMail, in process) holding messages that
 * no codec shrinks much, the command lines that use it, what a backup directory holds (folder →
 * "UID SHA-256" of each message, read through the library) and the summary line of the figures.
 */
final class DiskRig implements AutoCloseable {

    static final Map<String, String> ENV = Map.of("PW", "disk-pw");
    /** Whether the full counts of the reliability profile are asked for. */
    static final boolean FULL = Boolean.getBoolean("imapbackup.reliability");
    static final List<String> CODECS = List.of("none", "gzip", "bzip2", "xz", "zstd");

    private final DemoServer server;
    private final int messages;

    private DiskRig(DemoServer server, int messages) {
        this.server = server;
        this.messages = messages;
    }

    /** Starts the server with {@code perFolder} messages of about 6 KB in each of four folders (one nested). */
    static DiskRig start(int perFolder) throws IOException {
        return start(perFolder, List.of("INBOX", "Archive", "Archive.2019", "Bills & Receipts"));
    }

    /** Starts the server with {@code perFolder} messages in each of these folders ({@code .} nests). */
    static DiskRig start(int perFolder, List<String> folders) throws IOException {
        DemoServer server = DemoServer.start("disk", "disk-pw");
        try {
            Random rnd = new Random(20261205L);
            List<SampleMessage> all = new ArrayList<>();
            Instant t = Instant.parse("2026-01-01T10:00:00Z");
            for (String folder : folders) {
                for (int i = 0; i < perFolder; i++) {
                    t = t.plusSeconds(3600);
                    all.add(new SampleMessage(folder, message(rnd, folder + i), Set.of(), t, null));
                }
            }
            server.load(all);
            return new DiskRig(server, all.size());
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    int messages() {
        return messages;
    }

    /** The backup command line for this server. */
    String[] backup(Path dir, String... more) {
        List<String> a = new ArrayList<>(List.of("backup", "--host", DemoServer.HOST, "--port",
                Integer.toString(server.port()), "--security", "none", "--user", "disk", "--password-env", "PW",
                "--dir", dir.toString(), "--connections", "1"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /**
     * Makes a complete backup with a codec, the reference the damaged or full-disk runs are compared with.
     *
     * @return what it holds: {@link #contents(Path)}
     */
    Map<String, List<String>> reference(Path dir, String codec) throws IOException {
        CliRun run = CliRun.run(ENV, backup(dir, "--compress", codec));
        assertThat(run.status).as(run.toString()).isZero();
        return contents(dir);
    }

    /** The restore command line for this server. */
    String[] restore(Path dir, String... more) {
        List<String> a = new ArrayList<>(List.of("restore", "--host", DemoServer.HOST, "--port",
                Integer.toString(server.port()), "--security", "none", "--user", "disk", "--password-env", "PW",
                "--dir", dir.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Override
    public void close() {
        server.close();
    }

    /** About 6 KB: headers and random base64 lines that no codec shrinks much. */
    static byte[] message(Random rnd, String id) {
        StringBuilder sb = new StringBuilder("From: alice@example.org\r\nTo: bob@example.net\r\nSubject: " + id
                + "\r\nDate: Sat, 21 Nov 2026 10:00:00 +0000\r\nMessage-ID: <" + id.replace(' ', '.')
                + "@disk.example>\r\n\r\n");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int line = 0; line < 80; line++) {
            for (int c = 0; c < 76; c++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            sb.append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * What a backup directory holds, read through the library: per folder the sorted list of
     * "UID SHA-256" of its messages, each read back in full (so a torn message fails here).
     */
    static Map<String, List<String>> contents(Path dir) throws IOException {
        Map<String, List<String>> all = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return all;
        }
        MboxStore store = MboxStore.builder(dir).build();
        for (FolderInfo f : store.folders()) {
            List<String> list = new ArrayList<>();
            try (FolderArchive a = store.openReadOnly(f).orElse(null)) {
                if (a == null) {
                    continue; // an index without a commit and an empty mbox: nothing stored
                }
                for (ArchivedMessage m : a.messages()) {
                    try (InputStream in = a.openMessage(m)) {
                        list.add(m.uid() + " " + sha256(in));
                    }
                }
            }
            list.sort(null);
            all.put(f.name(), list);
        }
        return all;
    }

    /** How many messages {@link #contents} lists. */
    static int count(Map<String, List<String>> contents) {
        return contents.values().stream().mapToInt(List::size).sum();
    }

    /** Asserts that {@code part} holds only what {@code whole} holds, each message at most once. */
    static void assertPartOf(Map<String, List<String>> part, Map<String, List<String>> whole, String where) {
        for (Map.Entry<String, List<String>> e : part.entrySet()) {
            assertThat(e.getValue()).as(where + ": folder " + e.getKey() + " holds each message once")
                    .doesNotHaveDuplicates();
            assertThat(whole.getOrDefault(e.getKey(), List.of())).as(where + ": folder " + e.getKey())
                    .containsAll(e.getValue());
        }
    }

    static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream d = new DigestInputStream(in, md)) {
                d.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A number field of a JSON report (the first one: the totals come before the folders). */
    static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Every file under {@code dir}, directories left out. */
    static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Prints the figures' summary line (docs/reliability.md collects them from the test output). */
    static void summary(String command, String fault, int cases, String more, Object seed) {
        System.out.println("RELIABILITY disk " + command + " " + fault + ": " + cases
                + " cases run, lost 0, duplicated 0, corrupt 0" + more + ", seed " + seed);
    }
}
