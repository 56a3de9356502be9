package io.github.imapbackup.internal;

import io.github.imapbackup.spi.FolderStatus;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A migration's state cache file (docs/ARCHITECTURE.md, "State cache"): Java properties in UTF-8,
 * read and written by the JDK alone. Each pair of accounts (and mapping settings) has a short id,
 * the SHA-256 of its key; per folder three lines: host1's name, host2's name, and the figures
 * ({@code UIDVALIDITY UIDNEXT MESSAGES HIGHESTMODSEQ} of host1, the same of host2, then the
 * counts of the pass that recorded them). Written whole to a temporary file and renamed; records
 * of other pairs found in the file are kept. A file that cannot be read is a warning and no record.
 */
final class StateCache {

    private static final Logger LOG = LoggerFactory.getLogger(StateCache.class);
    private static final String VERSION = "1";
    /** One lock per file within this JVM: parallel accounts of one run share a file. */
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    /**
     * What a folder pass that left nothing to copy found.
     *
     * @param host1 host1's figures, taken before the folder was listed
     * @param target the folder's name on host2
     * @param host2 host2's figures after the copy
     * @param counts on source, duplicates on source, only on target, duplicates on target
     */
    record Entry(FolderStatus host1, String target, FolderStatus host2, long[] counts) {

        Entry {
            counts = counts.clone();
        }

        boolean matches(FolderStatus now1, String name2, FolderStatus now2) {
            return target.equals(name2) && same(host1, now1) && same(host2, now2);
        }

        private static boolean same(FolderStatus recorded, FolderStatus now) {
            return now != null && usable(now) && recorded.equals(now);
        }
    }

    private final Path file;
    private final String id;
    private final String pair;
    private final Map<String, Entry> entries;
    private final Map<String, Entry> recorded = new HashMap<>();

    private StateCache(Path file, String pair, Map<String, Entry> entries) {
        this.file = file;
        this.pair = pair;
        this.id = id(pair);
        this.entries = entries;
    }

    /** {@return whether figures can tell a change: a server that gives no UIDVALIDITY or UIDNEXT cannot} */
    static boolean usable(FolderStatus s) {
        return s.uidValidity() > 0 && s.uidNext() > 0;
    }

    /** Reads the records of {@code pair}; a missing file is empty, an unreadable one a warning. */
    static StateCache load(Path file, String pair) {
        Map<String, Map<String, Entry>> all = read(file, true);
        return new StateCache(file, pair, all.getOrDefault(id(pair), new HashMap<>()));
    }

    Optional<Entry> get(String folder) {
        return Optional.ofNullable(entries.get(folder));
    }

    /** Keeps a record for {@link #save()}. */
    synchronized void put(String folder, Entry e) {
        recorded.put(folder, e);
    }

    /** Writes the records kept, over what the file holds now (other pairs' records stay). */
    void save() throws IOException {
        Map<String, Entry> mine;
        synchronized (this) {
            if (recorded.isEmpty()) {
                return;
            }
            mine = new HashMap<>(recorded);
        }
        Path abs = file.toAbsolutePath().normalize();
        synchronized (LOCKS.computeIfAbsent(abs, p -> new Object())) {
            Map<String, Map<String, Entry>> all = read(abs, false);
            all.computeIfAbsent(id, k -> new HashMap<>()).putAll(mine);
            Map<String, String> pairs = pairs(abs);
            pairs.put(id, pair);
            write(abs, all, pairs);
        }
        LOG.debug("state cache {}: {} folders recorded", file, mine.size());
    }

    private static void write(Path file, Map<String, Map<String, Entry>> all, Map<String, String> pairs)
            throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write("# imapbackup migrate state cache (docs/ARCHITECTURE.md, \"State cache\"): figures of\n"
                        + "# folders that held nothing more to copy; delete this file to make the next run list every"
                        + " folder\nversion=" + VERSION + "\n");
                for (Map.Entry<String, Map<String, Entry>> p : new TreeMap<>(all).entrySet()) {
                    String pid = p.getKey();
                    w.write(pid + "=" + escape(pairs.getOrDefault(pid, "")) + "\n");
                    int n = 0;
                    for (Map.Entry<String, Entry> e : new TreeMap<>(p.getValue()).entrySet()) {
                        String k = pid + "." + ++n;
                        Entry r = e.getValue();
                        w.write(k + ".host1=" + escape(e.getKey()) + "\n" + k + ".host2=" + escape(r.target())
                                + "\n" + k + ".state=" + figures(r.host1()) + " " + figures(r.host2()) + " "
                                + r.counts()[0] + " " + r.counts()[1] + " " + r.counts()[2] + " " + r.counts()[3]
                                + "\n");
                    }
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String figures(FolderStatus s) {
        return s.uidValidity() + " " + s.uidNext() + " " + s.messages() + " " + s.highestModSeq();
    }

    /** {@return the file's records by pair id, then host1 folder name; empty (with a warning if asked) when unreadable} */
    private static Map<String, Map<String, Entry>> read(Path file, boolean warn) {
        Map<String, Map<String, Entry>> all = new HashMap<>();
        Properties p;
        try {
            p = properties(file);
        } catch (NoSuchFileException e) {
            return all;
        } catch (IOException | IllegalArgumentException e) {
            if (warn) {
                LOG.warn("state cache {} cannot be read ({}); every folder is listed, and the file is written anew",
                        file, e.getMessage());
            }
            return all;
        }
        if (!VERSION.equals(p.getProperty("version"))) {
            if (warn) {
                LOG.warn("state cache {} is not a state cache of this version (no \"version={}\" line); every folder"
                        + " is listed, and the file is written anew", file, VERSION);
            }
            return all;
        }
        int bad = 0;
        for (String key : p.stringPropertyNames()) {
            if (!key.endsWith(".state")) {
                continue;
            }
            String k = key.substring(0, key.length() - ".state".length());
            int dot = k.indexOf('.');
            Entry e = dot > 0 ? entry(p.getProperty(key), p.getProperty(k + ".host2")) : null;
            String folder = p.getProperty(k + ".host1");
            if (e == null || folder == null) {
                bad++;
                continue;
            }
            all.computeIfAbsent(k.substring(0, dot), x -> new HashMap<>()).put(folder, e);
        }
        if (bad > 0 && warn) {
            LOG.warn("state cache {}: {} records are damaged and ignored; those folders are listed", file, bad);
        }
        return all;
    }

    private static Map<String, String> pairs(Path file) {
        Map<String, String> out = new HashMap<>();
        try {
            Properties p = properties(file);
            for (String key : p.stringPropertyNames()) {
                if (key.matches("[0-9a-f]{16}")) {
                    out.put(key, p.getProperty(key));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // unreadable: written anew
        }
        return out;
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /** {@return the record of a {@code .state} value and a host2 name, or null when malformed} */
    private static Entry entry(String state, String target) {
        if (target == null) {
            return null;
        }
        String[] f = state.strip().split(" +");
        if (f.length != 12) {
            return null;
        }
        long[] n = new long[12];
        try {
            for (int i = 0; i < 12; i++) {
                n[i] = Long.parseLong(f[i]);
                if (n[i] < 0) {
                    return null;
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        FolderStatus host1 = new FolderStatus(n[2], n[0], n[1], n[3]);
        FolderStatus host2 = new FolderStatus(n[6], n[4], n[5], n[7]);
        return new Entry(host1, target, host2, new long[] {n[8], n[9], n[10], n[11]});
    }

    /** {@return a properties value for any text: backslash, control characters and a leading space escaped} */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == ' ' && i == 0) {
                b.append("\\ ");
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String id(String pair) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(pair.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }
}
