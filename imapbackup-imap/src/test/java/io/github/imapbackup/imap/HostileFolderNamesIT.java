package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static io.github.imapbackup.imap.Interop.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.mbox.ArchiveSelection;
import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.testing.imap.FakeImapServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxDecoder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folder names a hostile server may list (docs/IMAP.md, "Hostile servers"): NUL and control
 * characters, 1,000 characters, Windows reserved names, {@code ..} and {@code /} tricks, invalid
 * modified UTF-7. A backup writes every folder inside the backup directory, one file per folder
 * (never two folders in one file), every message once and byte for byte; a restore into another
 * server creates each folder under the name the first server listed. Seeded: {@code
 * -Dimapbackup.seed=N} replays a run; {@code -Preliability} generates 200 names, the default build 20.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HostileFolderNamesIT {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    /** Names on the wire (modified UTF-7 where the server encodes), with {@code /} as delimiter. */
    static final List<String> FIXED = List.of("a\u0000b", "nul\u0000", "\u0001\u0002\u001f\u007f", "tab\there",
            "cr\rlf\n", "x".repeat(1000), "y/" + "z".repeat(300) + "/w", "CON", "NUL", "aux.txt", "COM1", "LPT1.mbox",
            "..", ".", "../../escape", "a/../../b", "/etc/passwd", "//", "a//b", "trail/", ".hidden", "space ",
            "dot.", "back\\slash", "C:", "%2F", "%", "x.mbox", "x.mbox.gz", "&-", "&", "a&b", "&Jjo", "&*-", "&AGE-",
            "&2D3dAA-", "&ANw", "&&-", "&-&-");

    private static final String ALPHABET = "ab./\\:*?\"<>|% &-+,~\u0000\u0001\u001f\u007f\r\n\t"
            + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static List<String> generated(Random rnd, int n) {
        Set<String> names = new LinkedHashSet<>();
        while (names.size() < n) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 400 : 16);
            for (int k = 0; k < len; k++) {
                sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
            }
            names.add(sb.toString());
        }
        return List.copyOf(names);
    }

    @Test
    void everyHostileNameStaysInsideTheDirectoryOnceAndComesBackOnRestore(@TempDir Path tmp) throws Exception {
        try {
            run(tmp);
        } catch (io.github.imapbackup.BackupException e) {
            // a server's names may hold NUL, control characters and lone surrogates: said printably
            java.io.StringWriter w = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(w));
            throw new AssertionError(Errors.printable(w.toString()).replace("\\x0a", "\n"));
        }
    }

    private void run(Path tmp) throws Exception {
        long seed = seeds.pick();
        int n = Boolean.getBoolean("imapbackup.reliability") ? 200 : 20;
        List<String> names = new ArrayList<>(FIXED);
        names.addAll(generated(new Random(seed), n));
        Path parent = Files.createDirectories(tmp.resolve("parent"));
        Path dir = Files.createDirectories(parent.resolve("backup"));
        Files.writeString(parent.resolve("sibling.txt"), "untouched");
        Set<Path> before = tree(parent);
        Map<String, String> sha = new LinkedHashMap<>();
        try (FakeImapServer server = FakeImapServer.start(USER, PASSWORD)) {
            int i = 0;
            for (String name : names) {
                byte[] m = Interop.big("<name" + i++ + "@x>", 200 + i);
                server.append(name, m, Set.of("\\Seen"), Instant.parse("2024-01-02T03:04:05Z"));
                sha.put(name, sha256(m));
            }
            BackupReport report = Interop.backup(Interop.source(server, Duration.ofSeconds(10)).build(), dir);
            System.out.println("hostile names, seed " + seed + ": " + report.allErrors());
            // nothing outside the backup directory: the parent holds what it held, and the backup
            Set<Path> after = tree(parent);
            after.removeIf(p -> p.startsWith(dir) && !p.equals(dir));
            assertThat(after).isEqualTo(before);
            // the names as the client decodes them (Angus's lenient modified UTF-7 decoding)
            Map<String, String> decoded = new LinkedHashMap<>();
            Map<String, List<String>> byDecoded = new LinkedHashMap<>();
            for (String name : names) {
                String d = display(name);
                byDecoded.computeIfAbsent(d, k -> new ArrayList<>()).add(name);
                decoded.put(name, d);
            }
            List<String> reported = report.folders().stream().map(FolderReport::name).toList();
            assertThat(new TreeSet<>(reported)).as("each folder once in the report").hasSize(reported.size());
            for (String name : names) {
                String d = decoded.get(name);
                if (byDecoded.get(d).size() > 1) {
                    continue; // checked below: two wire names, one decoded name
                }
                assertThat(Interop.archivedHashes(dir, d, "/").values()).as("%s (seed %d) %s", escape(name), seed,
                        report.folders().stream().filter(f -> f.name().equals(d)).toList())
                        .containsExactly(sha.get(name));
            }
            long files;
            try (Stream<Path> s = Files.walk(dir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".mbox")).count();
            }
            assertThat(files).as("one mbox file per folder stored").isLessThanOrEqualTo(names.size() + 1);
            assertThat(Interop.verify(dir)).isEmpty();
            // the next run finds every folder's files again (the same names) and copies nothing
            BackupReport again = Interop.backup(Interop.source(server, Duration.ofSeconds(10)).build(), dir);
            assertThat(again.allErrors()).as("seed %d", seed).hasSameSizeAs(report.allErrors());
            assertThat(again.totals().messagesCopied()).isZero();
        }
        // restore into an empty server: each folder under a valid modified UTF-7 name that reads as the listed one
        try (FakeImapServer target = FakeImapServer.start("alice", "secret")) {
            BackupReport restored = Restores.restore(dir, ArchiveSelection.all(), FakeServerTargetIT.target(target));
            System.out.println("hostile names restored, seed " + seed + ": " + restored.allErrors());
            assertThat(restored.allErrors()).isEmpty();
            for (String name : names) {
                String d = display(name);
                if (collides(names, d)) {
                    continue;
                }
                String wire = BASE64MailboxEncoder.encode(d);
                assertThat(wire).as(escape(name)).matches("[\\x20-\\x7e]*");
                assertThat(target.hasFolder(wire)).as("%s restored as %s (seed %d)", escape(name), wire, seed).isTrue();
                assertThat(target.messages(wire)).as(escape(name)).hasSize(1);
                assertThat(sha256(target.messages(wire).get(0))).isEqualTo(sha.get(name));
            }
        }
        System.out.println("RELIABILITY server hostile-folder-names: " + names.size()
                + " cases run, lost 0, duplicated 0, hangs 0, outside 0, oom 0, seed " + seed);
    }

    private static boolean collides(List<String> names, String decoded) {
        return names.stream().filter(n -> display(n).equals(decoded)).count() > 1;
    }

    /** The folder's name: decoded from modified UTF-7, or as listed when that decodes to a lone surrogate. */
    private static String display(String wire) {
        String d = BASE64MailboxDecoder.decode(wire);
        return d.codePoints().anyMatch(c -> c >= 0xD800 && c <= 0xDFFF) ? wire : d;
    }

    private static Set<Path> tree(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return new TreeSet<>(s.toList());
        }
    }

    private static String escape(String s) {
        return Errors.printable(s.length() > 60 ? s.substring(0, 60) + "..." : s);
    }
}
