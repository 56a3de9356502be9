package io.github.imapbackup.examples.cli;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.StoredMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * What a backup directory shows, read from its files without the library's repair: for a kill
 * harness, the phase a kill hit (the folder indexes' last commits against the mbox files, spools
 * and index rewrites) and afterwards whether anything torn remains. The index format is
 * docs/FORMAT-index.md's.
 */
final class BackupFiles {

    /** Files that exist only while a run writes: a spool, an index rewrite, a layout record, a journal. */
    private static final List<String> TEMPORARY = List.of(".spool", ".itmp", ".inew", ".tmp");
    private static final List<String> SUFFIXES = List.of("", ".gz", ".bz2", ".xz", ".zst");

    private BackupFiles() { }

    /** One folder's files: its index read up to the last commit, and its mbox. */
    record Folder(Path index, Path mbox, long committedLength, long committedMessages, long recordsAfterCommit,
            boolean tornLine, long uncommittedEnd, long mboxSize, boolean compressed) {

        /** The mbox holds bytes that no index record describes yet: a message (or member) being written. */
        boolean writingMessage() {
            return mboxSize > Math.max(committedLength, compressed ? committedLength : uncommittedEnd);
        }
    }

    /** Every folder of the directory, as its files show it now. */
    static List<Folder> folders(Path dir) {
        List<Folder> out = new ArrayList<>();
        for (Path index : files(dir, ".mbox.index")) {
            try {
                out.add(folder(index));
            } catch (IOException e) {
                // deleted or renamed while listed (an index rewrite): not there now
            }
        }
        return out;
    }

    private static Folder folder(Path index) throws IOException {
        byte[] bytes = Files.readAllBytes(index);
        long committedLength = 0;
        long committedMessages = 0;
        long after = 0;
        long uncommittedEnd = 0;
        boolean torn = false;
        int start = 0;
        while (start < bytes.length) {
            int lf = start;
            while (lf < bytes.length && bytes[lf] != '\n') {
                lf++;
            }
            String line = new String(bytes, start, lf - start, StandardCharsets.UTF_8);
            if (lf == bytes.length || !valid(line)) {
                torn = true;
                break;
            }
            String[] f = line.split(" ");
            if (f[0].equals("C")) {
                committedLength = Long.parseLong(f[1]);
                committedMessages = Long.parseLong(f[3]);
                after = 0;
                uncommittedEnd = 0;
            } else {
                after++;
                if (f[0].equals("M")) {
                    uncommittedEnd = Math.max(uncommittedEnd, Long.parseLong(f[4]));
                }
            }
            start = lf + 1;
        }
        String base = index.toString().substring(0, index.toString().length() - ".index".length());
        Path mbox = Path.of(base);
        for (String s : SUFFIXES) {
            if (Files.exists(Path.of(base + s))) {
                mbox = Path.of(base + s);
            }
        }
        boolean compressed = !mbox.toString().endsWith(".mbox");
        return new Folder(index, mbox, committedLength, committedMessages, after, torn, uncommittedEnd,
                Files.exists(mbox) ? Files.size(mbox) : -1, compressed);
    }

    /** A line with a good CRC32 of the bytes before its last space. */
    private static boolean valid(String line) {
        int space = line.lastIndexOf(' ');
        if (space < 0) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(line.substring(0, space).getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue()).equals(line.substring(space + 1));
    }

    /**
     * The phase a kill hit, from the files as the killed run left them: before the first folder, an
     * index line half written or an index being rewritten, a message body (or compressed member)
     * being written or spooled, messages written but not yet committed, or everything committed
     * with every folder complete so far (between folders) or not (between messages).
     *
     * @param complete the committed message count of each complete folder, by index file relative to its directory
     */
    static String phase(Path dir, Map<String, Long> complete) {
        List<Folder> folders = folders(dir);
        if (folders.isEmpty()) {
            return "startup";
        }
        if (folders.stream().anyMatch(Folder::tornLine) || !files(dir, ".mbox.itmp").isEmpty()) {
            return "index write";
        }
        if (folders.stream().anyMatch(f -> f.writingMessage() && f.compressed())) {
            return "member append";
        }
        if (folders.stream().anyMatch(Folder::writingMessage)) {
            return "message body";
        }
        if (files(dir, ".mbox.spool").stream().anyMatch(p -> size(p) > 0)) {
            return "message spooled";
        }
        if (folders.stream().anyMatch(f -> f.recordsAfterCommit() > 0)) {
            return "before commit";
        }
        boolean allComplete = folders.stream().allMatch(f -> Long.valueOf(f.committedMessages())
                .equals(complete.get(dir.relativize(f.index()).toString())));
        return allComplete ? "between folders" : "between messages";
    }

    /** Each index file (relative) and its committed message count. */
    static Map<String, Long> committedCounts(Path dir) {
        Map<String, Long> out = new TreeMap<>();
        folders(dir).forEach(f -> out.put(dir.relativize(f.index()).toString(), f.committedMessages()));
        return out;
    }

    /**
     * What is torn in a directory that a run has completed: temporary files, an mbox longer or
     * shorter than its last commit, index records after the last commit, a torn index line.
     */
    static List<String> torn(Path dir) {
        List<String> out = new ArrayList<>();
        for (String suffix : TEMPORARY) {
            files(dir, suffix).forEach(p -> out.add("temporary file " + p));
        }
        for (Folder f : folders(dir)) {
            if (f.tornLine() || f.recordsAfterCommit() > 0) {
                out.add("uncommitted index records in " + f.index());
            }
            if (f.mboxSize() != f.committedLength()) {
                out.add(f.mbox() + " is " + f.mboxSize() + " bytes, committed " + f.committedLength());
            }
        }
        return out;
    }

    /** The torn rests a repair has set aside ({@code .torn-<time>} files). */
    static List<Path> setAside(Path dir) {
        return files(dir, "").stream().filter(p -> p.getFileName().toString().contains(".torn-")).toList();
    }

    /** Folder name → the SHA-256 of each message's exact bytes as read back, sorted (copies counted). */
    static Map<String, List<String>> contents(Path dir) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        try (BackupArchive a = MboxStore.builder(dir).build().read()) {
            for (FolderInfo f : a.folders()) {
                List<String> hashes = new ArrayList<>();
                try (Stream<StoredMessage> s = a.messages(f)) {
                    for (StoredMessage m : s.toList()) {
                        try (InputStream in = a.openExact(m)) {
                            hashes.add(MboxFiles.sha256(in.readAllBytes()));
                        }
                    }
                }
                hashes.sort(null);
                out.put(f.name(), hashes);
            }
        }
        return out;
    }

    /** Every file (relative path) and the SHA-256 of its bytes. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (Path p : files(dir, "")) {
            out.put(dir.relativize(p).toString(), MboxFiles.sha256(Files.readAllBytes(p)));
        }
        return out;
    }

    /** The bytes of all files whose names end with {@code suffix}. */
    static long bytes(Path dir, String suffix) {
        return files(dir, suffix).stream().mapToLong(BackupFiles::size).sum();
    }

    static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Regular files under dir whose names end with suffix, sorted; none while dir does not exist. */
    static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of(); // a file went while the directory was listed: ask again
        }
    }
}
