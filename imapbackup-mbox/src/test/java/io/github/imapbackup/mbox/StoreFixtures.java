package io.github.imapbackup.mbox;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Messages, folders and helpers for the store tests. */
public final class StoreFixtures {

    public static final FolderInfo INBOX = new FolderInfo("INBOX", "/", Set.of(), true);
    public static final FolderInfo Q3 = new FolderInfo("Archive/2019/Q3", "/", Set.of(), true);

    private StoreFixtures() { }

    /** A message with a Message-ID made of the folder name and a number. */
    public static String message(String folder, int i) {
        return "Message-ID: <" + folder + "-" + i + "@x>\r\nSubject: " + i + "\r\n\r\nbody " + i + "\r\n";
    }

    /** An in-memory server with {@code .} as delimiter, holding these folders with three messages each. */
    static io.github.imapbackup.testing.MemorySource dotServer(String... folders) {
        io.github.imapbackup.testing.MemorySource source = new io.github.imapbackup.testing.MemorySource();
        for (String name : folders) {
            io.github.imapbackup.testing.MemoryFolder f = source.folder(name);
            f.delimiter(".");
            for (int i = 0; i < 3; i++) {
                f.add(message(name, i));
            }
        }
        return source;
    }

    /** Message {@code i} of {@link #adopted}; message 2 has no final line end. */
    public static byte[] adoptedMessage(int i) {
        return ("Message-ID: <m" + i + "@x>\r\n\r\nbody " + i + (i == 2 ? "" : "\r\n"))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Stores three messages (UIDVALIDITY 7, UIDs 1 to 3) in a folder of a new store in {@code dir},
     * then adopts them under a new UIDVALIDITY in each of {@code runs} more opens.
     */
    public static MboxStore adopted(Path dir, FolderInfo folder, int runs) throws IOException {
        MboxStore store = MboxStore.builder(dir).build();
        try (FolderArchive a = store.open(folder, EXTRACTOR)) {
            for (int i = 1; i <= 3; i++) {
                a.append(newMessage(7, i, adoptedMessage(i)), new ByteArrayInputStream(adoptedMessage(i)));
            }
            a.commit();
        }
        for (int run = 1; run <= runs; run++) {
            try (FolderArchive a = store.open(folder, EXTRACTOR)) {
                for (io.github.imapbackup.ArchivedMessage e : a.messages()) {
                    a.adopt(e, 7 + run, e.uid(), e.flags());
                }
                a.commit();
            }
        }
        return store;
    }

    /** A simple identity extractor for tests: the first Message-ID line, else a hash of the header. */
    public static final MessageIdExtractor EXTRACTOR = new MessageIdExtractor() {
        @Override
        public MessageIdentity identify(InputStream message) throws IOException {
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            int prev = -1;
            int c;
            while ((c = message.read()) >= 0) {
                header.write(c);
                if (c == '\n' && (prev == '\n' || header.size() == 1)) {
                    break;
                }
                if (c != '\r') {
                    prev = c;
                }
            }
            Optional<String> id = messageId(new ByteArrayInputStream(header.toByteArray()));
            return id.map(MessageIdentity::ofMessageId)
                    .orElseGet(() -> new MessageIdentity("syn:" + sha256(header.toByteArray())));
        }

        @Override
        public Optional<String> messageId(InputStream header) throws IOException {
            for (String line : new String(header.readAllBytes(), StandardCharsets.ISO_8859_1).split("\r?\n")) {
                if (line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
                    String v = line.substring(11).trim();
                    if (!v.isEmpty()) {
                        return Optional.of(v.replace(" ", ""));
                    }
                }
            }
            return Optional.empty();
        }
    };

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A random message: headers (mostly with a Message-ID), a body with From lines, CRLF or LF, maybe no final newline. */
    public static byte[] message(Random rnd, int index) {
        String eol = rnd.nextBoolean() ? "\r\n" : "\n";
        StringBuilder sb = new StringBuilder();
        if (rnd.nextInt(10) > 0) {
            sb.append("Message-ID: <m").append(index).append('.').append(rnd.nextInt(1000)).append("@example.org>").append(eol);
        }
        sb.append("Subject: test ").append(index).append(eol);
        sb.append("From: a@example.org").append(eol).append(eol);
        int lines = rnd.nextInt(20);
        for (int i = 0; i < lines; i++) {
            switch (rnd.nextInt(6)) {
                case 0 -> sb.append("From the desk of nobody");
                case 1 -> sb.append(">".repeat(rnd.nextInt(3) + 1)).append("From quoted");
                case 2 -> sb.append("");
                case 3 -> sb.append("caf\u00e9 \u00fcber");
                default -> sb.append("line ").append(i).append(" of message ").append(index);
            }
            sb.append(eol);
        }
        if (rnd.nextInt(4) == 0) {
            sb.append("no final newline From ");
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (rnd.nextInt(8) == 0) {
            b = java.util.Arrays.copyOf(b, b.length + 64);
            for (int i = b.length - 64; i < b.length; i++) {
                b[i] = (byte) rnd.nextInt(256);
            }
        }
        return b;
    }

    public static FolderArchive.NewMessage newMessage(long uidValidity, long uid, byte[] content) throws IOException {
        return new FolderArchive.NewMessage(uidValidity, uid, EXTRACTOR.identify(new ByteArrayInputStream(content)),
                content.length, Instant.parse("2026-11-21T23:39:50Z").plusSeconds(uid * 61),
                uid % 3 == 0 ? Set.of("\\Seen", "$Label,1") : uid % 3 == 1 ? Set.of() : Set.of("\\Flagged"),
                uid % 2 == 0 ? "alice@example.org" : null);
    }

    /** Every regular file under root with its size and modification time. */
    public static TreeMap<String, String> snapshot(Path root) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                out.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir "
                        + Files.getLastModifiedTime(p) : Files.size(p) + " " + Files.getLastModifiedTime(p)
                        + " " + sha256(Files.readAllBytes(p)));
            }
        }
        return out;
    }
}
